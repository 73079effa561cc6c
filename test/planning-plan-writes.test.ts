import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserToken } from "@yhdyspinta/core";
import { bearer, serviceSql, startTestStack, type TestStack } from "./support.ts";

/**
 * The write paths of wellbeing plans, their goals and the counties' themes,
 * through the gateway: each mutation's outcome, FORBIDDEN for another
 * county's coordinator, BAD_USER_INPUT naming the field with no row changed,
 * and the audit entry with before and after.
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

const PLAN = `id title councilTerm status approvedOn assessment scope county { code } municipality { code } priorityThemes { id } provenance { url section lastConfirmedOn } goals { id position text theme { id } indicators { id } }`;
const CREATE_PLAN = `mutation($input: CreateWellbeingPlanInput!) { createWellbeingPlan(input: $input) { ${PLAN} } }`;
const UPDATE_PLAN = `mutation($input: UpdateWellbeingPlanInput!) { updateWellbeingPlan(input: $input) { ${PLAN} } }`;
const REMOVE_PLAN = `mutation($id: ID!) { removeWellbeingPlan(planId: $id) }`;
const GOAL = `id position text theme { id } indicators { id } plan { id } provenance { section }`;
const ADD_GOAL = `mutation($input: AddWellbeingGoalInput!) { addWellbeingGoal(input: $input) { ${GOAL} } }`;
const UPDATE_GOAL = `mutation($input: UpdateWellbeingGoalInput!) { updateWellbeingGoal(input: $input) { ${GOAL} } }`;
const REMOVE_GOAL = `mutation($id: ID!) { removeWellbeingGoal(goalId: $id) }`;
const THEME = `id position name nameEn county { code } groups { id } provenance { section }`;
const CREATE_THEME = `mutation($input: CreateThemeInput!) { createTheme(input: $input) { ${THEME} } }`;
const UPDATE_THEME = `mutation($input: UpdateThemeInput!) { updateTheme(input: $input) { ${THEME} } }`;
const REMOVE_THEME = `mutation($id: ID!) { removeTheme(themeId: $id) }`;

let themes14: { id: string; name: string }[];

beforeAll(async () => {
  stack = await startTestStack("planning_plan_writes");
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "pw-admin", scope: "data:write", role: "admin" }));
  coordinator14 = bearer(await mintUserToken(stack.authSecret, { sub: "pw-coord-14", scope: "data:write", role: "coordinator", counties: ["14"] }));
  coordinator08 = bearer(await mintUserToken(stack.authSecret, { sub: "pw-coord-08", scope: "data:write", role: "coordinator", counties: ["08"] }));
  themes14 = (await ok(`{ themes(countyCode: "14") { id name } }`, {}, admin)).themes;
  expect(themes14.length).toBeGreaterThanOrEqual(6);
});

afterAll(async () => {
  await stack?.stop();
});

describe("wellbeing plans", () => {
  let planId: string;

  it("createWellbeingPlan: a coordinator records their county's plan with themes and provenance, audited", async () => {
    const plan = (
      await ok(CREATE_PLAN, {
        input: {
          countyCode: "14",
          title: "Pohjois-Karjalan alueellinen hyvinvointikertomus ja -suunnitelma",
          councilTerm: "2025-2029",
          status: "APPROVED",
          approvedOn: "2025-11-03",
          priorityThemeIds: [themes14[1]!.id, themes14[0]!.id],
          provenance: { url: "https://example.invalid/hyvinvointisuunnitelma.pdf", section: "Painopisteet" },
        },
      }, coordinator14)
    ).createWellbeingPlan;
    planId = plan.id;
    expect(plan).toMatchObject({ councilTerm: "2025–2029", status: "APPROVED", approvedOn: "2025-11-03", scope: "COUNTY", county: { code: "14" }, municipality: null, goals: [] });
    expect(plan.priorityThemes.map((t: Data) => t.id)).toEqual([themes14[1]!.id, themes14[0]!.id]);
    expect(plan.provenance).toMatchObject({ url: "https://example.invalid/hyvinvointisuunnitelma.pdf", section: "Painopisteet" });
    const [created] = await audit("WellbeingPlan", planId);
    expect(created).toMatchObject({ operation: "CREATE", before: null, actor_subject: "pw-coord-14" });
    expect(created!.after).toMatchObject({ countyCode: "14", councilTerm: "2025–2029", status: "approved" });
    // Read back through the county and the changes field.
    const read = await ok(`query($id: ID!) { wellbeingPlan(id: $id) { id changes { totalCount edges { node { operation after } } } } }`, { id: planId }, admin);
    expect(read.wellbeingPlan.changes.totalCount).toBe(1);
  });

  it("createWellbeingPlan: a municipality's plan of the county; FORBIDDEN for another county's coordinator", async () => {
    const plan = (await ok(CREATE_PLAN, { input: { countyCode: "14", municipalityCode: "167", title: "Joensuun hyvinvointisuunnitelma", councilTerm: "2025–2029" } }, coordinator14)).createWellbeingPlan;
    expect(plan).toMatchObject({ scope: "MUNICIPALITY", municipality: { code: "167" }, status: "DRAFT", approvedOn: null });
    const before = await snapshot("wellbeing_plan");
    const message = await refused(CREATE_PLAN, { input: { countyCode: "14", title: "Väärä", councilTerm: "2029–2033" } }, coordinator08, "FORBIDDEN");
    expect(message).toContain("county 14");
    expect(await snapshot("wellbeing_plan")).toBe(before);
  });

  it("createWellbeingPlan: BAD_USER_INPUT for a second plan of the term, a theme or municipality of another county, a missing approval date; nothing written", async () => {
    const before = await snapshot("wellbeing_plan");
    const changes = (await sql(`select count(*)::int as n from change_record`))[0].n;
    const base = { countyCode: "14", title: "Toinen", councilTerm: "2025–2029" };
    expect(await refused(CREATE_PLAN, { input: base }, coordinator14, "BAD_USER_INPUT", "input.councilTerm")).toContain("one plan per term");
    const theme08 = (await ok(CREATE_THEME, { input: { countyCode: "08", name: "Pirkanmaan teema" } }, admin)).createTheme.id;
    const after08 = await snapshot("wellbeing_plan");
    expect(after08).toBe(before);
    await refused(CREATE_PLAN, { input: { ...base, councilTerm: "2029–2033", priorityThemeIds: [theme08] } }, coordinator14, "BAD_USER_INPUT", "input.priorityThemeIds");
    await refused(CREATE_PLAN, { input: { ...base, councilTerm: "2029–2033", municipalityCode: "837" } }, coordinator14, "BAD_USER_INPUT", "input.municipalityCode");
    await refused(CREATE_PLAN, { input: { ...base, councilTerm: "2029–2033", status: "APPROVED" } }, coordinator14, "BAD_USER_INPUT", "input.approvedOn");
    await refused(CREATE_PLAN, { input: { ...base, councilTerm: "2029–2025" } }, coordinator14, "BAD_USER_INPUT", "input.councilTerm");
    await refused(CREATE_PLAN, { input: { ...base, councilTerm: "ensi kausi" } }, coordinator14, "BAD_USER_INPUT", "input.councilTerm");
    expect(await snapshot("wellbeing_plan")).toBe(before);
    // Only the admin's theme was recorded meanwhile.
    expect((await sql(`select count(*)::int as n from change_record`))[0].n).toBe(changes + 1);
  });

  it("createWellbeingPlan: 8 parallel creates of one municipality's term leave one plan, the others BAD_USER_INPUT", async () => {
    const input = { countyCode: "14", municipalityCode: "276", title: "Kontiolahden suunnitelma", councilTerm: "2021–2025" };
    const answers = await Promise.all(Array.from({ length: 8 }, () => stack.query<Data>(CREATE_PLAN, { input }, coordinator14)));
    expect(answers.filter((a) => !a.errors)).toHaveLength(1);
    for (const a of answers.filter((x) => x.errors)) {
      expect(a.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.councilTerm" });
      expect(a.errors![0]!.message).not.toMatch(/duplicate key|23505/);
    }
    expect(await sql(`select id from wellbeing_plan where municipality_code = '276' and council_term = '2021–2025'`)).toHaveLength(1);
  });

  it("updateWellbeingPlan: back to draft drops the approval date, audited with before and after; FORBIDDEN and BAD_USER_INPUT change nothing", async () => {
    const plan = (await ok(UPDATE_PLAN, { input: { planId, title: "Uusi nimi", status: "DRAFT", assessment: "Arvio", priorityThemeIds: [themes14[2]!.id] } }, coordinator14)).updateWellbeingPlan;
    expect(plan).toMatchObject({ title: "Uusi nimi", status: "DRAFT", approvedOn: null, assessment: "Arvio", priorityThemes: [{ id: themes14[2]!.id }] });
    const update = (await audit("WellbeingPlan", planId)).at(-1)!;
    expect(update.operation).toBe("UPDATE");
    expect(update.before).toMatchObject({ status: "approved", approvedOn: "2025-11-03", priorityThemeIds: [themes14[1]!.id, themes14[0]!.id] });
    expect(update.after).toMatchObject({ status: "draft", approvedOn: null, title: "Uusi nimi", priorityThemeIds: [themes14[2]!.id] });

    const before = await snapshot("wellbeing_plan");
    await refused(UPDATE_PLAN, { input: { planId, title: "Ei näin" } }, coordinator08, "FORBIDDEN");
    await refused(UPDATE_PLAN, { input: { planId, status: "APPROVED" } }, coordinator14, "BAD_USER_INPUT", "input.approvedOn");
    await refused(UPDATE_PLAN, { input: { planId, title: null } }, coordinator14, "BAD_USER_INPUT", "input.title");
    await refused(UPDATE_PLAN, { input: { planId: "plan-none" } }, coordinator14, "BAD_USER_INPUT", "input.planId");
    expect(await snapshot("wellbeing_plan")).toBe(before);
  });

  describe("goals", () => {
    const goalIds: string[] = [];

    it("addWellbeingGoal: last or at a position, the others renumbered; audited", async () => {
      for (const text of ["Ensimmäinen", "Kolmas"]) {
        goalIds.push((await ok(ADD_GOAL, { input: { planId, text, themeId: themes14[0]!.id } }, coordinator14)).addWellbeingGoal.id);
      }
      const inserted = (await ok(ADD_GOAL, { input: { planId, text: "Toinen", position: 2, provenance: { section: "Tavoitteet" } } }, coordinator14)).addWellbeingGoal;
      goalIds.splice(1, 0, inserted.id);
      expect(inserted).toMatchObject({ position: 2, theme: null, plan: { id: planId }, provenance: { section: "Tavoitteet" } });
      const plan = (await ok(`query($id: ID!) { wellbeingPlan(id: $id) { goals { id position text } } }`, { id: planId }, admin)).wellbeingPlan;
      expect(plan.goals.map((g: Data) => [g.text, g.position])).toEqual([["Ensimmäinen", 1], ["Toinen", 2], ["Kolmas", 3]]);
      const moved = await audit("WellbeingGoal", goalIds[2]!);
      expect(moved.map((c) => c.operation)).toEqual(["CREATE", "UPDATE"]);
      expect(moved[1]).toMatchObject({ before: { position: 2 }, after: { position: 3 } });
    });

    it("addWellbeingGoal: FORBIDDEN for another county's coordinator, BAD_USER_INPUT for a theme of another county or an unknown indicator; nothing written", async () => {
      const before = await snapshot("wellbeing_goal");
      await refused(ADD_GOAL, { input: { planId, text: "X" } }, coordinator08, "FORBIDDEN");
      const theme08 = (await ok(`{ themes(countyCode: "08") { id } }`, {}, admin)).themes[0].id;
      await refused(ADD_GOAL, { input: { planId, text: "X", themeId: theme08 } }, coordinator14, "BAD_USER_INPUT", "input.themeId");
      await refused(ADD_GOAL, { input: { planId, text: "X", indicatorIds: ["indicator-none"] } }, coordinator14, "BAD_USER_INPUT", "input.indicatorIds");
      await refused(ADD_GOAL, { input: { planId, text: "" } }, coordinator14, "BAD_USER_INPUT", "input.text");
      expect(await snapshot("wellbeing_goal")).toBe(before);
    });

    it("updateWellbeingGoal: text, theme and a move to the front; audited; FORBIDDEN and BAD_USER_INPUT change nothing", async () => {
      const goal = (await ok(UPDATE_GOAL, { input: { goalId: goalIds[2], text: "Kolmas, nyt ensin", themeId: null, position: 1 } }, coordinator14)).updateWellbeingGoal;
      expect(goal).toMatchObject({ position: 1, text: "Kolmas, nyt ensin", theme: null });
      const plan = (await ok(`query($id: ID!) { wellbeingPlan(id: $id) { goals { id position } } }`, { id: planId }, admin)).wellbeingPlan;
      expect(plan.goals.map((g: Data) => g.id)).toEqual([goalIds[2], goalIds[0], goalIds[1]]);
      expect(plan.goals.map((g: Data) => g.position)).toEqual([1, 2, 3]);
      const last = (await audit("WellbeingGoal", goalIds[2]!)).at(-1)!;
      expect(last.before).toMatchObject({ text: "Kolmas", themeId: themes14[0]!.id, position: 3 });
      expect(last.after).toMatchObject({ text: "Kolmas, nyt ensin", themeId: null, position: 1 });

      const before = await snapshot("wellbeing_goal");
      await refused(UPDATE_GOAL, { input: { goalId: goalIds[0], text: "X" } }, coordinator08, "FORBIDDEN");
      await refused(UPDATE_GOAL, { input: { goalId: goalIds[0], text: null } }, coordinator14, "BAD_USER_INPUT", "input.text");
      await refused(UPDATE_GOAL, { input: { goalId: goalIds[0], position: 0 } }, coordinator14, "BAD_USER_INPUT", "input.position");
      await refused(UPDATE_GOAL, { input: { goalId: "goal-none", text: "X" } }, coordinator14, "BAD_USER_INPUT", "input.goalId");
      expect(await snapshot("wellbeing_goal")).toBe(before);
    });

    it("removeWellbeingGoal: refused while a measure pursues it; removed with the rest renumbered and a DELETE audited", async () => {
      const measure = (await ok(`mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`, { input: { countyCode: "14", title: "Tavoitteen toimenpide", goalId: goalIds[0] } }, coordinator14)).createMeasure.id;
      const before = await snapshot("wellbeing_goal");
      expect(await refused(REMOVE_GOAL, { id: goalIds[0] }, coordinator14, "BAD_USER_INPUT", "goalId")).toContain(measure);
      await refused(REMOVE_GOAL, { id: goalIds[1] }, coordinator08, "FORBIDDEN");
      expect(await snapshot("wellbeing_goal")).toBe(before);

      expect((await ok(REMOVE_GOAL, { id: goalIds[2] }, coordinator14)).removeWellbeingGoal).toBe(goalIds[2]);
      const plan = (await ok(`query($id: ID!) { wellbeingPlan(id: $id) { goals { id position } } }`, { id: planId }, admin)).wellbeingPlan;
      expect(plan.goals).toEqual([{ id: goalIds[0], position: 1 }, { id: goalIds[1], position: 2 }]);
      const removed = (await audit("WellbeingGoal", goalIds[2]!)).at(-1)!;
      expect(removed).toMatchObject({ operation: "DELETE", after: null, before: { text: "Kolmas, nyt ensin", planId } });
      await ok(`mutation($id: ID!) { removeMeasure(measureId: $id) }`, { id: measure }, coordinator14);
    });
  });

  it("removeWellbeingPlan: refused while it has goals, FORBIDDEN for another county; removed with a DELETE audited", async () => {
    const before = await snapshot("wellbeing_plan");
    await refused(REMOVE_PLAN, { id: planId }, coordinator14, "BAD_USER_INPUT", "planId");
    await refused(REMOVE_PLAN, { id: planId }, coordinator08, "FORBIDDEN");
    expect(await snapshot("wellbeing_plan")).toBe(before);
    const goals = (await ok(`query($id: ID!) { wellbeingPlan(id: $id) { goals { id } } }`, { id: planId }, admin)).wellbeingPlan.goals;
    for (const goal of goals) await ok(REMOVE_GOAL, { id: goal.id }, coordinator14);
    expect((await ok(REMOVE_PLAN, { id: planId }, coordinator14)).removeWellbeingPlan).toBe(planId);
    expect((await ok(`query($id: ID!) { wellbeingPlan(id: $id) { id } }`, { id: planId }, admin)).wellbeingPlan).toBeNull();
    const removed = (await audit("WellbeingPlan", planId)).at(-1)!;
    expect(removed).toMatchObject({ operation: "DELETE", after: null, before: { title: "Uusi nimi", countyCode: "14" } });
    expect(await sql(`select * from record_source where record_type = 'WellbeingPlan' and record_id = $1`, [planId])).toEqual([]);
  });
});

describe("themes", () => {
  let themeId: string;

  it("createTheme: at a position, the county's list renumbered, with groups and provenance; audited", async () => {
    const theme = (await ok(CREATE_THEME, { input: { countyCode: "14", name: "Liikunta", nameEn: "Physical activity", position: 2, groupIds: ["group-pk-keskinen"], provenance: { section: "Teemat" } } }, coordinator14)).createTheme;
    themeId = theme.id;
    expect(theme).toMatchObject({ position: 2, name: "Liikunta", county: { code: "14" }, provenance: { section: "Teemat" } });
    const list = (await ok(`{ themes(countyCode: "14") { id position } }`, {}, admin)).themes;
    expect(list.map((t: Data) => t.id).slice(0, 3)).toEqual([themes14[0]!.id, themeId, themes14[1]!.id]);
    expect(list.map((t: Data) => t.position)).toEqual(list.map((_: Data, i: number) => i + 1));
    const [created] = await audit("Theme", themeId);
    expect(created).toMatchObject({ operation: "CREATE", before: null, after: { name: "Liikunta", countyCode: "14", position: 2 } });
  });

  it("createTheme: BAD_USER_INPUT for a name the county has (letter case aside), FORBIDDEN for another county; nothing written", async () => {
    const before = await snapshot("theme");
    expect(await refused(CREATE_THEME, { input: { countyCode: "14", name: "LIIKUNTA" } }, coordinator14, "BAD_USER_INPUT", "input.name")).toContain(themeId);
    await refused(CREATE_THEME, { input: { countyCode: "14", name: "Uusi" } }, coordinator08, "FORBIDDEN");
    await refused(CREATE_THEME, { input: { countyCode: "1", name: "Uusi" } }, admin, "BAD_USER_INPUT", "input.countyCode");
    await refused(CREATE_THEME, { input: { countyCode: "14", name: "Uusi", groupIds: ["group-none"] } }, coordinator14, "BAD_USER_INPUT", "input.groupIds");
    expect(await snapshot("theme")).toBe(before);
  });

  it("createTheme: 8 parallel creates of one name leave one theme", async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => stack.query<Data>(CREATE_THEME, { input: { countyCode: "14", name: "Rinnakkainen" } }, coordinator14)));
    expect(answers.filter((a) => !a.errors)).toHaveLength(1);
    for (const a of answers.filter((x) => x.errors)) expect(a.errors![0]!.extensions!["field"]).toBe("input.name");
    expect(await sql(`select id from theme where county_code = '14' and lower(name) = 'rinnakkainen'`)).toHaveLength(1);
  });

  it("updateTheme: rename and move, audited; FORBIDDEN and BAD_USER_INPUT change nothing", async () => {
    const theme = (await ok(UPDATE_THEME, { input: { themeId, name: "Liikunta ja ulkoilu", position: 1, nameEn: null } }, coordinator14)).updateTheme;
    expect(theme).toMatchObject({ name: "Liikunta ja ulkoilu", position: 1, nameEn: null });
    const last = (await audit("Theme", themeId)).at(-1)!;
    expect(last).toMatchObject({ operation: "UPDATE", before: { name: "Liikunta", nameEn: "Physical activity", position: 2 }, after: { name: "Liikunta ja ulkoilu", nameEn: null, position: 1 } });
    const before = await snapshot("theme");
    await refused(UPDATE_THEME, { input: { themeId, name: "X" } }, coordinator08, "FORBIDDEN");
    await refused(UPDATE_THEME, { input: { themeId, name: themes14[3]!.name.toUpperCase() } }, coordinator14, "BAD_USER_INPUT", "input.name");
    await refused(UPDATE_THEME, { input: { themeId, name: null } }, coordinator14, "BAD_USER_INPUT", "input.name");
    expect(await snapshot("theme")).toBe(before);
  });

  it("removeTheme: refused while a plan names it; removed when nothing does, a DELETE audited", async () => {
    const plan = (await ok(CREATE_PLAN, { input: { countyCode: "14", title: "Teemasuunnitelma", councilTerm: "2021–2025", priorityThemeIds: [themeId] } }, coordinator14)).createWellbeingPlan.id;
    const before = await snapshot("theme");
    expect(await refused(REMOVE_THEME, { id: themeId }, coordinator14, "BAD_USER_INPUT", "themeId")).toContain(plan);
    await refused(REMOVE_THEME, { id: themeId }, coordinator08, "FORBIDDEN");
    expect(await snapshot("theme")).toBe(before);
    await ok(UPDATE_PLAN, { input: { planId: plan, priorityThemeIds: [] } }, coordinator14);
    const listed = async () => (await ok(`{ themes(countyCode: "14") { id position } }`, {}, admin)).themes as { id: string; position: number }[];
    const was = await listed();
    expect(was.findIndex((t) => t.id === themeId)).toBe(0);
    expect((await ok(REMOVE_THEME, { id: themeId }, coordinator14)).removeTheme).toBe(themeId);
    expect((await audit("Theme", themeId)).at(-1)).toMatchObject({ operation: "DELETE", after: null, before: { name: "Liikunta ja ulkoilu" } });
    // The themes after it moved up: the same order, numbered 1…n without a gap.
    const now = await listed();
    expect(now.map((t) => t.id)).toEqual(was.slice(1).map((t) => t.id));
    expect(now.map((t) => t.position)).toEqual(now.map((_, i) => i + 1));
    expect((await audit("Theme", was[1]!.id)).at(-1)).toMatchObject({ operation: "UPDATE", before: { position: 2 }, after: { position: 1 } });
  });
});
