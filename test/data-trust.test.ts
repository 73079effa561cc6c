import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { DocumentKeys, GroupKeys, OrganisationKeys, withDatabase } from "@yhdyspinta/core";
import { startTestStack, totalStatements, type TestStack } from "./support.ts";

let stack: TestStack;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

beforeAll(async () => {
  stack = await startTestStack("datatrust");
});

afterAll(async () => {
  await stack?.stop();
});

const today = new Date().toISOString().slice(0, 10);

describe("documents and contact points through the gateway", () => {
  it("lists Etelä-Pohjanmaa's documents: the handbook of end 2021, the spring-2021 partnership-table memos and the report", async () => {
    const res = await stack.query<Data>(`{
      county(code: "16") {
        documents { id title kind publishedPeriod publishedYear language publisher { id } provenance { documentId } }
      }
    }`);
    expect(res.errors).toBeUndefined();
    const docs = res.data.county.documents as Data[];
    const byId = new Map(docs.map((d) => [d.id, d]));
    expect(byId.get(DocumentKeys.epKasikirja)).toMatchObject({
      title: "Etelä-Pohjanmaan kuntajärjestöyhteistyön käsikirja", kind: "HANDBOOK", publishedPeriod: "loppuvuosi 2021", publishedYear: 2021, language: "fi",
    });
    expect(byId.get(DocumentKeys.epKumppanuuspoytaMuistiot)).toMatchObject({ kind: "MEMO", publishedPeriod: "kevät 2021" });
    expect(byId.get(DocumentKeys.epKumppanuuspoytaRaportti)).toMatchObject({ kind: "REPORT", publishedYear: 2021 });
    // The three are named on the county's web page, which is their source.
    expect(byId.get(DocumentKeys.epKasikirja).provenance.documentId).toBe(DocumentKeys.epYhteistyo);
    // Only this county's documents.
    expect(docs.every((d) => !d.id.startsWith("doc-pk-") && !d.id.startsWith("doc-pohde-"))).toBe(true);
    expect(byId.get(DocumentKeys.epYhteistyo).publisher).toEqual({ id: OrganisationKeys.etelaPohjanmaa });
  });

  it("lists a group's documents across subgraphs", async () => {
    const res = await stack.query<Data>(`query($id: ID!) { cooperationGroup(id: $id) { name documents { id kind } } }`, { id: GroupKeys.pohdeJyry });
    expect(res.errors).toBeUndefined();
    expect(res.data.cooperationGroup.documents.map((d: Data) => d.id).sort()).toEqual(
      [DocumentKeys.pohdeJyryRooli, DocumentKeys.pohdeYhteistyoryhmat].sort(),
    );
  });

  it("gives Joupin neuvola its public contact point without any scope", async () => {
    const res = await stack.query<Data>(`{
      organisation(id: "org-ep-joupin-neuvola") { name contactPoints { label visitingAddress postalAddress registryEmail provenance { documentId section } } }
      county(code: "14") { organisation { contactPoints { registryEmail } } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.organisation.contactPoints).toEqual([
      { label: "Joupin neuvola", visitingAddress: "Hallituskatu 20", postalAddress: null, registryEmail: null, provenance: { documentId: DocumentKeys.epYhteistyo, section: "Ota yhteyttä" } },
    ]);
    expect(res.data.county.organisation.contactPoints).toEqual([{ registryEmail: "kirjaamo@siunsote.fi" }]);
  });

});

describe("organisations over time", () => {
  it("shows a wound-up TE office with its end date and successor, and reads it as on a day", async () => {
    const res = await stack.query<Data>(`query($id: ID!) {
      organisation(id: $id) { name validTo successor { id name validFrom predecessors { id } } current { id } asOn(date: "2024-06-01") { id } provenance { url } }
      then: organisation(id: $id, asOn: "2024-06-01") { id }
      now: organisation(id: $id, asOn: "${today}") { id name }
    }`, { id: OrganisationKeys.pohjoisKarjalanTe });
    expect(res.errors).toBeUndefined();
    const te = res.data.organisation;
    expect(te).toMatchObject({ name: "Pohjois-Karjalan TE-toimisto", validTo: "2024-12-31" });
    expect(te.successor).toMatchObject({ id: "org-pohjois-karjalan-tyollisyysalue", validFrom: "2025-01-01", predecessors: [{ id: OrganisationKeys.pohjoisKarjalanTe }] });
    expect(te.current.id).toBe("org-pohjois-karjalan-tyollisyysalue");
    expect(te.asOn.id).toBe(OrganisationKeys.pohjoisKarjalanTe);
    expect(te.provenance.url).toMatch(/^https:\/\//);
    expect(res.data.then.id).toBe(OrganisationKeys.pohjoisKarjalanTe);
    expect(res.data.now.id).toBe("org-pohjois-karjalan-tyollisyysalue");
    // Going back from the successor reaches the office again.
    const back = await stack.query<Data>(`{ organisation(id: "org-pohjois-karjalan-tyollisyysalue", asOn: "2024-06-01") { id } }`);
    expect(back.data.organisation.id).toBe(OrganisationKeys.pohjoisKarjalanTe);
  });

  it("reads the county-wide Pohjois-Karjala group's agency seats for a 2024 date and for today", async () => {
    const res = await stack.query<Data>(`query($id: ID!) {
      cooperationGroup(id: $id) { seats { constituency label organisation { id then: asOn(date: "2024-06-01") { name } current { name } } } }
    }`, { id: GroupKeys.pkHyvinvoinninKumppanuusryhma });
    expect(res.errors).toBeUndefined();
    const agency = (res.data.cooperationGroup.seats as Data[]).filter((s) => s.constituency === "AGENCY");
    const read = Object.fromEntries(agency.map((s) => [s.label, [s.organisation.then.name, s.organisation.current.name]]));
    expect(read["TE-toimisto"]).toEqual(["Pohjois-Karjalan TE-toimisto", today >= "2025-01-01" ? "Pohjois-Karjalan työllisyysalue" : "Pohjois-Karjalan TE-toimisto"]);
    expect(read["ELY-keskus"]).toEqual(["Pohjois-Karjalan ELY-keskus", today >= "2026-01-01" ? "Itä-Suomen elinvoimakeskus" : "Pohjois-Karjalan ELY-keskus"]);
    expect(read["AVI"]).toEqual(["Itä-Suomen aluehallintovirasto", today >= "2026-01-01" ? "Lupa- ja valvontavirasto" : "Itä-Suomen aluehallintovirasto"]);
    expect(read["Kela"]).toEqual(["Kela", "Kela"]);
  });
});

/** Runs SQL on one subgraph's database of the test stack. */
async function sql<T>(service: string, text: string, params: unknown[] = []): Promise<T[]> {
  const base = new URL(stack.databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: withDatabase(stack.databaseUrl, `${base}_${service}`) });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Record tables that hold what the seeds state, with the GraphQL type their provenance rows name. */
const SOURCED: [service: string, table: string, recordType: string, where?: string][] = [
  ["groups", "cooperation_group", "CooperationGroup"],
  ["groups", "group_seat", "GroupSeat"],
  ["groups", "membership", "Membership"],
  ["groups", "nomination_round", "NominationRound"],
  ["groups", "meeting", "GroupMeeting"],
  ["groups", "cooperation_level", "CooperationLevel"],
  ["groups", "liaison_role", "LiaisonRole"],
  ["groups", "area", "Area"],
  ["planning", "strategy", "Strategy"],
  ["planning", "grant_programme", "GrantProgramme"],
  ["planning", "theme", "Theme"],
  ["organisations", "document", "Document"],
  ["organisations", "contact_point", "ContactPoint"],
  // Counties and municipalities come from the official classification (see SOURCES.md), not from the seeds.
  ["organisations", "organisation", "Organisation", "t.id not like 'org-county-%' and t.id not like 'org-municipality-%'"],
];

describe("provenance", () => {
  it("has a source (document or URL) and a confirmation day for every seeded record", async () => {
    for (const [service, table, recordType, where] of SOURCED) {
      const total = await sql<{ n: string }>(service, `select count(*) as n from "${table}" t ${where ? `where ${where}` : ""}`);
      expect(Number(total[0]!.n), `${table} has seeded rows`).toBeGreaterThan(0);
      const missing = await sql<{ id: string }>(
        service,
        `select t.id from "${table}" t left join record_source s on s.record_type = $1 and s.record_id = t.id
         where (s.record_id is null or (s.document_id is null and s.url is null) or s.last_confirmed_on is null) ${where ? `and ${where}` : ""}`,
        [recordType],
      );
      expect(missing.map((r) => `${table}:${r.id}`)).toEqual([]);
    }
    // Every document a provenance row names exists.
    const docIds = new Set((await sql<{ id: string }>("organisations", "select id from document")).map((r) => r.id));
    for (const service of ["groups", "planning", "organisations"]) {
      const named = await sql<{ document_id: string }>(service, "select distinct document_id from record_source where document_id is not null");
      expect(named.map((r) => r.document_id).filter((id) => !docIds.has(id))).toEqual([]);
    }
  });

  it("answers the source of groups, memberships, rounds, meetings, liaisons, strategy and grant principles through the gateway", async () => {
    const res = await stack.query<Data>(`{
      cooperationGroups(first: 500) { edges { node { id county { code } tasks provenance { documentId section decisionBody decisionSection lastConfirmedOn }
        memberships { id provenance { documentId } } } } }
      nominationRounds { id provenance { documentId section } }
      meetings { id provenance { documentId } }
      pohdeLiaisons: liaisonRoles(countyCode: "19") { id provenance { documentId } }
      epLiaisons: liaisonRoles(countyCode: "16") { id provenance { documentId } }
      county(code: "19") { strategy { provenance { documentId section } } }
      epCounty: county(code: "16") { grantProgrammes { principles { text } provenance { documentId } } }
    }`);
    expect(res.errors).toBeUndefined();
    const groups = (res.data.cooperationGroups.edges as Data[]).map((e) => e.node);
    expect(groups.length).toBeGreaterThan(10);
    for (const g of groups) expect(g.provenance?.documentId, g.id).toBeTruthy();
    const pohde = groups.filter((g) => g.county.code === "19");
    expect(pohde).toHaveLength(5);
    for (const g of pohde) {
      expect(g.tasks).toContain(
        "Edistää julkisen, kolmannen sektorin, yksityisen sektorin sekä palveluiden käyttäjien kanssa käytävää vuoropuhelua ja tuloksellista yhteistyötä",
      );
      expect(g.provenance).toMatchObject({ documentId: DocumentKeys.pohdeYhteistyoryhmat, decisionBody: "Hyvinvointialuejohtaja", decisionSection: "hallintosääntö 31 §" });
    }
    const memberships = groups.flatMap((g) => g.memberships);
    expect(memberships.length).toBeGreaterThan(0);
    for (const m of memberships) expect(m.provenance?.documentId, m.id).toBeTruthy();
    expect(res.data.nominationRounds.length).toBeGreaterThan(0);
    for (const r of res.data.nominationRounds) expect(r.provenance?.documentId, r.id).toBeTruthy();
    const pkRound = res.data.nominationRounds.find((r: Data) => r.id === "round-pk-kumppanuusryhmat-2023");
    expect(pkRound.provenance).toEqual({ documentId: DocumentKeys.pkNimeamispyynto, section: "Nimeämispyyntö" });
    expect(res.data.meetings.length).toBeGreaterThan(0);
    for (const m of res.data.meetings) expect(m.provenance?.documentId, m.id).toBeTruthy();
    const liaisons = [...res.data.pohdeLiaisons, ...res.data.epLiaisons];
    expect(res.data.pohdeLiaisons.length).toBeGreaterThan(0);
    expect(res.data.epLiaisons.length).toBeGreaterThan(0);
    for (const l of liaisons) expect(l.provenance?.documentId, l.id).toBeTruthy();
    expect(res.data.county.strategy.provenance).toMatchObject({ documentId: DocumentKeys.pohdeJyryRooli });
    expect(res.data.epCounty.grantProgrammes[0].principles.length).toBeGreaterThan(0);
    expect(res.data.epCounty.grantProgrammes[0].provenance.documentId).toBe(DocumentKeys.epYhteistyo);
  });

  it("lists records not confirmed in N months and rejects a bad N", async () => {
    const before = await stack.query<Data>(`{ unconfirmedGroupRecords(months: 12) { recordId } }`);
    expect(before.errors).toBeUndefined();
    expect(before.data.unconfirmedGroupRecords).toEqual([]);
    await sql("groups", "update record_source set last_confirmed_on = '2020-01-15' where record_type = 'CooperationGroup' and record_id = $1", [GroupKeys.pirhaJyry]);
    const after = await stack.query<Data>(`{ unconfirmedGroupRecords(months: 12) { recordType recordId lastConfirmedOn } }`);
    expect(after.data.unconfirmedGroupRecords).toEqual([{ recordType: "CooperationGroup", recordId: GroupKeys.pirhaJyry, lastConfirmedOn: "2020-01-15" }]);
    const bad = await stack.query<Data>(`{ unconfirmedPlanningRecords(months: -1) { recordId } }`);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "months" });
  });

  it("reads documents and provenance of every listed record in a fixed number of statements", async () => {
    const query = `query($first: Int!) {
      counties { code documents { id provenance { documentId } } }
      cooperationGroups(first: $first) { edges { node { id provenance { section } documents { id } seats { id provenance { section } } } } }
    }`;
    const counts: number[] = [];
    for (const first of [2, 40]) {
      await stack.resetStats();
      const res = await stack.query<Data>(query, { first });
      expect(res.errors).toBeUndefined();
      counts.push(totalStatements(await stack.stats()));
    }
    expect(counts[1]).toBe(counts[0]);
  });
});

describe("names in Finnish, Swedish and English", () => {
  it("answers counties and municipalities by language, falling back to Finnish", async () => {
    const res = await stack.query<Data>(`{
      county(code: "16") { fi: name sv: name(lang: SV) en: name(lang: EN) }
      vaasa: municipality(code: "905") { fi: name sv: name(lang: SV) en: name(lang: EN) }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.county).toEqual({ fi: "Etelä-Pohjanmaan hyvinvointialue", sv: "Södra Österbottens välfärdsområde", en: "South Ostrobothnia wellbeing services county" });
    expect(res.data.vaasa).toEqual({ fi: "Vaasa", sv: "Vasa", en: "Vaasa" });
  });
});
