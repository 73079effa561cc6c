import "reflect-metadata";
import { readFile } from "node:fs/promises";
import type { EntityManager } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, KNOWN_AT_HEADER, signViewer, startService, VIEWER_HEADER, type RunningService } from "@yhdyspinta/core";
import { countStatements, createTestDatabase, subgraphRequest, type TestDatabase } from "@yhdyspinta/core/testing";
import { importSotkanet, parseSotkanet } from "../src/indicator/sotkanet-import.ts";
import { Measure } from "../src/measure/measure.entity.ts";
import { MeasureStatus } from "../src/measure/measure-status.ts";
import { WellbeingGoal, WellbeingPlan } from "../src/plan/plan.entity.ts";
import { PlanStatus } from "../src/plan/plan-status.ts";
import { planningService } from "../src/service.ts";

const INTERNAL_SECRET = "planning-test-internal-secret-0123456789abcdef";
const FIXTURE = new URL("../src/indicator/fixtures/sotkanet-format-sample.json", import.meta.url);

let db: TestDatabase;
let service: RunningService;
let writer: Record<string, string>;

const PK_GROUPS = [
  GroupKeys.pkKeskinen,
  GroupKeys.pkPohjoinen,
  GroupKeys.pkLantinen,
  GroupKeys.pkEtelainen,
  GroupKeys.pkHyvinvoinninKumppanuusryhma,
];

beforeAll(async () => {
  db = await createTestDatabase("planning");
  service = await startService(planningService, {
    databaseUrl: db.url,
    port: 0,
    seed: true,
    createDatabase: false,
    internalAuthSecret: INTERNAL_SECRET,
  });
  writer = { [VIEWER_HEADER]: await signViewer({ subject: "test-coordinator", scopes: new Set(["data:write"]), role: "admin", counties: new Set<string>() }, INTERNAL_SECRET) };
});

afterAll(async () => {
  await service?.stop();
  await db?.drop();
});

const query = <T = Record<string, unknown>>(q: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  subgraphRequest<T>(service.url, INTERNAL_SECRET, q, variables, headers);

const entities = (typename: string, key: string, values: string[]) => values.map((v) => ({ __typename: typename, [key]: v }));

describe("strategy (seed 001)", () => {
  it("gives Pohde's service promise, 3 values, 12 principles under 4 headings and 7 cooperation goals", async () => {
    const res = await query<{ strategy: Record<string, any> }>(
      `{ strategy(countyCode: "19") { servicePromise values { position name } principles { number heading text }
         priorities { position name principles { number } } cooperationGoals { number text } steeredDocuments } }`,
    );
    expect(res.errors).toBeUndefined();
    const s = res.data!.strategy;
    expect(s["servicePromise"]).toBe("Hyvinvointi, terveys ja turvallisuus – yhdessä tehden");
    expect(s["values"].map((v: { name: string }) => v.name)).toEqual([
      "Näemme ihmisen",
      "Kohtaamme ammattitaidolla",
      "Edelläkävijänä vaikuttavuudessa",
    ]);
    expect(s["principles"]).toHaveLength(12);
    expect(s["principles"].map((p: { number: number }) => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(s["principles"][4]).toEqual({
      number: 5,
      heading: "Vaikuttavasti yhdessä",
      text: "Palvelujen verkostoa uudistetaan yhteistyössä kuntien, yritysten ja järjestöjen kanssa.",
    });
    expect(s["priorities"]).toEqual([
      { position: 1, name: "Ihmistä varten", principles: [{ number: 1 }, { number: 2 }, { number: 3 }] },
      { position: 2, name: "Vaikuttavasti yhdessä", principles: [{ number: 4 }, { number: 5 }, { number: 6 }] },
      { position: 3, name: "Parhaat osaajat", principles: [{ number: 7 }, { number: 8 }, { number: 9 }] },
      { position: 4, name: "Rohkeasti uutta", principles: [{ number: 10 }, { number: 11 }, { number: 12 }] },
    ]);
    expect(s["cooperationGoals"]).toHaveLength(7);
    expect(s["cooperationGoals"][6]).toEqual({
      number: 7,
      text: "Järjestöt ja seurakunnat mukana tiedontuotannossa ja palvelujen kehittämisessä.",
    });
    expect(s["steeredDocuments"]).toContain("OSUVA-ohjelma");
  });

  it("is reachable from the county entity and absent for a county without one", async () => {
    const res = await query<{ _entities: ({ code: string; strategy: { values: unknown[] } | null } | null)[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on WellbeingServicesCounty { code strategy { values { name } } } } }`,
      { reps: entities("WellbeingServicesCounty", "code", ["19", "16"]) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0]!.strategy!.values).toHaveLength(3);
    expect(res.data!._entities[1]!.strategy).toBeNull();
  });
});

describe("themes (seed 002)", () => {
  it("gives each Pohjois-Karjala partnership group the six themes in order", async () => {
    const res = await query<{ _entities: { id: string; themes: { name: string; nameEn: string }[] }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on CooperationGroup { id themes { name nameEn } } } }`,
      { reps: entities("CooperationGroup", "id", PK_GROUPS) },
    );
    expect(res.errors).toBeUndefined();
    for (const group of res.data!._entities) {
      expect(group.themes.map((t) => t.name)).toEqual([
        "Elintavat",
        "Mielen hyvinvointi",
        "Ehkäisevä päihdetyö",
        "Arjen toimintakyky",
        "Turvallisuus",
        "Osallisuus",
      ]);
      expect(group.themes[2]!.nameEn).toBe("Substance-abuse prevention");
    }
  });

  it("records Pohjois-Karjala's annual negotiation as a practice, with no invented dated negotiation", async () => {
    const res = await query<{ _entities: { annualNegotiationPractice: Record<string, any>; negotiations: unknown[] }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on WellbeingServicesCounty {
         annualNegotiationPractice { legalBasis timesPerYear agenda otherMeetings groups { id } } negotiations { id } } } }`,
      { reps: entities("WellbeingServicesCounty", "code", ["14"]) },
    );
    expect(res.errors).toBeUndefined();
    const county = res.data!._entities[0]!;
    expect(county.annualNegotiationPractice["legalBasis"]).toBe("612/2021 7 § 4 mom.");
    expect(county.annualNegotiationPractice["timesPerYear"]).toBe(1);
    expect(county.annualNegotiationPractice["groups"]).toHaveLength(5);
    expect(county.negotiations).toEqual([]);
  });
});

describe("measures and plans", () => {
  it("creates a measure with responsible organisations and groups and a progress note", async () => {
    const created = await query<{ createMeasure: { id: string; status: string; responsibleGroups: { id: string }[] } }>(
      `mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id status responsibleGroups { id } } }`,
      {
        input: {
          countyCode: "14",
          title: "Test measure",
          startsOn: "2025-01-01",
          endsOn: "2025-12-31",
          organisationIds: ["org-test-association"],
          groupIds: [GroupKeys.pkKeskinen],
        },
      },
      writer,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createMeasure.status).toBe("PLANNED");
    const id = created.data!.createMeasure.id;
    const note = await query(
      `mutation { addMeasureProgressNote(input: { measureId: "${id}", notedOn: "2025-03-01", text: "Started." }) { notedOn } }`,
      {},
      writer,
    );
    expect(note.errors).toBeUndefined();
    const res = await query<{ _entities: { measures: { title: string; progressNotes: { notedOn: string; text: string }[] }[] }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Organisation { measures { title progressNotes { notedOn text } } } } }`,
      { reps: entities("Organisation", "id", ["org-test-association"]) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0]!.measures).toEqual([
      { title: "Test measure", progressNotes: [{ notedOn: "2025-03-01", text: "Started." }] },
    ]);
  });

  it("rejects a measure whose end is before its start, and writes without the scope", async () => {
    const input = { countyCode: "14", title: "Bad dates", startsOn: "2025-06-01", endsOn: "2025-01-01" };
    const bad = await query(`mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`, { input }, writer);
    expect(bad.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(bad.errors?.[0]?.extensions?.["field"]).toBe("input.endsOn");
    const anonymous = await query(`mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`, {
      input: { ...input, endsOn: null },
    });
    expect(anonymous.errors?.[0]?.extensions?.["code"]).not.toBe(undefined);
    expect(anonymous.data?.["createMeasure"] ?? null).toBeNull();
  });

  it("answers a plan's structure: themes → goals → measures → responsible groups → indicators", async () => {
    const em = service.orm.em.fork() as EntityManager;
    em.create(WellbeingPlan, {
      id: "plan-test-167",
      title: "Test plan",
      countyCode: "14",
      municipalityCode: "167",
      councilTerm: "2025–2029",
      status: PlanStatus.APPROVED,
      approvedOn: "2025-11-30",
      assessment: "Test assessment.",
      priorityThemeIds: ["theme-14-osallisuus", "theme-14-elintavat"],
    });
    em.create(WellbeingGoal, {
      id: "goal-test-1",
      planId: "plan-test-167",
      themeId: "theme-14-osallisuus",
      position: 1,
      text: "Test goal",
      indicatorIds: ["sotkanet-127"],
    });
    em.create(Measure, {
      id: "measure-test-plan",
      countyCode: "14",
      goalId: "goal-test-1",
      title: "Plan measure",
      status: MeasureStatus.IN_PROGRESS,
      organisationIds: [],
      groupIds: [GroupKeys.pkKeskinen],
    });
    await em.flush();
    await importSotkanet(em, parseSotkanet(JSON.parse(await readFile(FIXTURE, "utf8"))));
    const res = await query<{ _entities: { wellbeingPlans: Record<string, any>[] }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Municipality { wellbeingPlans {
         id scope status approvedOn assessment county { code } priorityThemes { name }
         goals { text theme { name } measures { title status responsibleGroups { id } goal { id } } indicators { sotkanetId } } } } } }`,
      { reps: entities("Municipality", "code", ["167"]) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0]!.wellbeingPlans).toEqual([
      {
        id: "plan-test-167",
        scope: "MUNICIPALITY",
        status: "APPROVED",
        approvedOn: "2025-11-30",
        assessment: "Test assessment.",
        county: { code: "14" },
        priorityThemes: [{ name: "Osallisuus" }, { name: "Elintavat" }],
        goals: [
          {
            text: "Test goal",
            theme: { name: "Osallisuus" },
            measures: [
              { title: "Plan measure", status: "IN_PROGRESS", responsibleGroups: [{ id: GroupKeys.pkKeskinen }], goal: { id: "goal-test-1" } },
            ],
            indicators: [{ sotkanetId: 127 }],
          },
        ],
      },
    ]);
  });

  it("keeps statements constant for 2 and 5 groups asking themes, measures and negotiations", async () => {
    const q = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on CooperationGroup {
      id themes { name } measures { title responsibleOrganisations { id } progressNotes { text } } negotiations { title } } } }`;
    const few = await countStatements(() => query(q, { reps: entities("CooperationGroup", "id", PK_GROUPS.slice(0, 2)) }));
    const many = await countStatements(() => query(q, { reps: entities("CooperationGroup", "id", PK_GROUPS) }));
    expect(few.result.errors).toBeUndefined();
    expect(many.result.errors).toBeUndefined();
    expect(few.statements).toBeGreaterThan(0);
    expect(many.statements).toBe(few.statements);
  });
});

describe("Sotkanet import", () => {
  const snapshot = async () =>
    await service.orm.em
      .fork()
      .getConnection()
      .execute(
        "select id, indicator_id, region_kind, region_code, sotkanet_region_id, year, sex, value, absolute_value from indicator_value order by id",
      );

  it("is idempotent: a second import leaves the same rows", async () => {
    const bundle = parseSotkanet(JSON.parse(await readFile(FIXTURE, "utf8")));
    const first = await importSotkanet(service.orm.em.fork() as EntityManager, bundle);
    const before = await snapshot();
    const second = await importSotkanet(service.orm.em.fork() as EntityManager, bundle);
    const after = await snapshot();
    expect(first.values).toBe(9);
    expect(first.skipped).toHaveLength(1);
    expect(second).toEqual(first);
    expect(before).toHaveLength(9);
    expect(after).toEqual(before);
  });

  it("audits what it creates or changes as the file import, and nothing when the file changes nothing", async () => {
    const audit = async () =>
      await service.orm.em.fork().getConnection().execute<Record<string, any>[]>(
        `select entity_type, entity_id, operation, actor_subject, actor_role, before, after, changed_fields from change_record
          where entity_type in ('Indicator', 'IndicatorValue') order by changed_at, id`,
      );
    // The earlier imports of the sample: its 9 values and 2 indicators created, once.
    const created = await audit();
    expect(created.filter((e) => e.entity_type === "IndicatorValue")).toHaveLength(9);
    expect(created.filter((e) => e.entity_type === "Indicator").map((e) => e.entity_id).sort()).toEqual(["sotkanet-127", "sotkanet-4404"]);
    expect(created.every((e) => e.operation === "CREATE" && e.actor_subject === "import:sotkanet" && e.actor_role === null && e.before === null)).toBe(true);
    expect(created.find((e) => e.entity_id === "sotkanet-127")!.after).toMatchObject({ id: "sotkanet-127", sotkanetId: 127, name: "Väestö, lukumäärä (format sample)", sourceRegister: null });

    const bundle = parseSotkanet(JSON.parse(await readFile(FIXTURE, "utf8")));
    const joensuu2023 = `{ _entities(representations: [{ __typename: "Municipality", code: "167" }]) {
      ... on Municipality { indicatorValues(indicatorIds: ["sotkanet-127"], years: [2023], sex: [TOTAL]) { value } } } }`;
    const valueOf = async (headers: Record<string, string> = {}) => {
      const res = await query<{ _entities: { indicatorValues: { value: number }[] }[] }>(joensuu2023, {}, headers);
      expect(res.errors).toBeUndefined();
      return res.data!._entities[0]!.indicatorValues[0]!.value;
    };
    const beforeChange = new Date().toISOString();
    const changed = { ...bundle, data: bundle.data.map((r) => (r.region === 9167 && r.year === 2023 && r.gender === "total" && r.indicator === 127 ? { ...r, value: 77600 } : r)) };
    await importSotkanet(service.orm.em.fork() as EntityManager, changed);
    expect(await valueOf()).toBe(77600);
    // Read as known before that import, the value is the one it replaced.
    expect(await valueOf({ [KNOWN_AT_HEADER]: beforeChange })).toBe(77500);
    const entries = (await audit()).slice(created.length);
    expect(entries).toEqual([
      {
        entity_type: "IndicatorValue",
        entity_id: expect.any(String),
        operation: "UPDATE",
        actor_subject: "import:sotkanet",
        actor_role: null,
        before: expect.objectContaining({ indicatorId: "sotkanet-127", regionKind: "municipality", regionCode: "167", year: 2023, sex: "total", value: 77500 }),
        after: expect.objectContaining({ indicatorId: "sotkanet-127", regionKind: "municipality", regionCode: "167", year: 2023, sex: "total", value: 77600 }),
        changed_fields: ["value"],
      },
    ]);

    // Back to the sample: one more entry; the same file again: none.
    await importSotkanet(service.orm.em.fork() as EntityManager, bundle);
    expect((await audit()).slice(created.length)).toHaveLength(2);
    await importSotkanet(service.orm.em.fork() as EntityManager, bundle);
    expect((await audit()).slice(created.length)).toHaveLength(2);
    expect(await valueOf()).toBe(77500);
  });

  it("rejects a file that is not Sotkanet JSON, naming the place", () => {
    expect(() => parseSotkanet([{ indicator: 127, region: 1, year: 2023, gender: "both", value: 1 }])).toThrow(/data\.0\.gender/);
  });

  it("answers a municipality's and a county's values by indicator, year and sex", async () => {
    const res = await query<{ _entities: { indicatorValues: Record<string, unknown>[] }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) {
         ... on Municipality { indicatorValues(indicatorIds: ["sotkanet-127"], years: [2023]) { indicator { sotkanetId name } year sex value regionCode } }
         ... on WellbeingServicesCounty { indicatorValues(years: [2023], sex: [TOTAL]) { indicator { sotkanetId } value regionKind } } } }`,
      { reps: [...entities("Municipality", "code", ["167"]), ...entities("WellbeingServicesCounty", "code", ["14"])] },
    );
    expect(res.errors).toBeUndefined();
    const [joensuu, county] = res.data!._entities;
    expect(joensuu!.indicatorValues.map((v) => [v["year"], v["sex"], v["value"]])).toEqual([
      [2023, "FEMALE", 39250],
      [2023, "MALE", 38250],
      [2023, "TOTAL", 77500],
    ]);
    expect(joensuu!.indicatorValues[0]!["indicator"]).toEqual({ sotkanetId: 127, name: "Väestö, lukumäärä (format sample)" });
    expect(county!.indicatorValues).toEqual([{ indicator: { sotkanetId: 127 }, value: 162000, regionKind: "COUNTY" }]);
  });

  it("keeps statements constant for 2 and 13 municipalities", async () => {
    const q = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Municipality {
      indicatorValues(years: [2022, 2023]) { indicator { name } value } wellbeingPlans { id goals { id } } } } }`;
    const codes = ["167", "276", "146", "176", "422", "541", "090", "426", "309", "607", "260", "707", "848"];
    const few = await countStatements(() => query(q, { reps: entities("Municipality", "code", codes.slice(0, 2)) }));
    const many = await countStatements(() => query(q, { reps: entities("Municipality", "code", codes) }));
    expect(few.result.errors).toBeUndefined();
    expect(many.statements).toBe(few.statements);
  });
});

describe("grants (seed 003)", () => {
  const PROGRAMME = "grant-programme-16-jarjestoavustukset";
  const award = (amount: string, organisationId = "org-test-grantee") =>
    query<{ awardGrant: { amount: string } }>(
      `mutation($input: AwardGrantInput!) { awardGrant(input: $input) { amount } }`,
      { input: { programmeId: PROGRAMME, organisationId, amount, year: 2025, purpose: "Test" } },
      writer,
    );

  it("gives Etelä-Pohjanmaa's grant principles and no awards", async () => {
    const res = await query<{ grantProgramme: { startedOn: string; principles: { text: string }[]; county: { code: string } } }>(
      `{ grantProgramme(id: "${PROGRAMME}") { startedOn county { code } principles { number text textEn } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.grantProgramme.startedOn).toBe("2023-01-01");
    expect(res.data!.grantProgramme.principles.map((p) => p.text)).toContain("Ostopalveluin tuotettavaa toimintaa ei tueta avustuksin.");
  });

  it("round-trips amounts exactly and sums them without floating-point drift", async () => {
    expect((await award("1234567.89", "org-test-big")).data!.awardGrant.amount).toBe("1234567.89");
    expect((await award("0.10", "org-test-small")).data!.awardGrant.amount).toBe("0.10");
    expect((await award("0.2", "org-test-small")).data!.awardGrant.amount).toBe("0.20");
    const res = await query<{ _entities: { grants: { amount: string; programme: { totalAwarded: string } }[] }[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Organisation { grants { amount programme { totalAwarded } } } } }`,
      { reps: entities("Organisation", "id", ["org-test-big", "org-test-small"]) },
    );
    expect(res.errors).toBeUndefined();
    const [big, small] = res.data!._entities;
    expect(big!.grants.map((g) => g.amount)).toEqual(["1234567.89"]);
    expect(small!.grants.map((g) => g.amount).sort()).toEqual(["0.10", "0.20"]);
    expect(small!.grants[0]!.programme.totalAwarded).toBe("1234568.19");
    const stored = await service.orm.em
      .fork()
      .getConnection()
      .execute("select sum(amount)::text as total from grant_award where organisation_id = 'org-test-small'");
    expect(stored[0]!["total"]).toBe("0.30");
  });

  it.each([
    ["-5.00", "must not be negative"],
    ["1.234", "at most 2 decimals"],
    ["1000000000000", "less than"],
    ["0.00", "greater than zero"],
  ])("rejects the amount %s as BAD_USER_INPUT naming the field", async (amount, reason) => {
    const res = await award(amount);
    expect(res.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.extensions?.["field"]).toBe("input.amount");
    expect(res.errors?.[0]?.message).toContain(reason);
  });

  it("rejects an amount that is not a decimal string, and anonymous writers", async () => {
    const notDecimal = await award("12,50");
    expect(notDecimal.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    const anonymous = await query(
      `mutation { awardGrant(input: { programmeId: "${PROGRAMME}", organisationId: "x", amount: "1.00", year: 2025, purpose: "x" }) { id } }`,
    );
    expect(anonymous.errors?.[0]?.extensions?.["code"]).toBeDefined();
    expect(anonymous.errors?.[0]?.extensions?.["code"]).not.toBe("INTERNAL_SERVER_ERROR");
  });
});
