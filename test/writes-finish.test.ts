import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, mintUserToken } from "@yhdyspinta/core";
import { bearer, serviceSql, startTestStack, type TestStack } from "./support.ts";

/**
 * Issue 25, the last write-path gaps found by the write-coverage map
 * (schema/write-coverage.ts): confirmPlanningRecord for plans, goals,
 * negotiations, practices and indicators; windUpOrganisation's `provenance`
 * (the old `source` still works); removeDocument and
 * removeOrganisationCategory for records entered by mistake. Each through
 * the gateway: the outcome, FORBIDDEN for another county's coordinator,
 * BAD_USER_INPUT naming the field with no row changed, and the audit entry.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;
interface Result {
  data?: Data;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

let stack: TestStack;
let admin: Record<string, string>;
let coordinator14: Record<string, string>;
let coordinator08: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack("writes_finish");
  const token = async (sub: string, role: "admin" | "coordinator", counties?: string[]) =>
    bearer(await mintUserToken(stack.authSecret, { sub, scope: "data:write", role, ...(counties ? { counties } : {}) }));
  admin = await token("finish-admin", "admin");
  coordinator14 = await token("finish-coord-14", "coordinator", ["14"]);
  coordinator08 = await token("finish-coord-08", "coordinator", ["08"]);
});

afterAll(async () => {
  await stack?.stop();
});

const q = (query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Result> => stack.query<Data>(query, variables, headers);

async function ok(query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Data> {
  const res = await q(query, variables, headers);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data;
}

function expectForbidden(res: Result, county: string): void {
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
  expect(res.errors![0]!.message).toContain(county);
}

function expectBadInput(res: Result, field: string, rule: string | RegExp): void {
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
  expect(res.errors![0]!.extensions!["field"]).toBe(field);
  if (typeof rule === "string") expect(res.errors![0]!.message).toContain(rule);
  else expect(res.errors![0]!.message).toMatch(rule);
}

/** Every change recorded for one record in a subgraph, oldest first. */
const changesOf = (service: "organisations" | "planning", entityType: string, entityId: string) =>
  serviceSql<Data>(stack, service, `select operation, before, after, actor_subject from change_record where entity_type = $1 and entity_id = $2 order by changed_at, id`, [entityType, entityId]);

/** The provenance changes of one record, oldest first. */
const provenanceChanges = (service: "organisations" | "planning", type: string, id: string) =>
  serviceSql<Data>(
    stack,
    service,
    `select operation, before, after, actor_subject from change_record where entity_type = 'Provenance' and coalesce(after->>'recordId', before->>'recordId') = $1 and coalesce(after->>'recordType', before->>'recordType') = $2 order by changed_at, id`,
    [id, type],
  );

const sourceRow = async (service: "organisations" | "planning", type: string, id: string) =>
  (await serviceSql<Data>(stack, service, `select * from record_source where record_type = $1 and record_id = $2`, [type, id]))[0] ?? null;

describe("confirmPlanningRecord for plans, goals, negotiations, practices and indicators", () => {
  const CONFIRM = `mutation($type: String!, $id: ID!, $on: Date) { confirmPlanningRecord(recordType: $type, id: $id, on: $on) { recordType recordId lastConfirmedOn } }`;

  it("confirms each type in the county's scope (indicators: admin), refuses others and bad input, audited", async () => {
    const plan = (await ok(`mutation($input: CreateWellbeingPlanInput!) { createWellbeingPlan(input: $input) { id } }`, { input: { countyCode: "14", municipalityCode: "276", title: "Vahvistettava suunnitelma", councilTerm: "2025–2029" } }, coordinator14)).createWellbeingPlan.id;
    const goal = (await ok(`mutation($input: AddWellbeingGoalInput!) { addWellbeingGoal(input: $input) { id } }`, { input: { planId: plan, text: "Vahvistettava tavoite" } }, coordinator14)).addWellbeingGoal.id;
    const negotiation = (await ok(`mutation($input: RecordAnnualNegotiationInput!) { recordAnnualNegotiation(input: $input) { id } }`, { input: { countyCode: "14", heldOn: "2026-03-02", title: "Vuosittainen neuvottelu 2026" } }, coordinator14)).recordAnnualNegotiation.id;
    const indicator = (await ok(`mutation($input: CreateIndicatorInput!) { createIndicator(input: $input) { id } }`, { input: { sotkanetId: 990125, name: "Vahvistettava indikaattori", unit: "%", source: "THL Sotkanet" } }, admin)).createIndicator.id;
    const records: [string, string][] = [
      ["WellbeingPlan", plan],
      ["WellbeingGoal", goal],
      ["AnnualNegotiation", negotiation],
      ["AnnualNegotiationPractice", "14"],
    ];

    // Another county's coordinator, and indicators for anyone but an admin: FORBIDDEN, nothing written.
    const before = await Promise.all(records.map(([type, id]) => sourceRow("planning", type, id)));
    for (const [type, id] of records) expectForbidden(await q(CONFIRM, { type, id, on: "2026-11-20" }, coordinator08), "14");
    expectForbidden(await q(CONFIRM, { type: "Indicator", id: indicator, on: null }, coordinator14), "admin");
    // Unknown records, a practice keyed by something else than a county code, a day in the future: BAD_USER_INPUT naming the argument.
    expectBadInput(await q(CONFIRM, { type: "WellbeingGoal", id: "goal-none", on: null }, coordinator14), "id", 'no WellbeingGoal "goal-none"');
    expectBadInput(await q(CONFIRM, { type: "AnnualNegotiationPractice", id: "practice-14", on: null }, coordinator14), "id", "no AnnualNegotiationPractice");
    expectBadInput(await q(CONFIRM, { type: "AnnualNegotiationPractice", id: "99", on: null }, admin), "id", "no AnnualNegotiationPractice");
    expectBadInput(await q(CONFIRM, { type: "WellbeingPlan", id: plan, on: "2999-01-01" }, coordinator14), "on", "future");
    expectBadInput(await q(CONFIRM, { type: "Nope", id: plan, on: null }, coordinator14), "recordType", /must be one of .*WellbeingPlan.*Indicator/);
    expect(await Promise.all(records.map(([type, id]) => sourceRow("planning", type, id)))).toEqual(before);

    for (const [type, id] of records) {
      expect((await ok(CONFIRM, { type, id, on: "2026-11-20" }, coordinator14)).confirmPlanningRecord).toEqual({ recordType: type, recordId: id, lastConfirmedOn: "2026-11-20" });
      const [change] = (await provenanceChanges("planning", type, id)).slice(-1);
      expect(change).toMatchObject({ actor_subject: "finish-coord-14", after: { recordType: type, recordId: id, lastConfirmedOn: "2026-11-20" } });
    }
    expect((await ok(CONFIRM, { type: "Indicator", id: indicator, on: "2026-11-21" }, admin)).confirmPlanningRecord.lastConfirmedOn).toBe("2026-11-21");
    expect((await provenanceChanges("planning", "Indicator", indicator)).slice(-1)[0]).toMatchObject({ actor_subject: "finish-admin", after: { lastConfirmedOn: "2026-11-21" } });

    // Read back through each record's `provenance`.
    const read = await ok(`{ municipality(code: "276") { wellbeingPlans { id provenance { lastConfirmedOn } goals { id provenance { lastConfirmedOn } } } } }`, {}, coordinator14);
    expect(read.municipality.wellbeingPlans).toEqual([{ id: plan, provenance: { lastConfirmedOn: "2026-11-20" }, goals: [{ id: goal, provenance: { lastConfirmedOn: "2026-11-20" } }] }]);
  });
});

async function createOrganisation(name: string, countyCode: string | null, headers = coordinator14): Promise<string> {
  return (await ok(`mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`, { input: { name, kind: "ASSOCIATION", countyCode } }, headers)).createOrganisation.id;
}

describe("windUpOrganisation with provenance", () => {
  const WIND_UP = `mutation($input: WindUpOrganisationInput!) { windUpOrganisation(input: $input) { id validTo provenance { url section decisionBody decisionDate decisionSection decisionRecordNumber lastConfirmedOn } } }`;

  it("stores every provenance field; the deprecated source still works; refusals write nothing; audited", async () => {
    const agency = await createOrganisation("Lakkautettava virasto 14", "14");
    const successor = await createOrganisation("Jatkava virasto 14", "14");
    const base = { organisationId: agency, endsOn: "2025-12-31", successors: [{ organisationId: successor }] };
    const provenance = { url: "https://example.invalid/paatos", section: "3 §", decisionBody: "Valtioneuvosto", decisionDate: "2025-06-12", decisionSection: "12 §", decisionRecordNumber: "VN/123/2025" };
    const row = async () => (await serviceSql<Data>(stack, "organisations", `select valid_to, successor_id from organisation where id = $1`, [agency]))[0];
    const successions = async () => (await serviceSql<Data>(stack, "organisations", `select count(*)::int as n from organisation_successor where organisation_id = $1`, [agency]))[0].n;

    expectForbidden(await q(WIND_UP, { input: { ...base, provenance } }, coordinator08), "14");
    expectBadInput(await q(WIND_UP, { input: { ...base, provenance, source: { url: "https://example.invalid/vanha" } } }, coordinator14), "input.source", "not both");
    expectBadInput(await q(WIND_UP, { input: { ...base, provenance: { ...provenance, lastConfirmedOn: "2999-01-01" } } }, coordinator14), "input.provenance.lastConfirmedOn", "future");
    expectBadInput(await q(WIND_UP, { input: { ...base, provenance: { ...provenance, url: "ftp://example.invalid" } } }, coordinator14), "input.provenance.url", "http");
    expect(await row()).toEqual({ valid_to: null, successor_id: null });
    expect(await successions()).toBe(0);
    expect(await sourceRow("organisations", "Organisation", agency)).toBeNull();

    const ended = (await ok(WIND_UP, { input: { ...base, provenance: { ...provenance, lastConfirmedOn: "2026-01-05" } } }, coordinator14)).windUpOrganisation;
    expect(ended).toEqual({ id: agency, validTo: "2025-12-31", provenance: { ...provenance, lastConfirmedOn: "2026-01-05" } });
    const [change] = (await provenanceChanges("organisations", "Organisation", agency)).slice(-1);
    expect(change).toMatchObject({ operation: "CREATE", actor_subject: "finish-coord-14", after: { decisionBody: "Valtioneuvosto", decisionRecordNumber: "VN/123/2025" } });
    expect((await changesOf("organisations", "Organisation", agency)).slice(-1)[0]).toMatchObject({ operation: "UPDATE", before: { validTo: null }, after: { validTo: "2025-12-31" } });

    // The deprecated `source` keeps its old meaning: it replaces the fields it has, confirmed today.
    const old = await createOrganisation("Vanhalla tavalla lakkautettu 14", "14");
    const viaSource = (await ok(WIND_UP, { input: { organisationId: old, endsOn: "2025-12-31", successors: [{ organisationId: successor }], source: { url: "https://example.invalid/vanha", decisionBody: "Aluehallitus" } } }, coordinator14)).windUpOrganisation;
    expect(viaSource.provenance).toMatchObject({ url: "https://example.invalid/vanha", decisionBody: "Aluehallitus", section: null, decisionSection: null });
  });
});

describe("removeDocument", () => {
  const CREATE = `mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`;
  const REMOVE = `mutation($id: ID!) { removeDocument(id: $id) }`;

  it("removes a document entered by mistake once nothing names it; refusals write nothing; audited", async () => {
    const document = (await ok(CREATE, { input: { title: "Vahingossa tallennettu muistio", kind: "MEMO", publisherName: "Pohjois-Karjala", countyCode: "14", provenance: { section: "1" } } }, coordinator14)).createDocument.id;
    const holder = await createOrganisation("Muistion mainitsema yhdistys 14", "14");
    const named = (await ok(`mutation($input: CreateContactPointInput!) { createContactPoint(input: $input) { id } }`, { input: { organisationId: holder, label: "Muistion toimipiste", postalAddress: "PL 2", provenance: { documentId: document } } }, coordinator14)).createContactPoint.id;
    const count = async () => (await serviceSql<Data>(stack, "organisations", `select (select count(*) from document where id = $1)::int as documents, (select count(*) from record_source)::int as sources`, [document]))[0];
    const before = await count();

    expectForbidden(await q(REMOVE, { id: document }, coordinator08), "14");
    expectBadInput(await q(REMOVE, { id: document }, coordinator14), "id", `is the provenance of ContactPoint "${named}"`);
    expectBadInput(await q(REMOVE, { id: "doc-none" }, coordinator14), "id", 'no document "doc-none"');
    expect(await count()).toEqual(before);

    // Records of the groups and planning subgraphs naming it hold it too: those subgraphs are asked.
    await ok(`mutation($id: ID!, $input: UpdateContactPointInput!) { updateContactPoint(id: $id, input: $input) { id } }`, { id: named, input: { provenance: { documentId: null, url: "https://example.invalid/oikea" } } }, coordinator14);
    const area = (await ok(`mutation($input: CreateAreaInput!) { createArea(input: $input) { id } }`, { input: { countyCode: "14", name: "Muistion alue", municipalityCodes: [], provenance: { documentId: document } } }, coordinator14)).createArea.id;
    const theme = (await ok(`mutation($input: CreateThemeInput!) { createTheme(input: $input) { id } }`, { input: { countyCode: "14", name: "Muistion teema", provenance: { documentId: document } } }, coordinator14)).createTheme.id;
    expectBadInput(await q(REMOVE, { id: document }, coordinator14), "id", `is the provenance of Area "${area}", Theme "${theme}"`);
    expect(await count()).toEqual(before);
    await ok(`mutation($input: EditAreaInput!) { editArea(input: $input) { id } }`, { input: { areaId: area, provenance: { documentId: null } } }, coordinator14);
    expectBadInput(await q(REMOVE, { id: document }, coordinator14), "id", `is the provenance of Theme "${theme}"`);
    await ok(`mutation($input: UpdateThemeInput!) { updateTheme(input: $input) { id } }`, { input: { themeId: theme, provenance: { documentId: null } } }, coordinator14);

    // Once nothing names it any more, the document goes, with its own provenance.
    expect((await ok(REMOVE, { id: document }, coordinator14)).removeDocument).toBe(document);
    expect((await ok(`query($id: ID!) { document(id: $id) { id } }`, { id: document }, coordinator14)).document).toBeNull();
    expect(await sourceRow("organisations", "Document", document)).toBeNull();
    const removed = (await changesOf("organisations", "Document", document)).slice(-1)[0];
    expect(removed).toMatchObject({ operation: "DELETE", actor_subject: "finish-coord-14", after: null, before: { title: "Vahingossa tallennettu muistio", countyCode: "14" } });
  });
});

describe("removeOrganisationCategory", () => {
  const CREATE = `mutation($input: CreateOrganisationCategoryInput!) { createOrganisationCategory(input: $input) { id } }`;
  const REMOVE = `mutation($id: ID!) { removeOrganisationCategory(id: $id) }`;
  const ASSIGNMENT = `mutation($input: OrganisationCategoryAssignmentInput!) { assignOrganisationCategory(input: $input) { id } }`;

  it("removes a category entered by mistake once no organisation is in it; refusals write nothing; audited", async () => {
    const category = (await ok(CREATE, { input: { countyCode: "14", name: "Vahingossa lisätty kategoria", provenance: { section: "Luokitus" } } }, coordinator14)).createOrganisationCategory.id;
    const member = await createOrganisation("Luokiteltu yhdistys 14", "14");
    await ok(ASSIGNMENT, { input: { organisationId: member, categoryId: category } }, coordinator14);
    const count = async () => (await serviceSql<Data>(stack, "organisations", `select (select count(*) from organisation_category where id = $1)::int as categories, (select count(*) from organisation_category_assignment where category_id = $1)::int as assignments`, [category]))[0];
    expect(await count()).toEqual({ categories: 1, assignments: 1 });

    expectForbidden(await q(REMOVE, { id: category }, coordinator08), "14");
    expectBadInput(await q(REMOVE, { id: category }, coordinator14), "id", "1 organisation is classified");
    expectBadInput(await q(REMOVE, { id: "category-none" }, coordinator14), "id", 'no organisation category "category-none"');
    expect(await count()).toEqual({ categories: 1, assignments: 1 });

    await ok(`mutation($input: OrganisationCategoryAssignmentInput!) { unassignOrganisationCategory(input: $input) { id } }`, { input: { organisationId: member, categoryId: category } }, coordinator14);
    expect((await ok(REMOVE, { id: category }, coordinator14)).removeOrganisationCategory).toBe(category);
    expect(await count()).toEqual({ categories: 0, assignments: 0 });
    expect((await ok(`query($id: ID!) { organisationCategory(id: $id) { id } }`, { id: category }, coordinator14)).organisationCategory).toBeNull();
    expect(await sourceRow("organisations", "OrganisationCategory", category)).toBeNull();
    expect((await changesOf("organisations", "OrganisationCategory", category)).slice(-1)[0]).toMatchObject({
      operation: "DELETE",
      actor_subject: "finish-coord-14",
      after: null,
      before: { name: "Vahingossa lisätty kategoria", countyCode: "14" },
    });
  });

  it("refuses while a seat of the groups subgraph names the category, asking that subgraph", async () => {
    const category = (await ok(CREATE, { input: { countyCode: "14", name: "Paikan nimeämä kategoria" } }, coordinator14)).createOrganisationCategory.id;
    const seat = (
      await ok(`mutation($input: CreateGroupSeatInput!) { createGroupSeat(input: $input) { id } }`, { input: { groupId: GroupKeys.pkKeskinen, constituency: "ASSOCIATION_CATEGORY", categoryId: category, label: "Kategorian edustaja", maxMembers: 1 } }, coordinator14)
    ).createGroupSeat.id;
    const changes = async () => (await serviceSql<Data>(stack, "organisations", `select count(*)::int as n from change_record where entity_type = 'OrganisationCategory' and entity_id = $1`, [category]))[0].n;
    const before = await changes();
    expectBadInput(await q(REMOVE, { id: category }, coordinator14), "id", `GroupSeat "${seat}"`);
    expect((await ok(`query($id: ID!) { organisationCategory(id: $id) { id } }`, { id: category }, coordinator14)).organisationCategory).toEqual({ id: category });
    expect(await changes()).toBe(before);
  });
});
