import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EntityManager } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CircuitBreaker, KNOWN_AT_HEADER, RegisterClient, RegisterSyncStatus, runSync, startService, type RunningService } from "@yhdyspinta/core";
import { createTestDatabase, subgraphRequest, type TestDatabase } from "@yhdyspinta/core/testing";
import { ytjImporter } from "../src/register/ytj-sync.ts";
import { organisationsService } from "../src/service.ts";

/**
 * A local stand-in for PRH's YTJ open data API v3 (`GET companies?businessId=`),
 * answering `{totalResults, companies: [...]}` with companies shaped as PRH's
 * OpenAPI description of v3 declares them (https://avoindata.prh.fi/opendata-ytj-api/v3/ ;
 * field names as in public v3 client types: businessId {value,
 * registrationDate, source}, names [{name, type, registrationDate, endDate,
 * version, source}], companyForms [{type, descriptions [{languageCode,
 * description}], …}], addresses [{type, street, buildingNumber, postCode,
 * postOffices [{city, languageCode, municipalityCode}], …}],
 * tradeRegisterStatus, status, registrationDate, endDate, lastModified).
 * Written by hand; the companies and business IDs are made up.
 */

const internalSecret = randomBytes(32).toString("hex");
let db: TestDatabase;
let service: RunningService;
let server: Server;
let baseUrl: string;
const companies = new Map<string, Record<string, unknown>>();
let fault: ((req: IncomingMessage, res: ServerResponse) => boolean) | null = null;

/** A valid business ID from seven digits, or the next seven digits that have a check digit (mod 11, weights 7 9 10 5 8 4 2). */
function businessId(seven: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2];
  const remainder = [...seven].reduce((sum, d, i) => sum + Number(d) * weights[i]!, 0) % 11;
  if (remainder === 1) return businessId(String(Number(seven) + 1).padStart(7, "0"));
  return `${seven}-${remainder === 0 ? 0 : 11 - remainder}`;
}

function company(id: string, names: { name: string; registrationDate: string; endDate?: string; version: number }[], extra: Record<string, unknown> = {}) {
  return {
    businessId: { value: id, registrationDate: "2010-05-04", source: "3" },
    names: names.map((n) => ({ name: n.name, type: "1", registrationDate: n.registrationDate, endDate: n.endDate ?? null, version: n.version, source: "1" })),
    mainBusinessLine: { type: "86909", descriptions: [{ languageCode: "1", description: "Muut terveydenhuoltopalvelut" }], typeCodeSet: "TOIMI4", source: "2" },
    companyForms: [{ type: "16", descriptions: [{ languageCode: "1", description: "Osakeyhtiö" }, { languageCode: "3", description: "Limited company" }], registrationDate: "2010-05-04", endDate: null, version: 1, source: "1" }],
    companySituations: [],
    registeredEntries: [],
    addresses: [
      { type: 1, street: "Siltakatu", buildingNumber: "12", entrance: "B", postCode: "80100", postOffices: [{ city: "JOENSUU", languageCode: "1", municipalityCode: "167" }, { city: "JOENSUU", languageCode: "2", municipalityCode: "167" }], source: "0" },
      { type: 2, postOfficeBox: "44", postCode: "80101", postOffices: [{ city: "JOENSUU", languageCode: "1", municipalityCode: "167" }], source: "0" },
    ],
    tradeRegisterStatus: "1",
    status: "2",
    registrationDate: "2010-05-04",
    endDate: null,
    lastModified: "2026-01-02T07:49:26",
    ...extra,
  };
}

beforeAll(async () => {
  db = await createTestDatabase("ytj_sync");
  service = await startService(organisationsService, { databaseUrl: db.url, port: 0, seed: false, createDatabase: false, internalAuthSecret: internalSecret });
  server = createServer((req, res) => {
    if (fault?.(req, res)) return;
    const url = new URL(req.url!, "http://prh.test");
    if (url.pathname !== "/opendata-ytj-api/v3/companies") return void res.writeHead(404).end();
    const found = companies.get(url.searchParams.get("businessId") ?? "");
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ totalResults: found ? 1 : 0, companies: found ? [found] : [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/opendata-ytj-api/v3/`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await service?.stop();
  await db?.drop();
});

beforeEach(() => {
  fault = null;
});

const em = () => service.orm.em.fork() as EntityManager;
const ask = <T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  subgraphRequest<T>(service.url, internalSecret, query, variables, headers);

function importer(organisationIds: string[]) {
  const client = new RegisterClient({ register: "ytj", baseUrl, retries: 2, backoffMs: 1, sleep: async () => undefined, breaker: new CircuitBreaker(50, 60_000) });
  return ytjImporter({ client, organisationIds });
}

async function addOrganisation(id: string, name: string, bid: string, kind = "company") {
  await em().getConnection().execute(
    `insert into organisation (id, name, other_names, name_normalised, search_text, kind, business_id) values (?, ?, '[]'::jsonb, lower(?), lower(?), ?, ?)`,
    [id, name, name, name, kind, bid],
  );
}

async function snapshot(ids: string[]): Promise<string> {
  const rows = await em().getConnection().execute(
    `select (select json_agg(o order by o.id) from organisation o where o.id in (?))::text as orgs,
            (select json_agg(r order by r.organisation_id) from organisation_register_record r where r.organisation_id in (?))::text as records,
            (select json_agg(e order by e.organisation_id) from organisation_ending_review e where e.organisation_id in (?))::text as reviews`,
    [ids, ids, ids],
  );
  return JSON.stringify(rows[0]);
}

describe("YTJ sync", () => {
  it("records official name, form, addresses and status; a second run changes nothing", async () => {
    const bid = businessId("2645341");
    await addOrganisation("org-ytj-a", "Terveyspalvelu Aalto Oy", bid);
    companies.set(bid, company(bid, [{ name: "Terveyspalvelu Aalto Oy", registrationDate: "2010-05-04", version: 1 }]));
    const report = await runSync(em(), importer(["org-ytj-a"]));
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 1, updated: 0, unchanged: 0 });
    const res = await ask(`{ organisation(id: "org-ytj-a") { name registerRecord { businessId officialName companyForm companyFormCode status endedOn
      addresses { kind street postCode city municipalityCode } registerProvenance { register licence attribution sourceUrl } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!["organisation"]).toEqual({
      name: "Terveyspalvelu Aalto Oy",
      registerRecord: {
        businessId: bid,
        officialName: "Terveyspalvelu Aalto Oy",
        companyForm: "Osakeyhtiö",
        companyFormCode: "16",
        status: "2",
        endedOn: null,
        addresses: [
          { kind: "VISITING", street: "Siltakatu 12 B", postCode: "80100", city: "JOENSUU", municipalityCode: "167" },
          { kind: "POSTAL", street: "PL 44", postCode: "80101", city: "JOENSUU", municipalityCode: "167" },
        ],
        registerProvenance: { register: "ytj", licence: "CC BY 4.0", attribution: "Patentti- ja rekisterihallitus (PRH), YTJ avoin data", sourceUrl: `${baseUrl}companies?businessId=${bid}` },
      },
    });
    // In the audit trail as the register.
    const audited = await em().getConnection().execute(`select actor_subject, operation, after->>'officialName' as name from change_record where entity_type = 'OrganisationRegisterRecord' and entity_id = 'org-ytj-a'`);
    expect(audited).toEqual([{ actor_subject: "register:ytj", operation: "CREATE", name: "Terveyspalvelu Aalto Oy" }]);
    const before = await snapshot(["org-ytj-a"]);
    const again = await runSync(em(), importer(["org-ytj-a"]));
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(await snapshot(["org-ytj-a"])).toBe(before);
  });

  it("a renamed company gets its new name with the old one kept", async () => {
    const bid = businessId("3012345");
    await addOrganisation("org-ytj-b", "Vanha Hoiva Oy", bid);
    companies.set(bid, company(bid, [{ name: "Vanha Hoiva Oy", registrationDate: "2012-01-01", version: 1 }]));
    await runSync(em(), importer(["org-ytj-b"]));
    companies.set(bid, company(bid, [
      { name: "Uusi Hoiva Oy", registrationDate: "2026-03-01", version: 2 },
      { name: "Vanha Hoiva Oy", registrationDate: "2012-01-01", endDate: "2026-02-28", version: 1 },
    ]));
    const report = await runSync(em(), importer(["org-ytj-b"]));
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, updated: 1 });
    const res = await ask(`{ organisation(id: "org-ytj-b") { name otherNames registerRecord { officialName names { name registeredOn endedOn } } } }`);
    expect(res.data!["organisation"]).toEqual({
      name: "Uusi Hoiva Oy",
      otherNames: ["Vanha Hoiva Oy"],
      registerRecord: {
        officialName: "Uusi Hoiva Oy",
        names: [
          { name: "Uusi Hoiva Oy", registeredOn: "2026-03-01", endedOn: null },
          { name: "Vanha Hoiva Oy", registeredOn: "2012-01-01", endedOn: "2026-02-28" },
        ],
      },
    });
    const renamed = await em().getConnection().execute(`select actor_subject, before->>'name' as was, after->>'name' as now from change_record where entity_type = 'Organisation' and entity_id = 'org-ytj-b'`);
    expect(renamed).toEqual([{ actor_subject: "register:ytj", was: "Vanha Hoiva Oy", now: "Uusi Hoiva Oy" }]);
    const found = await ask(`{ organisations(filter: { search: "vanha hoiva" }) { edges { node { id } } } }`);
    expect(found.errors).toBeUndefined();
    expect(found.data!["organisations"]["edges"]).toEqual([{ node: { id: "org-ytj-b" } }]);
  });

  it("read as known before a rename, the organisation and its register record are whole as they were", async () => {
    const bid = businessId("3123456");
    await em().getConnection().execute(
      `insert into county (code, name_fi, name_sv, name_en, kind, sotkanet_region_id) values ('12', 'Pohjois-Karjalan hyvinvointialue', 'Norra Karelens välfärdsområde', 'North Karelia Wellbeing Services County', 'wellbeing_services_county', 1012) on conflict do nothing`,
    );
    await em().getConnection().execute(
      `insert into organisation (id, name, other_names, name_normalised, search_text, kind, business_id, county_code, website, valid_from)
         values ('org-ytj-k', 'Vanha Kotihoito Oy', '["Kotihoito Vanha"]'::jsonb, 'vanha kotihoito oy', 'vanha kotihoito oy kotihoito vanha', 'company', ?, '12', 'https://kotihoito.example', '2012-01-01')`,
      [bid],
    );
    companies.set(bid, company(bid, [{ name: "Vanha Kotihoito Oy", registrationDate: "2012-01-01", version: 1 }]));
    await runSync(em(), importer(["org-ytj-k"]));
    const fields = `name otherNames kind businessId website validFrom county { code }
      registerRecord { officialName companyFormCode tradeRegisterStatus registeredOn names { name endedOn } registerProvenance { register sourceUrl } }`;
    const asItWas = await ask(`{ organisation(id: "org-ytj-k") { ${fields} } }`);
    expect(asItWas.errors).toBeUndefined();
    const beforeRename = new Date().toISOString();
    companies.set(bid, company(bid, [
      { name: "Uusi Kotihoito Oy", registrationDate: "2026-03-01", version: 2 },
      { name: "Vanha Kotihoito Oy", registrationDate: "2012-01-01", endDate: "2026-02-28", version: 1 },
    ]));
    expect(await runSync(em(), importer(["org-ytj-k"]))).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, updated: 1 });
    const now = await ask(`{ organisation(id: "org-ytj-k") { name otherNames kind businessId website registerRecord { officialName } } }`);
    expect(now.errors).toBeUndefined();
    expect(now.data!["organisation"]).toEqual({
      name: "Uusi Kotihoito Oy",
      otherNames: ["Kotihoito Vanha", "Vanha Kotihoito Oy"],
      kind: "COMPANY",
      businessId: bid,
      website: "https://kotihoito.example",
      registerRecord: { officialName: "Uusi Kotihoito Oy" },
    });
    const known = await ask(`{ organisation(id: "org-ytj-k") { ${fields} } }`, {}, { [KNOWN_AT_HEADER]: beforeRename });
    expect(known.errors).toBeUndefined();
    expect(known.data!["organisation"]).toEqual(asItWas.data!["organisation"]);
    expect(known.data!["organisation"]).toMatchObject({ name: "Vanha Kotihoito Oy", kind: "COMPANY", businessId: bid, website: "https://kotihoito.example", validFrom: "2012-01-01", county: { code: "12" } });
  });

  it("a business ID YTJ reports ended puts the organisation on the coordinator's list, never winds it up", async () => {
    const bid = businessId("2201134");
    await addOrganisation("org-ytj-c", "Loppunut Palvelu Oy", bid);
    companies.set(bid, company(bid, [{ name: "Loppunut Palvelu Oy", registrationDate: "2011-01-01", version: 1 }], { endDate: "2026-06-30", tradeRegisterStatus: "4" }));
    const report = await runSync(em(), importer(["org-ytj-c"]));
    expect(report.status).toBe(RegisterSyncStatus.SUCCEEDED);
    const res = await ask(`{ organisationsEndedInRegister { businessId endedOn syncReportId organisation { id validTo successor { id } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!["organisationsEndedInRegister"]).toContainEqual({ businessId: bid, endedOn: "2026-06-30", syncReportId: report.id, organisation: { id: "org-ytj-c", validTo: null, successor: null } });
    // A coordinator's decision (an end date of its own) takes it off the list.
    await em().getConnection().execute(`update organisation set valid_to = '2026-06-30' where id = 'org-ytj-c'`);
    const after = await ask(`{ organisationsEndedInRegister { organisation { id } } }`);
    expect(after.data!["organisationsEndedInRegister"]).not.toContainEqual({ organisation: { id: "org-ytj-c" } });
  });

  it("refuses a business ID YTJ does not know (an association), and syncs the rest", async () => {
    const known = businessId("1234567");
    const unknown = businessId("7654321");
    await addOrganisation("org-ytj-d", "Tunnettu Oy", known);
    await addOrganisation("org-ytj-e", "Kylän Yhdistys ry", unknown, "association");
    companies.set(known, company(known, [{ name: "Tunnettu Oy", registrationDate: "2015-01-01", version: 1 }]));
    const report = await runSync(em(), importer(["org-ytj-d", "org-ytj-e"]));
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 1 });
    expect(report.refused).toEqual([{ record: `organisation org-ytj-e, business ID ${unknown}`, reason: "YTJ open data has no company with this business ID (associations are not in it)" }]);
  });

  describe("a fault leaves the database unchanged and the report says why", () => {
    const cases: [string, (req: IncomingMessage, res: ServerResponse) => boolean, RegExp][] = [
      ["429 storm", (_req, res) => (res.writeHead(429, { "retry-after": "120" }).end(), true), /HTTP 429 with Retry-After 120 s/],
      ["5xx", (_req, res) => (res.writeHead(502).end(), true), /HTTP 502 after 3 attempts/],
      ["malformed", (_req, res) => (res.writeHead(200).end('{"totalResults":1,"companies":[{"businessId":'), true), /answer is not JSON/],
      ["renamed field", (req, res) => {
        const id = new URL(req.url!, "http://x").searchParams.get("businessId")!;
        const { names, ...rest } = companies.get(id)!;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ totalResults: 1, companies: [{ ...rest, companyNames: names }] }));
        return true;
      }, /documented shape at companies\.0\.names/],
    ];
    for (const [name, answer, reason] of cases) {
      it(name, async () => {
        const first = businessId(`40${String(cases.findIndex((c) => c[0] === name)).padStart(5, "0")}`.slice(0, 7));
        const second = businessId(`41${String(cases.findIndex((c) => c[0] === name)).padStart(5, "0")}`.slice(0, 7));
        const ids = [`org-ytj-f-${name}`, `org-ytj-g-${name}`];
        await addOrganisation(ids[0]!, `Ensimmäinen ${name} Oy`, first);
        await addOrganisation(ids[1]!, `Toinen ${name} Oy`, second);
        companies.set(first, company(first, [{ name: `Ensimmäinen ${name} Oy`, registrationDate: "2015-01-01", version: 1 }]));
        companies.set(second, company(second, [{ name: `Toinen ${name} Oy`, registrationDate: "2015-01-01", version: 1 }]));
        const before = await snapshot(ids);
        // The first answer is fine, the second faulty: nothing of the first is written either.
        fault = (req, res) => new URL(req.url!, "http://x").searchParams.get("businessId") === second && answer(req, res);
        const report = await runSync(em(), importer(ids));
        expect(report.status).toBe(RegisterSyncStatus.FAILED);
        expect(report.failure).toMatch(reason);
        expect(await snapshot(ids)).toBe(before);
        const stored = await ask(`{ organisationSyncReports(register: "ytj", limit: 1) { id status failure } }`);
        expect(stored.data!["organisationSyncReports"]).toEqual([{ id: report.id, status: "FAILED", failure: report.failure }]);
      });
    }
  });
});
