import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openServiceDatabase, withDatabase, databaseName } from "@yhdyspinta/core";
import { createTestDatabase, type TestDatabase } from "@yhdyspinta/core/testing";
import { groupsService } from "../../services/groups/src/service.ts";
import { organisationsService } from "../../services/organisations/src/service.ts";
import { planningService } from "../../services/planning/src/service.ts";
import { startTestStack, type TestStack } from "../../test/support.ts";
import {
  generateDataset,
  SYNTHETIC_PREFIX,
  syntheticKeyColumn,
  TABLES_OF,
  type GenerateResult,
  type GenerateTargets,
  type ServiceDb,
} from "../src/generate.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

const DBS: ServiceDb[] = ["organisations", "groups", "planning"];

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** md5 over every synthetic (or, with `demo`, every other) row of every generated table. */
async function checksums(targets: GenerateTargets, which: "synthetic" | "demo" = "synthetic"): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const db of DBS) {
    for (const table of TABLES_OF[db]) {
      const op = which === "synthetic" ? "like" : "not like";
      const [row] = await query<{ sum: string }>(
        targets[db],
        `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as sum from "${table}" t where "${syntheticKeyColumn(table)}" ${op} $1`,
        [`${SYNTHETIC_PREFIX}%`],
      );
      result[`${db}.${table}`] = row!.sum;
    }
  }
  return result;
}

async function syntheticCounts(targets: GenerateTargets): Promise<GenerateResult["counts"]> {
  const counts = { organisations: {}, groups: {}, planning: {} } as GenerateResult["counts"];
  for (const db of DBS) {
    for (const table of TABLES_OF[db]) {
      const [row] = await query<{ n: string }>(
        targets[db],
        `select count(*) as n from "${table}" where "${syntheticKeyColumn(table)}" like $1`,
        [`${SYNTHETIC_PREFIX}%`],
      );
      counts[db][table] = Number(row!.n);
    }
  }
  return counts;
}

/** Values of a query's first column, arrays flattened. */
async function values(url: string, sql: string): Promise<string[]> {
  const rows = await query<{ v: string | string[] | null }>(url, sql);
  return rows.flatMap((r) => (r.v === null ? [] : Array.isArray(r.v) ? r.v : [r.v]));
}

let stack: TestStack;
let stackTargets: GenerateTargets;
const fresh: TestDatabase[] = [];
let tenTargets: GenerateTargets;

beforeAll(async () => {
  stack = await startTestStack("bench");
  const base = databaseName(stack.databaseUrl);
  stackTargets = {
    organisations: withDatabase(stack.databaseUrl, `${base}_organisations`),
    groups: withDatabase(stack.databaseUrl, `${base}_groups`),
    planning: withDatabase(stack.databaseUrl, `${base}_planning`),
  };
  // Scale 10 goes into databases of its own, migrated and seeded the way the services do it (no HTTP needed).
  const definitions = { organisations: organisationsService, groups: groupsService, planning: planningService } as const;
  tenTargets = {} as GenerateTargets;
  for (const db of DBS) {
    const database = await createTestDatabase(`bench10_${db}`);
    fresh.push(database);
    const orm = await openServiceDatabase(definitions[db] as never, { databaseUrl: database.url, seed: true, createDatabase: false });
    await orm.close();
    tenTargets[db] = database.url;
  }
});

afterAll(async () => {
  await stack?.stop();
  for (const database of fresh) await database.drop();
});

describe("synthetic-data generator", () => {
  let one: GenerateResult;
  let ten: GenerateResult;
  let firstSums: Record<string, string>;

  it("writes scale 1 for Pohjois-Karjala without touching demo rows, and refuses to write twice", async () => {
    const demoBefore = await checksums(stackTargets, "demo");
    one = await generateDataset(stackTargets, { seed: 42, scale: 1 });
    expect(one.counties).toEqual(["14"]);
    expect(await syntheticCounts(stackTargets)).toEqual(one.counts);
    expect(one.counts.groups["membership"]).toBe(50);
    expect(await checksums(stackTargets, "demo")).toEqual(demoBefore);
    firstSums = await checksums(stackTargets);

    await expect(generateDataset(stackTargets, { seed: 42, scale: 1 })).rejects.toThrow(/already hold synthetic \(syn-\) rows.*--replace/);
    expect(await checksums(stackTargets)).toEqual(firstSums);
  });

  it("is deterministic: the same seed gives the same rows, another seed other rows", async () => {
    await generateDataset(stackTargets, { seed: 43, scale: 1, replace: true });
    const other = await checksums(stackTargets);
    expect(other["groups.membership"]).not.toBe(firstSums["groups.membership"]);
    expect(other["organisations.person"]).not.toBe(firstSums["organisations.person"]);

    await generateDataset(stackTargets, { seed: 42, scale: 1, replace: true });
    expect(await checksums(stackTargets)).toEqual(firstSums);
  });

  it("scale 10 is ten times scale 1 in the growing tables, the same in per-county ones", async () => {
    ten = await generateDataset(tenTargets, { seed: 42, scale: 10 });
    expect(await syntheticCounts(tenTargets)).toEqual(ten.counts);
    const growing: [ServiceDb, string][] = [
      ["organisations", "organisation"],
      ["organisations", "person"],
      ["groups", "cooperation_group"],
      ["groups", "membership"],
      ["groups", "meeting"],
      ["groups", "nomination_round"],
      ["planning", "measure"],
    ];
    for (const [db, table] of growing) {
      expect(ten.counts[db][table], `${db}.${table}`).toBe(10 * one.counts[db][table]!);
      expect(one.counts[db][table], `${db}.${table}`).toBeGreaterThan(0);
    }
    const fixed: [ServiceDb, string][] = [
      ["organisations", "organisation_category"],
      ["groups", "area"],
      ["planning", "theme"],
      ["planning", "wellbeing_plan"],
      ["planning", "wellbeing_goal"],
    ];
    for (const [db, table] of fixed) expect(ten.counts[db][table], `${db}.${table}`).toBe(one.counts[db][table]);
    expect(ten.counts.groups["nomination"]!).toBeGreaterThan(5 * one.counts.groups["nomination"]!);
  });

  it("every key a synthetic row refers to exists in the database that owns it", async () => {
    const t = tenTargets;
    const organisations = new Set(await values(t.organisations, "select id as v from organisation"));
    const people = new Set(await values(t.organisations, "select id as v from person"));
    const categories = new Set(await values(t.organisations, "select id as v from organisation_category"));
    const municipalities = new Set(
      await values(t.organisations, "select code as v from municipality where year = (select max(year) from municipality)"),
    );
    const groups = new Set(await values(t.groups, "select id as v from cooperation_group"));
    const areas = new Set(await values(t.groups, "select id as v from area"));
    const seats = new Set(await values(t.groups, "select id as v from group_seat"));
    const memberships = new Set(await values(t.groups, "select id as v from membership"));
    const rounds = new Set(await values(t.groups, "select id as v from nomination_round"));
    const nominators = new Set(await values(t.groups, "select id as v from nominator"));
    const themes = new Set(await values(t.planning, "select id as v from theme"));
    const goals = new Set(await values(t.planning, "select id as v from wellbeing_goal"));
    const measures = new Set(await values(t.planning, "select id as v from measure"));
    const syn = `like '${SYNTHETIC_PREFIX}%'`;

    const checks: [string, string, string, Set<string>][] = [
      ["organisations", "person.organisation_id", `select organisation_id as v from person where id ${syn}`, organisations],
      ["organisations", "organisation.parent_id", `select parent_id as v from organisation where id ${syn}`, organisations],
      ["organisations", "organisation_municipality", `select municipality_code as v from organisation_municipality where organisation_id ${syn}`, municipalities],
      ["organisations", "category assignment", `select category_id as v from organisation_category_assignment where organisation_id ${syn}`, categories],
      ["groups", "membership.person_id", `select person_id as v from membership where id ${syn}`, people],
      ["groups", "membership.organisation_id", `select organisation_id as v from membership where id ${syn}`, organisations],
      ["groups", "membership.group_id", `select group_id as v from membership where id ${syn}`, groups],
      ["groups", "membership.seat_id", `select seat_id as v from membership where id ${syn}`, seats],
      ["groups", "membership.deputy_of_id", `select deputy_of_id as v from membership where id ${syn}`, memberships],
      ["groups", "group_municipality", `select municipality_code as v from group_municipality where group_id ${syn}`, municipalities],
      ["groups", "area_municipality", `select municipality_code as v from area_municipality where area_id ${syn}`, municipalities],
      ["groups", "group.area_id", `select area_id as v from cooperation_group where id ${syn}`, areas],
      ["groups", "group.parent_id", `select parent_id as v from cooperation_group where id ${syn}`, groups],
      ["groups", "group.convener_ids", `select jsonb_array_elements_text(convener_ids) as v from cooperation_group where id ${syn}`, organisations],
      ["groups", "group.secretariat_ids", `select jsonb_array_elements_text(secretariat_ids) as v from cooperation_group where id ${syn}`, organisations],
      ["groups", "seat.organisation_id", `select organisation_id as v from group_seat where id ${syn}`, organisations],
      ["groups", "seat.category_id", `select category_id as v from group_seat where id ${syn}`, categories],
      ["groups", "seat.municipality_code", `select municipality_code as v from group_seat where id ${syn}`, municipalities],
      ["groups", "group_contact.person_id", `select person_id as v from group_contact where group_id ${syn}`, people],
      ["groups", "round.contact_person_id", `select contact_person_id as v from nomination_round where id ${syn}`, people],
      ["groups", "round group", `select group_id as v from nomination_round_group where round_id ${syn}`, groups],
      ["groups", "nominator.round_id", `select round_id as v from nominator where id ${syn}`, rounds],
      ["groups", "nominator.municipality_code", `select municipality_code as v from nominator where id ${syn}`, municipalities],
      ["groups", "nominator.category_id", `select category_id as v from nominator where id ${syn}`, categories],
      ["groups", "nomination.nominator_id", `select nominator_id as v from nomination where id ${syn}`, nominators],
      ["groups", "nomination.person_id", `select person_id as v from nomination where id ${syn}`, people],
      ["groups", "nomination.organisation_id", `select organisation_id as v from nomination where id ${syn}`, organisations],
      ["groups", "nomination.group_id", `select group_id as v from nomination where id ${syn}`, groups],
      ["groups", "meeting.group_id", `select group_id as v from meeting where id ${syn}`, groups],
      ["planning", "theme.group_ids", `select group_ids as v from theme where id ${syn}`, groups],
      ["planning", "plan.municipality_code", `select municipality_code as v from wellbeing_plan where id ${syn}`, municipalities],
      ["planning", "plan.priority_theme_ids", `select priority_theme_ids as v from wellbeing_plan where id ${syn}`, themes],
      ["planning", "goal.theme_id", `select theme_id as v from wellbeing_goal where id ${syn}`, themes],
      ["planning", "measure.goal_id", `select goal_id as v from measure where id ${syn}`, goals],
      ["planning", "measure.organisation_ids", `select organisation_ids as v from measure where id ${syn}`, organisations],
      ["planning", "measure.group_ids", `select group_ids as v from measure where id ${syn}`, groups],
      ["planning", "progress note", `select measure_id as v from measure_progress_note where id ${syn}`, measures],
    ];
    for (const [db, label, sql, set] of checks) {
      const refs = await values(t[db as ServiceDb], sql);
      const dangling = refs.filter((v) => !set.has(v));
      expect(dangling, label).toEqual([]);
    }
    // Not vacuous: the references are there.
    expect((await values(t.groups, `select person_id as v from membership where id ${syn}`)).length).toBe(500);
    expect((await values(t.groups, `select deputy_of_id as v from membership where id ${syn}`)).length).toBeGreaterThan(0);
    // Every municipality of the county is covered by a synthetic partnership group.
    const covered = await values(
      t.groups,
      `select distinct gm.municipality_code as v from group_municipality gm join cooperation_group g on g.id = gm.group_id
       where g.id ${syn} and g.kind = 'partnership_group'`,
    );
    const county14 = await values(
      t.organisations,
      "select code as v from municipality where county_code = '14' and year = (select max(year) from municipality)",
    );
    expect(covered.sort()).toEqual(county14.sort());
  });

  it("the gateway answers over generated data: memberships with people and organisations", async () => {
    const res = await stack.query<Data>(
      `query ($id: ID!) {
        cooperationGroup(id: $id) {
          name kind
          municipalities { code }
          memberships(history: true) {
            role endsOn
            person { name }
            organisation { name kind }
            deputyOf { person { name } }
          }
          themes { name }
        }
        county(code: "14") {
          municipalities { code cooperationGroups(kind: PARTNERSHIP_GROUP) { id } }
        }
      }`,
      { id: `${SYNTHETIC_PREFIX}group-14-1` },
    );
    expect(res.errors).toBeUndefined();
    const group = res.data.cooperationGroup;
    expect(group.name).toMatch(/^Synteettinen alueellinen kumppanuusryhmä/);
    expect(group.kind).toBe("PARTNERSHIP_GROUP");
    expect(group.memberships).toHaveLength(10);
    for (const m of group.memberships) {
      expect(m.person.name).toMatch(/^\S+ \S+$/);
      expect(m.organisation.name.length).toBeGreaterThan(0);
    }
    expect(group.memberships.map((m: Data) => m.role)).toEqual(expect.arrayContaining(["CHAIR", "VICE_CHAIR", "MEMBER", "DEPUTY", "SECRETARY"]));
    expect(group.memberships.some((m: Data) => m.organisation.kind === "MUNICIPALITY")).toBe(true);
    expect(group.memberships.some((m: Data) => m.endsOn !== null)).toBe(true);
    const deputy = group.memberships.find((m: Data) => m.role === "DEPUTY");
    expect(deputy.deputyOf.person.name).toMatch(/^\S+ \S+$/);
    expect(group.themes).toHaveLength(6);
    for (const m of res.data.county.municipalities) {
      expect(m.cooperationGroups.some((g: Data) => g.id.startsWith(SYNTHETIC_PREFIX)), m.code).toBe(true);
    }
  });

  it("covers two council terms with carry-over and a renewal in progress", async () => {
    const t = stackTargets;
    const [terms] = await query<{ renewed: string; pending: string; first: string; carried: string }>(
      t.groups,
      `select (select count(*) from group_term where id like 'syn-%' and previous_id is not null and appointed_on is not null) as renewed,
              (select count(*) from group_term where id like 'syn-%' and previous_id is not null and appointed_on is null) as pending,
              (select count(*) from group_term where id like 'syn-%' and term_id = 'county-council-2022-2025') as first,
              (select count(*) from membership where id like 'syn-%' and carry_over) as carried`,
    );
    expect(Number(terms!.renewed)).toBeGreaterThan(0);
    expect(Number(terms!.pending)).toBe(1);
    expect(Number(terms!.first)).toBe(Number(terms!.renewed) + 1);
    expect(Number(terms!.carried)).toBeGreaterThan(0);

    const res = await stack.query<Data>(
      `query ($id: ID!) {
        cooperationGroup(id: $id) {
          termStatus
          terms { term { id } previous { term { id } } appointedOn renewing }
          last: memberships(activeOn: "2025-05-31") { id carriedOver }
          first: memberships(activeOn: "2025-06-01") { id carriedOver }
        }
      }`,
      { id: `${SYNTHETIC_PREFIX}group-14-1` },
    );
    expect(res.errors).toBeUndefined();
    const group = res.data.cooperationGroup;
    expect(group.termStatus).toBe("CARRY_OVER");
    expect(group.terms).toEqual([
      { term: { id: "county-council-2022-2025" }, previous: null, appointedOn: null, renewing: false },
      { term: { id: "county-council-2025-2029" }, previous: { term: { id: "county-council-2022-2025" } }, appointedOn: null, renewing: true },
    ]);
    // The first term's members who left serve on into the second, carried over.
    expect(group.last.length).toBeGreaterThan(0);
    expect(group.last.every((m: Data) => !m.carriedOver)).toBe(true);
    const carried = group.first.filter((m: Data) => m.carriedOver).map((m: Data) => m.id);
    expect(carried.sort()).toEqual(group.last.map((m: Data) => m.id).sort());
  });
});
