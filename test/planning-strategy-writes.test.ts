import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserToken } from "@yhdyspinta/core";
import { bearer, serviceSql, startTestStack, totalStatements, type TestStack } from "./support.ts";

/**
 * The write paths of annual negotiations and their practice, the county
 * strategy, grant programmes and indicator metadata, through the gateway:
 * each mutation's outcome, FORBIDDEN for another county's coordinator,
 * BAD_USER_INPUT naming the field with no row changed, and the audit entry
 * with before and after. Also the N+1 guard of the plans' new provenance.
 */

let stack: TestStack;
let admin: Record<string, string>;
let coordinator14: Record<string, string>;
let coordinator08: Record<string, string>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

const sql = <T = Data>(query: string, params: unknown[] = []) => serviceSql<T>(stack, "planning", query, params);

async function ok(query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Data> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

async function refused(query: string, variables: Record<string, unknown>, headers: Record<string, string>, code: string, field?: string): Promise<string> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors?.[0]?.extensions?.["code"], JSON.stringify(res.errors)).toBe(code);
  if (field) expect(res.errors![0]!.extensions!["field"]).toBe(field);
  expect(res.errors![0]!.message).not.toMatch(/insert into|update "|select |23505/i);
  return res.errors![0]!.message;
}

/** The audit trail of one record, oldest first. */
const audit = (type: string, id: string) =>
  sql<{ operation: string; before: Data; after: Data; actor_subject: string }>(
    `select operation, before, after, actor_subject from change_record where entity_type = $1 and entity_id = $2 order by changed_at, id`,
    [type, id],
  );

/** A table's rows as JSON text, to show that a refused write changed nothing. */
const snapshot = async (table: string) => JSON.stringify(await sql(`select * from "${table}" order by 1`));

let theme14: string;
let theme08: string;

beforeAll(async () => {
  stack = await startTestStack("planning_strategy_writes");
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "ps-admin", scope: "data:write", role: "admin" }));
  coordinator14 = bearer(await mintUserToken(stack.authSecret, { sub: "ps-coord-14", scope: "data:write", role: "coordinator", counties: ["14"] }));
  coordinator08 = bearer(await mintUserToken(stack.authSecret, { sub: "ps-coord-08", scope: "data:write", role: "coordinator", counties: ["08"] }));
  theme14 = (await ok(`{ themes(countyCode: "14") { id } }`, {}, admin)).themes[0].id;
  theme08 = (await ok(`mutation { createTheme(input: { countyCode: "08", name: "Pirkanmaan teema" }) { id } }`, {}, admin)).createTheme.id;
});

afterAll(async () => {
  await stack?.stop();
});

describe("annual negotiations", () => {
  const NEGOTIATION = `id heldOn title summary organisations: participantOrganisations { id } groups: participantGroups { id } goals: agreedGoals { id } measures: agreedMeasures { id }`;
  const RECORD = `mutation($input: RecordAnnualNegotiationInput!) { recordAnnualNegotiation(input: $input) { ${NEGOTIATION} } }`;
  const UPDATE = `mutation($input: UpdateAnnualNegotiationInput!) { updateAnnualNegotiation(input: $input) { ${NEGOTIATION} } }`;
  const REMOVE = `mutation($id: ID!) { removeAnnualNegotiation(negotiationId: $id) }`;
  let goalId: string;
  let measureId: string;
  let measure08: string;
  let id: string;

  beforeAll(async () => {
    const plan = (await ok(`mutation { createWellbeingPlan(input: { countyCode: "14", title: "Suunnitelma", councilTerm: "2025–2029" }) { id } }`, {}, coordinator14)).createWellbeingPlan.id;
    goalId = (await ok(`mutation($plan: ID!) { addWellbeingGoal(input: { planId: $plan, text: "Tavoite" }) { id } }`, { plan }, coordinator14)).addWellbeingGoal.id;
    measureId = (await ok(`mutation { createMeasure(input: { countyCode: "14", title: "Sovittu toimenpide" }) { id } }`, {}, coordinator14)).createMeasure.id;
    measure08 = (await ok(`mutation { createMeasure(input: { countyCode: "08", title: "Pirkanmaan toimenpide" }) { id } }`, {}, admin)).createMeasure.id;
  });

  it("recordAnnualNegotiation: with participants, goals and measures, read back through the county; audited", async () => {
    const negotiation = (
      await ok(RECORD, {
        input: { countyCode: "14", heldOn: "2025-03-12", title: "Hyte-neuvottelu 2025", summary: "Sovittiin seurannasta", organisationIds: ["org-municipality-167"], groupIds: ["group-pk-keskinen"], goalIds: [goalId], measureIds: [measureId, measureId], provenance: { section: "Pöytäkirja" } },
      }, coordinator14)
    ).recordAnnualNegotiation;
    id = negotiation.id;
    expect(negotiation).toMatchObject({ heldOn: "2025-03-12", organisations: [{ id: "org-municipality-167" }], groups: [{ id: "group-pk-keskinen" }], goals: [{ id: goalId }], measures: [{ id: measureId }] });
    const county = (await ok(`{ county(code: "14") { negotiations { id provenance { section } } } }`, {}, admin)).county;
    expect(county.negotiations).toContainEqual({ id, provenance: { section: "Pöytäkirja" } });
    const [created] = await audit("AnnualNegotiation", id);
    expect(created).toMatchObject({ operation: "CREATE", before: null, actor_subject: "ps-coord-14", after: { countyCode: "14", heldOn: "2025-03-12", measureIds: [measureId] } });
  });

  it("recordAnnualNegotiation: FORBIDDEN for another county; BAD_USER_INPUT for a second one that day, a future day, another county's measure, an unknown goal; nothing written", async () => {
    const before = await snapshot("annual_negotiation");
    const base = { countyCode: "14", heldOn: "2025-09-01", title: "Toinen" };
    await refused(RECORD, { input: base }, coordinator08, "FORBIDDEN");
    await refused(RECORD, { input: { ...base, heldOn: "2025-03-12" } }, coordinator14, "BAD_USER_INPUT", "input.heldOn");
    await refused(RECORD, { input: { ...base, heldOn: "2099-01-01" } }, coordinator14, "BAD_USER_INPUT", "input.heldOn");
    await refused(RECORD, { input: { ...base, measureIds: [measure08] } }, coordinator14, "BAD_USER_INPUT", "input.measureIds");
    await refused(RECORD, { input: { ...base, goalIds: ["goal-none"] } }, coordinator14, "BAD_USER_INPUT", "input.goalIds");
    await refused(RECORD, { input: { ...base, groupIds: ["group-none"] } }, coordinator14, "BAD_USER_INPUT", "input.groupIds");
    expect(await snapshot("annual_negotiation")).toBe(before);
  });

  it("updateAnnualNegotiation: day and lists change, audited with before and after; FORBIDDEN and BAD_USER_INPUT change nothing", async () => {
    const negotiation = (await ok(UPDATE, { input: { negotiationId: id, heldOn: "2025-03-13", summary: null, measureIds: [] } }, coordinator14)).updateAnnualNegotiation;
    expect(negotiation).toMatchObject({ heldOn: "2025-03-13", summary: null, measures: [] });
    const last = (await audit("AnnualNegotiation", id)).at(-1)!;
    expect(last).toMatchObject({ operation: "UPDATE", before: { heldOn: "2025-03-12", summary: "Sovittiin seurannasta", measureIds: [measureId] }, after: { heldOn: "2025-03-13", summary: null, measureIds: [] } });
    const before = await snapshot("annual_negotiation");
    await refused(UPDATE, { input: { negotiationId: id, title: "X" } }, coordinator08, "FORBIDDEN");
    await refused(UPDATE, { input: { negotiationId: id, title: null } }, coordinator14, "BAD_USER_INPUT", "input.title");
    await refused(UPDATE, { input: { negotiationId: id, goalIds: ["goal-none"] } }, coordinator14, "BAD_USER_INPUT", "input.goalIds");
    expect(await snapshot("annual_negotiation")).toBe(before);
  });

  it("removeAnnualNegotiation: FORBIDDEN for another county; removed with a DELETE audited", async () => {
    await refused(REMOVE, { id }, coordinator08, "FORBIDDEN");
    await refused(REMOVE, { id: "negotiation-none" }, coordinator14, "BAD_USER_INPUT", "negotiationId");
    expect((await ok(REMOVE, { id }, coordinator14)).removeAnnualNegotiation).toBe(id);
    expect((await audit("AnnualNegotiation", id)).at(-1)).toMatchObject({ operation: "DELETE", after: null, before: { title: "Hyte-neuvottelu 2025" } });
    expect(await sql(`select id from annual_negotiation where id = $1`, [id])).toEqual([]);
  });
});

describe("annual negotiation practice", () => {
  const PRACTICE = `legalBasis timesPerYear participants agenda otherMeetings source groups { id } provenance { section }`;
  const SET = `mutation($input: SetAnnualNegotiationPracticeInput!) { setAnnualNegotiationPractice(input: $input) { ${PRACTICE} } }`;
  const REMOVE = `mutation($code: ID!) { removeAnnualNegotiationPractice(countyCode: $code) }`;

  it("setAnnualNegotiationPractice: a coordinator changes their county's practice, audited; FORBIDDEN and BAD_USER_INPUT change nothing", async () => {
    const practice = (await ok(SET, { input: { countyCode: "14", timesPerYear: 2, otherMeetings: null, provenance: { section: "Vuosineuvottelu" } } }, coordinator14)).setAnnualNegotiationPractice;
    expect(practice).toMatchObject({ timesPerYear: 2, otherMeetings: null, legalBasis: "612/2021 7 § 4 mom.", provenance: { section: "Vuosineuvottelu" } });
    const last = (await audit("AnnualNegotiationPractice", "14")).at(-1)!;
    expect(last).toMatchObject({ operation: "UPDATE", before: { timesPerYear: 1 }, after: { timesPerYear: 2, otherMeetings: null } });
    expect(last.before.otherMeetings).toContain("2–3");
    const before = await snapshot("annual_negotiation_practice");
    await refused(SET, { input: { countyCode: "14", timesPerYear: 3 } }, coordinator08, "FORBIDDEN");
    await refused(SET, { input: { countyCode: "14", timesPerYear: 13 } }, coordinator14, "BAD_USER_INPUT", "input.timesPerYear");
    await refused(SET, { input: { countyCode: "14", agenda: null } }, coordinator14, "BAD_USER_INPUT", "input.agenda");
    // A county's first practice needs every required field.
    await refused(SET, { input: { countyCode: "08", timesPerYear: 1 } }, coordinator08, "BAD_USER_INPUT", "input.legalBasis");
    expect(await snapshot("annual_negotiation_practice")).toBe(before);
  });

  it("setAnnualNegotiationPractice creates a county's first; removeAnnualNegotiationPractice removes it, audited", async () => {
    const input = { countyCode: "08", legalBasis: "612/2021 7 §", timesPerYear: 1, participants: "Kunnat ja järjestöt", agenda: "Tavoitteet ja seuranta", source: "Pirkanmaan ohje" };
    const practice = (await ok(SET, { input }, coordinator08)).setAnnualNegotiationPractice;
    expect(practice).toMatchObject({ participants: "Kunnat ja järjestöt", groups: [] });
    expect((await ok(`{ county(code: "08") { annualNegotiationPractice { agenda } } }`, {}, admin)).county.annualNegotiationPractice).toEqual({ agenda: "Tavoitteet ja seuranta" });
    expect((await audit("AnnualNegotiationPractice", "08"))[0]).toMatchObject({ operation: "CREATE", before: null, after: { countyCode: "08", source: "Pirkanmaan ohje" } });
    await refused(REMOVE, { code: "08" }, coordinator14, "FORBIDDEN");
    expect((await ok(REMOVE, { code: "08" }, coordinator08)).removeAnnualNegotiationPractice).toBe("08");
    expect((await audit("AnnualNegotiationPractice", "08")).at(-1)).toMatchObject({ operation: "DELETE", after: null, before: { agenda: "Tavoitteet ja seuranta" } });
    await refused(REMOVE, { code: "08" }, coordinator08, "BAD_USER_INPUT", "countyCode");
  });
});

describe("county strategy", () => {
  const STRATEGY = `id name servicePromise values { position name } priorities { position name principles { number heading text } } cooperationGoals { number text themes { id } } steeredDocuments source provenance { section }`;
  const CREATE = `mutation($input: CreateStrategyInput!) { createStrategy(input: $input) { ${STRATEGY} } }`;
  const UPDATE = `mutation($input: UpdateStrategyInput!) { updateStrategy(input: $input) { ${STRATEGY} } }`;
  const REMOVE = `mutation($id: ID!) { removeStrategy(strategyId: $id) }`;
  const input = {
    countyCode: "14",
    name: "Pohjois-Karjalan hyvinvointialueen strategia",
    values: ["Rohkeus", "Yhdessä"],
    priorities: [{ name: "Ihminen ensin", principles: ["Ensimmäinen", "Toinen"] }, { name: "Yhteistyö", principles: ["Kolmas"] }],
    cooperationGoals: [{ text: "Järjestöt kumppaneina", themeIds: [] as string[] }],
    steeredDocuments: ["Hyvinvointikertomus"],
    source: "Strategia 2023",
    provenance: { section: "Arvot" },
  };
  let id: string;

  it("createStrategy: values, priorities with principles numbered through, cooperation goals with themes; audited", async () => {
    const strategy = (await ok(CREATE, { input: { ...input, cooperationGoals: [{ text: "Järjestöt kumppaneina", themeIds: [theme14] }] } }, coordinator14)).createStrategy;
    id = strategy.id;
    expect(strategy.values).toEqual([{ position: 1, name: "Rohkeus" }, { position: 2, name: "Yhdessä" }]);
    expect(strategy.priorities).toEqual([
      { position: 1, name: "Ihminen ensin", principles: [{ number: 1, heading: "Ihminen ensin", text: "Ensimmäinen" }, { number: 2, heading: "Ihminen ensin", text: "Toinen" }] },
      { position: 2, name: "Yhteistyö", principles: [{ number: 3, heading: "Yhteistyö", text: "Kolmas" }] },
    ]);
    expect(strategy.cooperationGoals).toEqual([{ number: 1, text: "Järjestöt kumppaneina", themes: [{ id: theme14 }] }]);
    expect(strategy.provenance).toEqual({ section: "Arvot" });
    expect((await ok(`{ strategy(countyCode: "14") { id } }`, {}, admin)).strategy.id).toBe(id);
    expect((await audit("Strategy", id))[0]).toMatchObject({ operation: "CREATE", before: null, after: { countyCode: "14", headings: ["Ihminen ensin", "Yhteistyö"] } });
  });

  it("createStrategy: BAD_USER_INPUT for a second strategy of the county, a heading twice, another county's theme; FORBIDDEN for another county; nothing written", async () => {
    const before = await snapshot("strategy");
    await refused(CREATE, { input }, coordinator14, "BAD_USER_INPUT", "input.countyCode");
    await refused(CREATE, { input }, coordinator08, "FORBIDDEN");
    const fresh = { ...input, countyCode: "08" };
    await refused(CREATE, { input: { ...fresh, priorities: [{ name: "Sama", principles: [] }, { name: "sama", principles: [] }] } }, admin, "BAD_USER_INPUT", "input.priorities.1.name");
    await refused(CREATE, { input: { ...fresh, cooperationGoals: [{ text: "X", themeIds: [theme14] }] } }, admin, "BAD_USER_INPUT", "input.cooperationGoals.0.themeIds");
    await refused(CREATE, { input: { ...fresh, values: [""] } }, admin, "BAD_USER_INPUT", "input.values");
    expect(await snapshot("strategy")).toBe(before);
  });

  it("updateStrategy: a list given replaces the old one, audited with before and after; FORBIDDEN and BAD_USER_INPUT change nothing", async () => {
    const strategy = (await ok(UPDATE, { input: { strategyId: id, values: ["Luottamus"], cooperationGoals: [], servicePromise: "Lähellä" } }, coordinator14)).updateStrategy;
    expect(strategy).toMatchObject({ values: [{ position: 1, name: "Luottamus" }], cooperationGoals: [], servicePromise: "Lähellä", name: input.name });
    const last = (await audit("Strategy", id)).at(-1)!;
    expect(last.before.values).toEqual([{ position: 1, name: "Rohkeus" }, { position: 2, name: "Yhdessä" }]);
    expect(last.after.values).toEqual([{ position: 1, name: "Luottamus" }]);
    expect(last.after.servicePromise).toBe("Lähellä");
    const before = await snapshot("strategy");
    await refused(UPDATE, { input: { strategyId: id, name: "X" } }, coordinator08, "FORBIDDEN");
    await refused(UPDATE, { input: { strategyId: id, values: null } }, coordinator14, "BAD_USER_INPUT", "input.values");
    await refused(UPDATE, { input: { strategyId: id, cooperationGoals: [{ text: "X", themeIds: [theme08] }] } }, coordinator14, "BAD_USER_INPUT", "input.cooperationGoals.0.themeIds");
    expect(await snapshot("strategy")).toBe(before);
  });

  it("removeStrategy: FORBIDDEN for another county; removed with a DELETE audited; the seeded strategy reads as before", async () => {
    await refused(REMOVE, { id }, coordinator08, "FORBIDDEN");
    expect((await ok(REMOVE, { id }, coordinator14)).removeStrategy).toBe(id);
    expect((await audit("Strategy", id)).at(-1)).toMatchObject({ operation: "DELETE", after: null, before: { countyCode: "14" } });
    expect((await ok(`{ strategy(countyCode: "14") { id } }`, {}, admin)).strategy).toBeNull();
    expect((await ok(`{ strategy(countyCode: "19") { id principles { number } } }`, {}, admin)).strategy.principles).toHaveLength(12);
  });
});

describe("grant programmes", () => {
  const PROGRAMME = `id name startedOn endedOn principles { number text textEn } source provenance { section }`;
  const CREATE = `mutation($input: CreateGrantProgrammeInput!) { createGrantProgramme(input: $input) { ${PROGRAMME} } }`;
  const UPDATE = `mutation($input: UpdateGrantProgrammeInput!) { updateGrantProgramme(input: $input) { ${PROGRAMME} } }`;
  const REMOVE = `mutation($id: ID!) { removeGrantProgramme(programmeId: $id) }`;
  const AWARD = `mutation($input: AwardGrantInput!) { awardGrant(input: $input) { id } }`;
  let id: string;

  it("createGrantProgramme: with numbered principles; audited; BAD_USER_INPUT for a name the county has, FORBIDDEN for another county; nothing written", async () => {
    const programme = (
      await ok(CREATE, { input: { countyCode: "14", name: "Järjestöavustukset", startedOn: "2023-01-01", principles: [{ text: "Yksi", textEn: "One" }, { text: "Kaksi", textEn: "Two" }], source: "Avustusohje", provenance: { section: "Periaatteet" } } }, coordinator14)
    ).createGrantProgramme;
    id = programme.id;
    expect(programme).toMatchObject({ endedOn: null, principles: [{ number: 1, text: "Yksi" }, { number: 2, text: "Kaksi", textEn: "Two" }], provenance: { section: "Periaatteet" } });
    const changes = (await ok(`query($id: ID!) { grantProgramme(id: $id) { changes { edges { node { operation before after } } } } }`, { id }, admin)).grantProgramme.changes.edges;
    expect(changes).toHaveLength(1);
    expect(changes[0].node).toMatchObject({ operation: "CREATE", before: null, after: { name: "Järjestöavustukset", countyCode: "14" } });
    const before = await snapshot("grant_programme");
    await refused(CREATE, { input: { countyCode: "14", name: "JÄRJESTÖAVUSTUKSET", principles: [], source: "X" } }, coordinator14, "BAD_USER_INPUT", "input.name");
    await refused(CREATE, { input: { countyCode: "14", name: "Muu", principles: [], source: "X" } }, coordinator08, "FORBIDDEN");
    await refused(CREATE, { input: { countyCode: "14", name: "Muu", principles: [{ text: "", textEn: "x" }], source: "X" } }, coordinator14, "BAD_USER_INPUT", "input.principles.0.text");
    expect(await snapshot("grant_programme")).toBe(before);
  });

  it("updateGrantProgramme: ending a programme stops later awards, audited; an end before an award's year, FORBIDDEN, BAD_USER_INPUT change nothing", async () => {
    await ok(AWARD, { input: { programmeId: id, organisationId: "org-municipality-167", amount: "100.00", year: 2025, purpose: "Toiminta" } }, coordinator14);
    const programme = (await ok(UPDATE, { input: { programmeId: id, endedOn: "2025-12-31", principles: [{ text: "Vain yksi", textEn: "Only one" }] } }, coordinator14)).updateGrantProgramme;
    expect(programme).toMatchObject({ endedOn: "2025-12-31", principles: [{ number: 1, text: "Vain yksi" }] });
    const last = (await audit("GrantProgramme", id)).at(-1)!;
    expect(last).toMatchObject({ operation: "UPDATE", before: { endedOn: null }, after: { endedOn: "2025-12-31" } });
    expect(last.before.principles).toHaveLength(2);
    const awards = await snapshot("grant_award");
    await refused(AWARD, { input: { programmeId: id, organisationId: "org-municipality-167", amount: "100.00", year: 2026, purpose: "Myöhässä" } }, coordinator14, "BAD_USER_INPUT", "input.year");
    expect(await snapshot("grant_award")).toBe(awards);
    const before = await snapshot("grant_programme");
    await refused(UPDATE, { input: { programmeId: id, endedOn: "2024-12-31" } }, coordinator14, "BAD_USER_INPUT", "input.endedOn");
    await refused(UPDATE, { input: { programmeId: id, endedOn: "2022-12-31" } }, coordinator14, "BAD_USER_INPUT", "input.endedOn");
    await refused(UPDATE, { input: { programmeId: id, name: "X" } }, coordinator08, "FORBIDDEN");
    await refused(UPDATE, { input: { programmeId: id, name: null } }, coordinator14, "BAD_USER_INPUT", "input.name");
    expect(await snapshot("grant_programme")).toBe(before);
  });

  it("removeGrantProgramme: refused with awards, FORBIDDEN for another county; an unused one removed with a DELETE audited", async () => {
    const before = await snapshot("grant_programme");
    await refused(REMOVE, { id }, coordinator14, "BAD_USER_INPUT", "programmeId");
    const unused = (await ok(CREATE, { input: { countyCode: "14", name: "Väärin kirjattu", principles: [], source: "X" } }, coordinator14)).createGrantProgramme.id;
    await refused(REMOVE, { id: unused }, coordinator08, "FORBIDDEN");
    expect((await ok(REMOVE, { id: unused }, coordinator14)).removeGrantProgramme).toBe(unused);
    expect(await snapshot("grant_programme")).toBe(before);
    expect((await audit("GrantProgramme", unused)).at(-1)).toMatchObject({ operation: "DELETE", after: null, before: { name: "Väärin kirjattu" } });
  });
});

describe("indicator metadata", () => {
  const INDICATOR = `id sotkanetId name nameEn unit source provenance { url }`;
  const CREATE = `mutation($input: CreateIndicatorInput!) { createIndicator(input: $input) { ${INDICATOR} } }`;
  const UPDATE = `mutation($input: UpdateIndicatorInput!) { updateIndicator(input: $input) { ${INDICATOR} } }`;
  const REMOVE = `mutation($id: ID!) { removeIndicator(indicatorId: $id) }`;

  it("createIndicator: an admin records one per Sotkanet id, audited; a coordinator is FORBIDDEN; nothing written on a refusal", async () => {
    const indicator = (await ok(CREATE, { input: { sotkanetId: 990001, name: "Testi-indikaattori", unit: "%", source: "THL Sotkanet", provenance: { url: "https://sotkanet.fi/" } } }, admin)).createIndicator;
    expect(indicator).toMatchObject({ id: "sotkanet-990001", sotkanetId: 990001, unit: "%", provenance: { url: "https://sotkanet.fi/" } });
    const changes = (await ok(`{ indicator(id: "sotkanet-990001") { changes { edges { node { operation before after } } } } }`, {}, admin)).indicator.changes.edges;
    expect(changes[0].node).toMatchObject({ operation: "CREATE", before: null, after: { name: "Testi-indikaattori", sotkanetId: 990001 } });
    const before = await snapshot("indicator");
    await refused(CREATE, { input: { sotkanetId: 990001, name: "Toinen", source: "THL Sotkanet" } }, admin, "BAD_USER_INPUT", "input.sotkanetId");
    await refused(CREATE, { input: { name: "Oma", source: "Kunta" } }, coordinator14, "FORBIDDEN");
    await refused(CREATE, { input: { sotkanetId: -1, name: "Oma", source: "Kunta" } }, admin, "BAD_USER_INPUT", "input.sotkanetId");
    expect(await snapshot("indicator")).toBe(before);
  });

  it("updateIndicator: names and unit, audited; FORBIDDEN and BAD_USER_INPUT change nothing", async () => {
    const indicator = (await ok(UPDATE, { input: { indicatorId: "sotkanet-990001", nameEn: "Test indicator", unit: null } }, admin)).updateIndicator;
    expect(indicator).toMatchObject({ nameEn: "Test indicator", unit: null });
    expect((await audit("Indicator", "sotkanet-990001")).at(-1)).toMatchObject({ operation: "UPDATE", before: { nameEn: null, unit: "%" }, after: { nameEn: "Test indicator", unit: null } });
    const before = await snapshot("indicator");
    await refused(UPDATE, { input: { indicatorId: "sotkanet-990001", name: "X" } }, coordinator14, "FORBIDDEN");
    await refused(UPDATE, { input: { indicatorId: "sotkanet-990001", name: null } }, admin, "BAD_USER_INPUT", "input.name");
    await refused(UPDATE, { input: { indicatorId: "indicator-none", name: "X" } }, admin, "BAD_USER_INPUT", "input.indicatorId");
    expect(await snapshot("indicator")).toBe(before);
  });

  it("removeIndicator: refused while a goal names it, FORBIDDEN for a coordinator; removed with a DELETE audited", async () => {
    const plan = (await ok(`mutation { createWellbeingPlan(input: { countyCode: "08", title: "Mittarit", councilTerm: "2025–2029" }) { id } }`, {}, admin)).createWellbeingPlan.id;
    const goal = (await ok(`mutation($plan: ID!) { addWellbeingGoal(input: { planId: $plan, text: "Mitattu", indicatorIds: ["sotkanet-990001"] }) { id indicators { id } } }`, { plan }, admin)).addWellbeingGoal;
    expect(goal.indicators).toEqual([{ id: "sotkanet-990001" }]);
    const before = await snapshot("indicator");
    expect(await refused(REMOVE, { id: "sotkanet-990001" }, admin, "BAD_USER_INPUT", "indicatorId")).toContain(goal.id);
    await refused(REMOVE, { id: "sotkanet-990001" }, coordinator08, "FORBIDDEN");
    expect(await snapshot("indicator")).toBe(before);
    await ok(`mutation($goal: ID!) { updateWellbeingGoal(input: { goalId: $goal, indicatorIds: [] }) { id } }`, { goal: goal.id }, admin);
    expect((await ok(REMOVE, { id: "sotkanet-990001" }, admin)).removeIndicator).toBe("sotkanet-990001");
    expect((await audit("Indicator", "sotkanet-990001")).at(-1)).toMatchObject({ operation: "DELETE", after: null, before: { name: "Testi-indikaattori" } });
  });
});

describe("N+1 guard", () => {
  it("plans with goals and provenance in a county: the same statements at 1× and 10× data", async () => {
    const QUERY = `{ county(code: "16") { wellbeingPlans { id provenance { section } priorityThemes { id } goals { id provenance { section } theme { id } indicators { id } } } negotiations { id provenance { section } } annualNegotiationPractice { provenance { section } } } }`;
    const theme = (await ok(`mutation { createTheme(input: { countyCode: "16", name: "Lakeuden teema" }) { id } }`, {}, admin)).createTheme.id;
    const addPlan = async (i: number) => {
      const plan = (await ok(`mutation($term: String!, $theme: ID!) { createWellbeingPlan(input: { countyCode: "16", title: "Suunnitelma", councilTerm: $term, priorityThemeIds: [$theme], provenance: { section: "S" } }) { id } }`, { term: `${2001 + i * 4}–${2005 + i * 4}`, theme }, admin)).createWellbeingPlan.id;
      for (let k = 0; k < 2; k++) await ok(`mutation($plan: ID!, $theme: ID!) { addWellbeingGoal(input: { planId: $plan, text: "T", themeId: $theme, provenance: { section: "G" } }) { id } }`, { plan, theme }, admin);
      await ok(`mutation($day: Date!) { recordAnnualNegotiation(input: { countyCode: "16", heldOn: $day, title: "N", provenance: { section: "N" } }) { id } }`, { day: `2024-01-${String(i + 1).padStart(2, "0")}` }, admin);
    };
    const measure = async () => {
      await stack.resetStats();
      const data = await ok(QUERY, {}, admin);
      return { statements: (await stack.stats())["planning"]!.statements, total: totalStatements(await stack.stats()), plans: data.county.wellbeingPlans.length };
    };
    await addPlan(0);
    const once = await measure();
    for (let i = 1; i < 10; i++) await addPlan(i);
    const tenfold = await measure();
    expect([once.plans, tenfold.plans]).toEqual([1, 10]);
    expect(tenfold.statements).toBe(once.statements);
  });
});
