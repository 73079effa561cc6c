import "reflect-metadata";
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { EntityManager } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CircuitBreaker, KNOWN_AT_HEADER, RegisterClient, RegisterSyncStatus, runSync, startService, type RunningService } from "@yhdyspinta/core";
import { createTestDatabase, subgraphRequest, type TestDatabase } from "@yhdyspinta/core/testing";
import { ptvImporter } from "../src/register/ptv-sync.ts";
import { organisationsService } from "../src/service.ts";
import { phoneChannel, serviceLocation, startPtvServer, type PtvState } from "./fixtures/ptv-server.ts";

// PTV service locations into organisations' contact points, against a local
// server answering in PTV's v11 shapes (fixtures/ptv-server.ts names its source).

const internalSecret = randomBytes(32).toString("hex");
let db: TestDatabase;
let service: RunningService;
let ptv: Awaited<ReturnType<typeof startPtvServer>>;
const state: PtvState = { channels: new Map(), pageSize: 2, fault: null, hits: [] };

beforeAll(async () => {
  db = await createTestDatabase("ptv_sync");
  service = await startService(organisationsService, { databaseUrl: db.url, port: 0, seed: false, createDatabase: false, internalAuthSecret: internalSecret });
  ptv = await startPtvServer(state);
});

afterAll(async () => {
  await ptv?.close();
  await service?.stop();
  await db?.drop();
});

beforeEach(() => {
  state.fault = null;
  state.pageSize = 2;
});

const em = () => service.orm.em.fork() as EntityManager;
const ask = <T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  subgraphRequest<T>(service.url, internalSecret, query, variables, headers);

/** A valid business ID from seven digits (mod 11, weights 7 9 10 5 8 4 2), skipping those without a check digit. */
function businessId(seven: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2];
  const remainder = [...seven].reduce((sum, d, i) => sum + Number(d) * weights[i]!, 0) % 11;
  if (remainder === 1) return businessId(String(Number(seven) + 1).padStart(7, "0"));
  return `${seven}-${remainder === 0 ? 0 : 11 - remainder}`;
}

function importer(organisationIds: string[], since: string | null = null, retries = 2) {
  const client = new RegisterClient({ register: "ptv", baseUrl: ptv.baseUrl, retries, backoffMs: 1, sleep: async () => undefined, breaker: new CircuitBreaker(50, 60_000) });
  return ptvImporter({ client, organisationIds, since });
}

async function addOrganisation(id: string, name: string, bid: string, municipalities: string[] = []) {
  const conn = em().getConnection();
  await conn.execute(`insert into organisation (id, name, other_names, name_normalised, search_text, kind, business_id) values (?, ?, '[]'::jsonb, lower(?), lower(?), 'county', ?)`, [id, name, name, name, bid]);
  for (const m of municipalities) await conn.execute(`insert into organisation_municipality (organisation_id, municipality_code) values (?, ?)`, [id, m]);
}

async function snapshot(ids: string[]): Promise<string> {
  const rows = await em().getConnection().execute(
    `select (select json_agg(c order by c.id) from contact_point c where c.organisation_id in (?))::text as contacts,
            (select count(*) from change_record where entity_type = 'ContactPoint') as changes`,
    [ids],
  );
  return JSON.stringify(rows[0]);
}

const locations = (prefix: string) => [
  serviceLocation(`${prefix}-0001-4000-8000-000000000001`, { fi: "Joensuun neuvola", sv: "Joensuu rådgivningsbyrå", street: "Siltakatu", streetSv: "Brogatan", number: "12", postalCode: "80100", city: "Joensuu", municipality: "167", north: "6945318.512", east: "642245.123" }),
  phoneChannel(`${prefix}-0002-4000-8000-000000000002`, "Neuvonta puhelimessa"),
  serviceLocation(`${prefix}-0003-4000-8000-000000000003`, { fi: "Kontiolahden terveysasema", street: "Keskuskatu", number: "8", postalCode: "81100", city: "Kontiolahti", municipality: "276", north: "6959203", east: "648805", modified: "2026-11-20T10:00:00" }),
  serviceLocation(`${prefix}-0004-4000-8000-000000000004`, { fi: "Kuopion neuvola", street: "Tulliportinkatu", number: "1", postalCode: "70100", city: "Kuopio", municipality: "297", north: "6974000", east: "534000" }),
  serviceLocation(`${prefix}-0005-4000-8000-000000000005`, { fi: "Lieksan neuvola", street: "Pielisentie", number: "7", postalCode: "81700", city: "Lieksa", municipality: "422", north: "7004000", east: "675000" }),
];

describe("PTV sync", () => {
  it("reads every page and writes the organisation's service locations in its municipalities as contact points, fi/sv, with coordinates and provenance; a second run changes nothing", async () => {
    const bid = businessId("3221631");
    await addOrganisation("org-ptv-a", "Pohjois-Karjalan hyvinvointialue", bid, ["167", "276", "422"]);
    state.channels.set(bid, locations("aaaaaaaa"));
    state.hits.length = 0;
    const report = await runSync(em(), importer(["org-ptv-a"]));
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 3, updated: 0, unchanged: 0, refusedCount: 0, requests: 3 });
    // Three pages of two: every page read, in order.
    expect(state.hits).toEqual([1, 2, 3].map((p) => `/api/v11/ServiceChannel/list/organization?code=${bid}&page=${p}`));

    const res = await ask(`{ organisation(id: "org-ptv-a") { contactPoints { label labelSv visitingAddress visitingAddressSv postalAddress postalCode municipalityCode coordinateNorth coordinateEast ptvChannelId
      registerProvenance { register sourceUrl licence attribution syncReportId } } } }`);
    expect(res.errors).toBeUndefined();
    const contacts = (res.data!["organisation"]["contactPoints"] as Record<string, unknown>[]).sort((a, b) => String(a["label"]).localeCompare(String(b["label"])));
    expect(contacts.map((c) => c["label"])).toEqual(["Joensuun neuvola", "Kontiolahden terveysasema", "Lieksan neuvola"]);
    expect(contacts[0]).toEqual({
      label: "Joensuun neuvola",
      labelSv: "Joensuu rådgivningsbyrå",
      visitingAddress: "Siltakatu 12",
      visitingAddressSv: "Brogatan 12",
      postalAddress: "PL 12, 80101 JOENSUU",
      postalCode: "80100",
      municipalityCode: "167",
      coordinateNorth: 6945318.512,
      coordinateEast: 642245.123,
      ptvChannelId: "aaaaaaaa-0001-4000-8000-000000000001",
      registerProvenance: {
        register: "ptv",
        sourceUrl: `${ptv.baseUrl}ServiceChannel/list/organization?code=${bid}&page=1`,
        licence: "CC BY 4.0",
        attribution: "Digi- ja väestötietovirasto (DVV), Palvelutietovaranto",
        syncReportId: report.id,
      },
    });
    // In the audit trail as the register.
    const audit = await em().getConnection().execute(`select actor_subject, operation from change_record where entity_type = 'ContactPoint' and after->>'ptvChannelId' like 'aaaaaaaa-%' order by entity_id`);
    expect(audit).toEqual([1, 2, 3].map(() => ({ actor_subject: "register:ptv", operation: "CREATE" })));

    const before = await snapshot(["org-ptv-a"]);
    const again = await runSync(em(), importer(["org-ptv-a"]));
    expect(again).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 0, updated: 0, unchanged: 3 });
    expect(await snapshot(["org-ptv-a"])).toBe(before);

    const reports = await ask(`{ organisationSyncReports(register: "ptv", limit: 1) { id status unchanged } }`);
    expect(reports.data!["organisationSyncReports"]).toEqual([{ id: again.id, status: "SUCCEEDED", unchanged: 3 }]);
  });

  it("takes over a contact point typed by hand with the same name, updates a moved one, and keeps only those modified since a day", async () => {
    const bid = businessId("3221632");
    await addOrganisation("org-ptv-b", "Siun sote", bid);
    await em().getConnection().execute(`insert into contact_point (id, organisation_id, label, visiting_address, registry_email) values ('contact-ptv-hand', 'org-ptv-b', 'joensuun neuvola', 'Vanha osoite 1', 'kirjaamo@example.fi')`);
    state.channels.set(bid, locations("bbbbbbbb"));
    const since = await runSync(em(), importer(["org-ptv-b"], "2026-11-01"));
    // Only the one modified 2026-11-20; no municipality links: any municipality.
    expect(since).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 1, updated: 0 });
    const all = await runSync(em(), importer(["org-ptv-b"]));
    expect(all).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 2, updated: 1, unchanged: 1 });
    const rows = await em().getConnection().execute(`select id, label, visiting_address, registry_email, ptv_channel_id from contact_point where organisation_id = 'org-ptv-b' and label ilike 'joensuun%'`);
    expect(rows).toEqual([{ id: "contact-ptv-hand", label: "Joensuun neuvola", visiting_address: "Siltakatu 12", registry_email: "kirjaamo@example.fi", ptv_channel_id: "bbbbbbbb-0001-4000-8000-000000000001" }]);

    // Moved in PTV: the next run updates it, audited as the register.
    const moved = locations("bbbbbbbb");
    moved[0] = serviceLocation("bbbbbbbb-0001-4000-8000-000000000001", { fi: "Joensuun neuvola", street: "Koskikatu", number: "3", postalCode: "80100", city: "Joensuu", municipality: "167", north: "6945400", east: "642300" });
    state.channels.set(bid, moved);
    const after = await runSync(em(), importer(["org-ptv-b"]));
    expect(after).toMatchObject({ updated: 1, unchanged: 3 });
    const [change] = await em().getConnection().execute(`select actor_subject, operation, before->>'visitingAddress' as was, after->>'visitingAddress' as now from change_record where entity_id = 'contact-ptv-hand' order by changed_at desc limit 1`);
    expect(change).toEqual({ actor_subject: "register:ptv", operation: "UPDATE", was: "Siltakatu 12", now: "Koskikatu 3" });
  });

  it("read as known before the sync took it over, a contact point typed by hand is whole as it was", async () => {
    const bid = businessId("3221637");
    await addOrganisation("org-ptv-k", "Keski-Karjalan sote", bid);
    await em().getConnection().execute(
      `insert into contact_point (id, organisation_id, label, visiting_address, postal_address, website, valid_from)
         values ('contact-ptv-known', 'org-ptv-k', 'joensuun neuvola', 'Vanha osoite 1', 'PL 1, 80101 JOENSUU', 'https://neuvola.example', '2020-01-01')`,
    );
    const fields = "id label labelSv visitingAddress postalAddress postalCode municipalityCode website validFrom ptvChannelId registerProvenance { register }";
    const asItWas = await ask(`{ organisation(id: "org-ptv-k") { contactPoints { ${fields} } } }`);
    expect(asItWas.errors).toBeUndefined();
    const beforeSync = new Date().toISOString();
    state.channels.set(bid, locations("kkkkkkkk").slice(0, 1));
    expect(await runSync(em(), importer(["org-ptv-k"]))).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 0, updated: 1 });
    const now = await ask(`{ organisation(id: "org-ptv-k") { contactPoints { id label visitingAddress website validFrom ptvChannelId } } }`);
    expect(now.errors).toBeUndefined();
    expect(now.data!["organisation"]["contactPoints"]).toEqual([
      { id: "contact-ptv-known", label: "Joensuun neuvola", visitingAddress: "Siltakatu 12", website: "https://neuvola.example", validFrom: "2020-01-01", ptvChannelId: "kkkkkkkk-0001-4000-8000-000000000001" },
    ]);
    const known = await ask(`{ organisation(id: "org-ptv-k") { contactPoints { ${fields} } } }`, {}, { [KNOWN_AT_HEADER]: beforeSync });
    expect(known.errors).toBeUndefined();
    expect(known.data!["organisation"]["contactPoints"]).toEqual(asItWas.data!["organisation"]["contactPoints"]);
    expect(known.data!["organisation"]["contactPoints"]).toEqual([
      expect.objectContaining({ id: "contact-ptv-known", label: "joensuun neuvola", visitingAddress: "Vanha osoite 1", website: "https://neuvola.example", validFrom: "2020-01-01", ptvChannelId: null, registerProvenance: null }),
    ]);
  });

  it("a dry run reports what it would change and writes nothing", async () => {
    const bid = businessId("3221633");
    await addOrganisation("org-ptv-c", "Kuopion kaupunki", bid, ["297"]);
    state.channels.set(bid, locations("cccccccc"));
    const before = await snapshot(["org-ptv-c"]);
    const report = await runSync(em(), importer(["org-ptv-c"]), { dryRun: true });
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, dryRun: true, created: 1 });
    expect(await snapshot(["org-ptv-c"])).toBe(before);
  });

  it("refuses a business code PTV does not know and syncs the rest", async () => {
    const known = businessId("3221634");
    const unknown = businessId("3221635");
    await addOrganisation("org-ptv-d", "Tunnettu", known, ["422"]);
    await addOrganisation("org-ptv-e", "Tuntematon", unknown);
    state.channels.set(known, locations("dddddddd"));
    const report = await runSync(em(), importer(["org-ptv-d", "org-ptv-e"]));
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 1 });
    expect(report.refused).toEqual([{ record: `organisation org-ptv-e, business ID ${unknown}`, reason: "PTV has no organisation with this business code" }]);
  });

  it("waits for a 429's Retry-After and goes on", async () => {
    const bid = businessId("3221636");
    await addOrganisation("org-ptv-f", "Hidas", bid, ["167"]);
    state.channels.set(bid, locations("ffffffff"));
    let limited = 0;
    state.fault = (req, res, page) => {
      if (!req.url!.includes(bid) || page !== 2 || limited > 0) return false;
      limited += 1;
      res.writeHead(429, { "retry-after": "1" }).end();
      return true;
    };
    const waits: number[] = [];
    const client = new RegisterClient({ register: "ptv", baseUrl: ptv.baseUrl, retries: 2, backoffMs: 1, sleep: async (ms) => void waits.push(ms), breaker: new CircuitBreaker(50, 60_000) });
    const report = await runSync(em(), ptvImporter({ client, organisationIds: ["org-ptv-f"] }));
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 1, requests: 4 });
    expect(waits).toEqual([1000]);
  });

  describe("a fault on a later page leaves the database unchanged and the report says why", () => {
    const cases: [string, (res: ServerResponse) => void, RegExp][] = [
      ["429 storm", (res) => void res.writeHead(429, { "retry-after": "120" }).end(), /HTTP 429 with Retry-After 120 s/],
      ["5xx", (res) => void res.writeHead(503).end(), /HTTP 503 after 3 attempts/],
      ["not JSON", (res) => void res.writeHead(200, { "content-type": "application/json" }).end('{"pageNumber":2,"itemList":[{"id":'), /answer is not JSON/],
      ["malformed item", (res) => void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ pageNumber: 2, pageSize: 2, pageCount: 3, itemList: [{ id: "x", serviceChannelType: "ServiceLocation", names: [] }] })), /documented shape at serviceChannelNames/],
      ["wrong page", (res) => void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ pageNumber: 1, pageSize: 2, pageCount: 3, itemList: [] })), /asked for page 2, got page 1/],
    ];
    for (const [index, [name, answer, reason]] of cases.entries()) {
      it(name, async () => {
        const bid = businessId(`33${String(index).padStart(5, "0")}`);
        const id = `org-ptv-fault-${index}`;
        await addOrganisation(id, `Vika ${name}`, bid, ["167", "276", "422"]);
        state.channels.set(bid, locations(`eeeeee0${index}`));
        const before = await snapshot([id]);
        state.fault = (req, res, page) => (req.url!.includes(bid) && page === 2 ? (answer(res), true) : false);
        const report = await runSync(em(), importer([id]));
        expect(report.status).toBe(RegisterSyncStatus.FAILED);
        expect(report.failure).toMatch(reason);
        expect(await snapshot([id])).toBe(before);
        const stored = await ask(`{ organisationSyncReports(register: "ptv", limit: 1) { id status failure } }`);
        expect(stored.data!["organisationSyncReports"]).toEqual([{ id: report.id, status: "FAILED", failure: report.failure }]);
      });
    }
  });
});
