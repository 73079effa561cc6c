import { execFile } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { mintUserToken } from "@yhdyspinta/core";
import { viewDocument } from "../views/index.ts";
import { bearer, QUEUED_WRITE_BOUNDS, serviceSql, startTestStack, type TestStack } from "./support.ts";
import { businessId, postImport, type ImportOptions } from "./import-support.ts";

/**
 * The planning kinds of the bulk import (docs/IMPORT.md): plans with their
 * goals, and measures, as test/import.test.ts does the other kinds: a dry
 * run then the apply, a re-import changing nothing, an edited cell applied
 * field by field and audited, refusals naming the column and the rule, and
 * another county's coordinator FORBIDDEN. The plan follow-up view answers
 * what was imported.
 *
 * Not covered: an export → edit → import round trip. The plan follow-up
 * view's CSV export (gateway/src/exports/columns.ts) is not in the import's
 * columns (it names no goal or plan), and no import-column export of
 * measures exists.
 */

let stack: TestStack;
let coordinator14: Record<string, string>;
let coordinator06: Record<string, string>;
let admin: Record<string, string>;
let token14: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Report = any;

beforeAll(async () => {
  stack = await startTestStack("import_plans", { env: { ...QUEUED_WRITE_BOUNDS } });
  token14 = await mintUserToken(stack.authSecret, { sub: "planner-14", scope: "data:write", role: "coordinator", counties: ["14"] });
  coordinator14 = bearer(token14);
  coordinator06 = bearer(await mintUserToken(stack.authSecret, { sub: "planner-06", scope: "data:write", role: "coordinator", counties: ["06"] }));
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "admin-1", scope: "data:write", role: "admin" }));
});

afterAll(async () => {
  await stack?.stop();
});

async function importFile(kind: string, content: string | Buffer, options: ImportOptions = {}) {
  return await postImport(stack.gatewayUrl, coordinator14, kind, content, options);
}

const unique = () => randomBytes(3).toString("hex");
const csv = (lines: string[]) => `\uFEFF${lines.join("\r\n")}\r\n`;
/** A council term no other test (or the seed) has a plan for. */
const term = () => {
  const from = 2100 + randomInt(7000);
  return `${from}–${from + 4}`;
};

async function xlsx(header: string[], rows: string[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("toimenpiteet");
  sheet.addRow(header);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** An organisation with a business ID, one known by name only, and a group, imported into county 14; an indicator in the register. */
async function actors(p: string, base: number): Promise<{ orgA: string; orgAName: string; orgBName: string; groupName: string; sotkanetId: number; indicatorName: string }> {
  const orgA = businessId(base);
  const orgAName = `Suunnittelijat ${p} ry`;
  const orgBName = `Liikkujat ${p} ry`;
  const organisations = await importFile("organisations", csv(["Nimi;Tyyppi;Y-tunnus;Hyvinvointialue;Kunnat", `${orgAName};association;${orgA};14;167`, `${orgBName};association;;14;167`]), { apply: true });
  expect(organisations.status, JSON.stringify(organisations.body).slice(0, 2000)).toBe(200);
  const groupName = `Hyte-ryhmä ${p}, Joensuu`;
  expect((await importFile("groups", csv(["Hyvinvointialue;Nimi;Tyyppi;Kunnat", `14;"${groupName}";partnership_group;167`]), { apply: true })).status).toBe(200);
  const sotkanetId = 900_000 + randomInt(90_000);
  const indicatorName = `Liikkuvat koululaiset ${p}`;
  const created = await stack.query(`mutation($input: CreateIndicatorInput!) { createIndicator(input: $input) { id } }`, { input: { sotkanetId, name: indicatorName, unit: "%", source: "THL Sotkanet" } }, admin);
  expect(created.errors).toBeUndefined();
  return { orgA, orgAName, orgBName, groupName, sotkanetId, indicatorName };
}

const PLANS_HEADER = "Hyvinvointialue;Kunta;Valtuustokausi;Suunnitelma;Tila;Hyväksytty;Tavoite;Teema;Mittarit";
const MEASURES_HEADER = ["Hyvinvointialue / County", "Kunta / Municipality", "Valtuustokausi / Council term", "Tavoite / Goal", "Toimenpide / Measure", "Tila / Status", "Vastuuorganisaatiot / Responsible organisations", "Vastuuryhmät / Responsible groups", "Alkaa / Starts on", "Päättyy / Ends on"];

describe("import of plans (with goals) and measures", () => {
  it("dry-runs, applies the same, re-imports as no change, updates field by field, and the plan follow-up view answers it", { timeout: 300_000 }, async () => {
    const p = unique();
    const { orgA, orgAName, orgBName, groupName, sotkanetId, indicatorName } = await actors(p, 6_100_000);
    const t = term();
    const plans = csv([
      PLANS_HEADER,
      `14;;${t};Hyvinvointisuunnitelma ${p};approved;2025-10-01;Liikunta lisääntyy ${p};Elintavat;${sotkanetId}`,
      `14;;${t};Hyvinvointisuunnitelma ${p};approved;2025-10-01;Yksinäisyys vähenee ${p};osallisuus;`,
      `14;Joensuu;${t};Joensuun suunnitelma ${p};draft;;Mieli hyvin ${p};Mielen hyvinvointi;${indicatorName}`,
    ]);
    const storedPlans = async () => await serviceSql<{ id: string; municipality_code: string | null; status: string; approved_on: string | null }>(stack, "planning", `select id, municipality_code, status, approved_on::text from wellbeing_plan where council_term = $1 order by municipality_code nulls first`, [t]);

    const dry = await importFile("plans", plans, { name: "suunnitelmat.csv" });
    expect(dry.status, JSON.stringify(dry.body).slice(0, 2000)).toBe(200);
    expect(dry.body.counts).toEqual({ created: 3, updated: 0, unchanged: 0, refused: 0 });
    expect(dry.body.rows.map((r: Report) => r.key)).toEqual([`14 ${t}: Liikunta lisääntyy ${p}`, `14 ${t}: Yksinäisyys vähenee ${p}`, `Joensuu (14) ${t}: Mieli hyvin ${p}`]);
    expect(await storedPlans()).toHaveLength(0);

    const forbidden = await importFile("plans", plans, { apply: true, headers: coordinator06 });
    expect(forbidden.status, JSON.stringify(forbidden.body).slice(0, 2000)).toBe(403);
    expect(forbidden.body.rows[0].problems[0]).toMatchObject({ column: "county", code: "FORBIDDEN" });
    expect(await storedPlans()).toHaveLength(0);

    const applied = await importFile("plans", plans, { apply: true, name: "suunnitelmat.csv" });
    expect(applied.status, JSON.stringify(applied.body).slice(0, 2000)).toBe(200);
    expect(applied.body.applied).toBe(true);
    expect(applied.body.rows.map((r: Report) => [r.row, r.status, r.key])).toEqual(dry.body.rows.map((r: Report) => [r.row, r.status, r.key]));
    const [county, joensuu] = await storedPlans();
    expect(county).toMatchObject({ municipality_code: null, status: "approved", approved_on: "2025-10-01" });
    expect(joensuu).toMatchObject({ municipality_code: "167", status: "draft", approved_on: null });
    const goals = await serviceSql<{ id: string; text: string; position: number; theme: string; indicator_ids: string[] }>(stack, "planning", `select g.id, g.text, g.position, t.name as theme, g.indicator_ids from wellbeing_goal g join theme t on t.id = g.theme_id where g.plan_id = any($1) order by g.plan_id = $2 desc, g.position`, [[county!.id, joensuu!.id], county!.id]);
    expect(goals.map((g) => [g.text, g.position, g.theme, g.indicator_ids])).toEqual([
      [`Liikunta lisääntyy ${p}`, 1, "Elintavat", [`sotkanet-${sotkanetId}`]],
      [`Yksinäisyys vähenee ${p}`, 2, "Osallisuus", []],
      [`Mieli hyvin ${p}`, 1, "Mielen hyvinvointi", [`sotkanet-${sotkanetId}`]],
    ]);
    const source = await serviceSql<{ section: string }>(stack, "planning", `select section from record_source where record_type = 'WellbeingGoal' and record_id = $1`, [goals[0]!.id]);
    expect(source[0]?.section).toBe(`Tuonti / import: suunnitelmat.csv (sha256 ${applied.body.file.sha256})`);
    expect((await importFile("plans", plans, { apply: true })).body.counts).toEqual({ created: 0, updated: 0, unchanged: 3, refused: 0 });

    const measureRows = [
      ["14", "", t, `Liikunta lisääntyy ${p}`, `Liikuntaneuvonta ${p}`, "in_progress", `${orgA}; ${orgBName}`, groupName, "2026-01-01", "2026-12-31"],
      ["14", "167", t, `Mieli hyvin ${p}`, `Mielenterveyskurssit ${p}`, "planned", orgAName, "", "", ""],
    ];
    const measures = await xlsx(MEASURES_HEADER, measureRows);
    const storedMeasures = async () => await serviceSql<{ id: string; title: string; status: string; goal_id: string; organisation_ids: string[]; group_ids: string[]; starts_on: string | null }>(stack, "planning", `select id, title, status, goal_id, organisation_ids, group_ids, starts_on::text from measure where title like $1 order by title`, [`%${p}`]);
    const dryMeasures = await importFile("measures", measures, { name: "toimenpiteet.xlsx" });
    expect(dryMeasures.status, JSON.stringify(dryMeasures.body).slice(0, 2000)).toBe(200);
    expect(dryMeasures.body.counts).toEqual({ created: 2, updated: 0, unchanged: 0, refused: 0 });
    expect(await storedMeasures()).toHaveLength(0);
    const forbiddenMeasures = await importFile("measures", measures, { apply: true, headers: coordinator06 });
    expect(forbiddenMeasures.status, JSON.stringify(forbiddenMeasures.body).slice(0, 2000)).toBe(403);
    expect(await storedMeasures()).toHaveLength(0);
    const appliedMeasures = await importFile("measures", measures, { apply: true, name: "toimenpiteet.xlsx" });
    expect(appliedMeasures.status, JSON.stringify(appliedMeasures.body).slice(0, 2000)).toBe(200);
    expect(appliedMeasures.body.rows.map((r: Report) => [r.row, r.status, r.key])).toEqual(dryMeasures.body.rows.map((r: Report) => [r.row, r.status, r.key]));
    const [neuvonta, kurssit] = await storedMeasures();
    expect(neuvonta).toMatchObject({ status: "in_progress", goal_id: goals[0]!.id, starts_on: "2026-01-01" });
    expect(neuvonta!.organisation_ids).toHaveLength(2);
    expect(neuvonta!.group_ids).toHaveLength(1);
    expect(kurssit).toMatchObject({ status: "planned", goal_id: goals[2]!.id, group_ids: [] });
    expect((await importFile("measures", measures, { apply: true })).body.counts).toEqual({ created: 0, updated: 0, unchanged: 2, refused: 0 });

    // The plan follow-up view: each measure under its goal's theme and its plan's municipality, with its responsible actors; the goals' indicator followed up.
    const view = await stack.query<Report>(viewDocument("plan-follow-up"), { countyCode: "14" }, coordinator14);
    expect(view.errors).toBeUndefined();
    const cells = view.data.county.measureFollowUp.flatMap((c: Report) => c.measures.filter((m: Report) => m.title.endsWith(p)).map((m: Report) => ({
      status: c.status, theme: c.theme?.name ?? null, municipality: c.municipality?.code ?? null, title: m.title,
      organisations: m.responsibleOrganisations.map((o: Report) => o.name).sort(), groups: m.responsibleGroups.map((g: Report) => g.name),
    })));
    expect(cells.sort((a: Report, b: Report) => a.title.localeCompare(b.title))).toEqual([
      { status: "IN_PROGRESS", theme: "Elintavat", municipality: null, title: `Liikuntaneuvonta ${p}`, organisations: [orgBName, orgAName].sort(), groups: [groupName] },
      { status: "PLANNED", theme: "Mielen hyvinvointi", municipality: "167", title: `Mielenterveyskurssit ${p}`, organisations: [orgAName], groups: [] },
    ]);
    expect(view.data.county.indicatorFollowUp.map((f: Report) => f.indicator.name)).toContain(indicatorName);

    // Edited cells: a status and a cleared group list; a plan approved. Exactly those changes, audited as the importer.
    const TYPES = ["Measure", "WellbeingPlan", "WellbeingGoal"];
    const auditedBefore = (await serviceSql<{ n: number }>(stack, "planning", `select count(*)::int as n from change_record where actor_subject = 'planner-14' and entity_type = any($1)`, [TYPES]))[0]!.n;
    const edited = await xlsx(MEASURES_HEADER, [[...measureRows[0]!.slice(0, 5), "done", measureRows[0]![6]!, "", "2026-01-01", "2026-12-31"], measureRows[1]!]);
    const updated = await importFile("measures", edited, { apply: true, name: "toimenpiteet-2.xlsx" });
    expect(updated.status, JSON.stringify(updated.body).slice(0, 2000)).toBe(200);
    expect(updated.body.counts).toEqual({ created: 0, updated: 1, unchanged: 1, refused: 0 });
    expect(updated.body.rows[0].changes).toEqual([
      { field: "status", before: "in_progress", after: "done" },
      { field: "groups", before: neuvonta!.group_ids, after: [] },
    ]);
    const approved = await importFile("plans", csv([PLANS_HEADER, `14;167;${t};Joensuun suunnitelma ${p};approved;2025-12-01;Mieli hyvin ${p};Mielen hyvinvointi;${sotkanetId}`]), { apply: true });
    expect(approved.status, JSON.stringify(approved.body).slice(0, 2000)).toBe(200);
    expect(approved.body.rows[0]).toMatchObject({ status: "updated", changes: [{ field: "status", before: "draft", after: "approved" }, { field: "approvedOn", before: null, after: "2025-12-01" }] });
    const audited = await serviceSql<{ entity_type: string; operation: string; changed_fields: string[]; actor_role: string }>(stack, "planning", `select entity_type, operation, changed_fields, actor_role from change_record where actor_subject = 'planner-14' and entity_type = any($2) order by changed_at, id offset $1`, [auditedBefore, TYPES]);
    expect(audited.map((a) => [a.entity_type, a.operation, [...a.changed_fields].sort(), a.actor_role])).toEqual([
      ["Measure", "UPDATE", ["groupIds", "status"], "coordinator"],
      ["WellbeingPlan", "UPDATE", ["approvedOn", "status"], "coordinator"],
    ]);
    expect((await storedMeasures()).map((m) => [m.status, m.group_ids])).toEqual([["done", []], ["planned", []]]);
  });

  it("refuses rows naming the column and the rule (nothing written), and a goal named ambiguously as AMBIGUOUS", { timeout: 300_000 }, async () => {
    const p = unique();
    const { orgA, groupName } = await actors(p, 6_200_000);
    const t = term();
    expect((await importFile("plans", csv([PLANS_HEADER, `14;;${t};Suunnitelma ${p};draft;;Tavoite ${p};;`]), { apply: true })).status).toBe(200);
    const count = async () => (await serviceSql<{ n: number }>(stack, "planning", `select count(*)::int as n from measure where title like $1`, [`%${p}`]))[0]!.n;

    const header = "County;Council term;Goal;Measure;Status;Responsible organisations;Responsible groups;Starts on;Ends on";
    const bad = await importFile("measures", csv([
      header,
      `14;${t};Tavoite ${p};Hyvä ${p};planned;${orgA};"${groupName}";2026-01-01;2026-06-30`,
      `14;${t};Tavoite ${p};Takaperin ${p};planned;${orgA};;2026-06-30;2026-01-01`,
      `14;${t};Tavoite ${p};Tuntematon ryhmä ${p};planned;;Ei ole ${p};;`,
      `14;${t};Tavoite ${p};Väärä tila ${p};valmis;;;;`,
      `14;${t};Ei tavoitetta ${p};Ilman ${p};planned;;;;`,
    ]), { apply: true });
    expect(bad.status, JSON.stringify(bad.body).slice(0, 2000)).toBe(422);
    expect(bad.body.applied).toBe(false);
    expect(bad.body.rows.map((r: Report) => r.status)).toEqual(["created", "refused", "refused", "refused", "refused"]);
    expect(bad.body.rows[1].problems).toEqual([{ column: "endsOn", rule: "the measure would end (2026-01-01) before it starts (2026-06-30)", code: "BAD_USER_INPUT" }]);
    expect(bad.body.rows[2].problems[0]).toMatchObject({ column: "groups", code: "NOT_FOUND" });
    expect(bad.body.rows[3].problems[0]).toMatchObject({ column: "status", rule: "must be one of planned, in_progress, done, cancelled" });
    expect(bad.body.rows[4].problems[0]).toMatchObject({ column: "goal", code: "NOT_FOUND" });
    expect(bad.body.headers.endsOn).toBe("Ends on");
    expect(await count()).toBe(0);

    // Two goals of the plan with one text (the mutation allows it): a measure naming it is refused, not guessed.
    const [plan] = await serviceSql<{ id: string }>(stack, "planning", `select id from wellbeing_plan where council_term = $1`, [t]);
    const added = await stack.query(`mutation($input: AddWellbeingGoalInput!) { addWellbeingGoal(input: $input) { id } }`, { input: { planId: plan!.id, text: `Tavoite ${p}` } }, coordinator14);
    expect(added.errors).toBeUndefined();
    const ambiguous = await importFile("measures", csv([header, `14;${t};Tavoite ${p};Hyvä ${p};planned;;;;`]), { apply: true });
    expect(ambiguous.status, JSON.stringify(ambiguous.body).slice(0, 2000)).toBe(422);
    expect(ambiguous.body.rows[0].problems[0]).toMatchObject({ column: "goal", code: "AMBIGUOUS" });
    expect(await count()).toBe(0);

    // A plan's cells disagreeing between its rows; a plan approved without its day (the plan rule, in its words).
    const disagree = await importFile("plans", csv([PLANS_HEADER, `14;;${t};Suunnitelma ${p};draft;;;;`, `14;;${t};Toinen nimi ${p};draft;;;;`, `14;146;${t};Ilomantsi ${p};approved;;;;`]));
    expect(disagree.status, JSON.stringify(disagree.body).slice(0, 2000)).toBe(422);
    expect(disagree.body.rows[1].problems[0]).toMatchObject({ column: "title", code: "BAD_USER_INPUT" });
    expect(disagree.body.rows[2].problems[0]).toEqual({ column: "approvedOn", rule: "an approved plan needs approvedOn, the date the council approved it", code: "BAD_USER_INPUT" });
  });

  it("serves the kinds' templates, and `pnpm run import` takes a measures file as the route does", { timeout: 300_000 }, async () => {
    const kinds = (await (await fetch(new URL("import/kinds", stack.gatewayUrl))).json()) as { kinds: { name: string }[] };
    expect(kinds.kinds.map((k) => k.name).slice(-2)).toEqual(["plans", "measures"]);
    const template = (await (await fetch(new URL("import/templates/measures.csv", stack.gatewayUrl))).text()).replace(/^\uFEFF/, "");
    expect(template.startsWith("Hyvinvointialue / County;Kunta / Municipality;Valtuustokausi / Council term;Tavoite / Goal;Toimenpide / Measure")).toBe(true);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await (await fetch(new URL("import/templates/plans.xlsx", stack.gatewayUrl))).arrayBuffer()) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(["suunnitelmat", "Ohje - Guide"]);

    const p = unique();
    const t = term();
    expect((await importFile("plans", csv([PLANS_HEADER, `14;;${t};Suunnitelma ${p};draft;;Tavoite ${p};Turvallisuus;`]), { apply: true })).status).toBe(200);
    const dir = await mkdtemp(join(tmpdir(), "import-plans-"));
    const file = join(dir, "toimenpiteet.csv");
    await writeFile(file, csv(["Hyvinvointialue;Valtuustokausi;Tavoite;Toimenpide;Tila", `14;${t};Tavoite ${p};Turvakävely ${p};planned`]));
    const run = async (...args: string[]) =>
      await promisify(execFile)(join("node_modules", ".bin", "tsx"), ["--conditions=development", "gateway/src/import/cli.ts", "measures", file, ...args], { env: { ...process.env, GATEWAY_URL: stack.gatewayUrl, YHDYSPINTA_TOKEN: token14 } });
    const dry = await run();
    expect(JSON.parse(dry.stdout).counts).toEqual({ created: 1, updated: 0, unchanged: 0, refused: 0 });
    expect(dry.stderr).toContain("dry run: 1 created");
    const applied = await run("--apply");
    expect(JSON.parse(applied.stdout)).toMatchObject({ applied: true, file: { name: "toimenpiteet.csv" } });
    expect(await serviceSql(stack, "planning", `select id from measure where title = $1`, [`Turvakävely ${p}`])).toHaveLength(1);
  });
});
