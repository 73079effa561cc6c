import "reflect-metadata";
import type { EntityManager } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CircuitBreaker, KNOWN_AT_HEADER, RegisterClient, RegisterSyncStatus, runSync, Scope, startService, ViewerRole, type RunningService } from "@yhdyspinta/core";
import { createTestDatabase, signedViewerHeaders, subgraphRequest, type TestDatabase } from "@yhdyspinta/core/testing";
import { importSotkanet, parseSotkanet } from "../src/indicator/sotkanet-import.ts";
import { sotkanetImporter } from "../src/indicator/sotkanet-sync.ts";
import { planningService } from "../src/service.ts";
import { municipalityRows } from "../../organisations/src/seed/reference-data.ts";
import {
  BAD_CODE_REGION_ID,
  COUNTRY_REGION_ID,
  municipalityRegionId,
  startSotkanetServer,
  type SotkanetIndicatorFixture,
  type SotkanetState,
} from "./fixtures/sotkanet-server.ts";

const INTERNAL_SECRET = "sotkanet-sync-test-internal-secret-0123456789";
const YEARS = [2023, 2024];
const ORGANISERS = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "90"];
const MUNICIPALITIES_2025 = municipalityRows().filter((m) => m.year === 2025);

let db: TestDatabase;
let service: RunningService;
let sotkanet: { baseUrl: string; close: () => Promise<void> };
let state: SotkanetState;

/** A deterministic value per region and year; `bump` revises one. */
const valueOf = (regionId: number, year: number) => Math.round(((regionId % 97) + (year - 2000) * 0.5) * 10) / 10;

function freshState(): SotkanetState {
  return {
    indicators: new Map<number, SotkanetIndicatorFixture>([
      [4559, { id: 4559, title: { fi: "Lonkkamurtumat 65 vuotta täyttäneillä", sv: "Höftfrakturer bland personer 65 år och äldre", en: "Hip fractures among people aged 65 and over" }, dataUpdated: "2025-03-12", unit: "%", value: valueOf }],
      [3222, { id: 3222, title: { fi: "NEET-nuoret", en: "NEET young people" }, dataUpdated: "2025-02-01", unit: "%", value: (r, y) => valueOf(r + 3, y) }],
    ]),
    extraRows: [{ region: 999999, year: 2024, gender: "total", value: 1 }],
    fault: null,
    hits: [],
  };
}

beforeAll(async () => {
  db = await createTestDatabase("sotkanet_sync");
  service = await startService(planningService, { databaseUrl: db.url, port: 0, seed: false, createDatabase: false, internalAuthSecret: INTERNAL_SECRET });
  state = freshState();
  sotkanet = await startSotkanetServer(state);
});

afterAll(async () => {
  await sotkanet?.close();
  await service?.stop();
  await db?.drop();
});

const em = () => service.orm.em.fork() as EntityManager;

function importer(options: { timeoutMs?: number; retries?: number; indicatorIds?: number[] } = {}) {
  const client = new RegisterClient({
    register: "sotkanet",
    baseUrl: sotkanet.baseUrl,
    retries: options.retries ?? 2,
    backoffMs: 1,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxWaitMs: 1_000,
    sleep: async () => undefined,
    breaker: new CircuitBreaker(50, 60_000),
  });
  return sotkanetImporter({ client, years: YEARS, indicatorIds: options.indicatorIds ?? [4559, 3222] });
}

/** Everything the sync may write, but the reports. */
async function snapshot(): Promise<string> {
  const rows = await em().getConnection().execute(
    `select (select coalesce(json_agg(i order by i.id), '[]') from indicator i)::text as indicators,
            (select coalesce(json_agg(v order by v.id), '[]') from indicator_value v)::text as "values",
            (select coalesce(json_agg(r order by r.id), '[]') from indicator_value_revision r)::text as revisions`,
  );
  return JSON.stringify(rows[0]);
}

const query = <T = Record<string, any>>(q: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  subgraphRequest<T>(service.url, INTERNAL_SECRET, q, variables, headers);

/** The audit trail's entries of indicator values, oldest first. */
async function valueAudit(): Promise<{ entity_id: string; operation: string; actor_subject: string | null; actor_role: string | null; before: any; after: any; changed_fields: string[] }[]> {
  return await em().getConnection().execute(
    `select entity_id, operation, actor_subject, actor_role, before, after, changed_fields from change_record where entity_type = 'IndicatorValue' order by changed_at, id`,
  );
}

/** County 13's 2024 value of indicator 4559, as known at `knownAt` (or now). */
async function county13Value(knownAt?: string): Promise<number | null> {
  const res = await query(
    `{ _entities(representations: [{ __typename: "WellbeingServicesCounty", code: "13" }]) {
      ... on WellbeingServicesCounty { indicatorValues(indicatorIds: ["sotkanet-4559"], years: [2024]) { value } } } }`,
    {},
    knownAt ? { [KNOWN_AT_HEADER]: knownAt } : {},
  );
  expect(res.errors).toBeUndefined();
  return res.data!["_entities"][0]["indicatorValues"][0]?.value ?? null;
}

/** County 13's 2024 value of indicator 4559 with its revisions, as known at `knownAt`. */
async function county13ValueAndRevisions(knownAt: string): Promise<{ value: number | null; revisions: { value: number | null }[] }> {
  const res = await query(
    `{ _entities(representations: [{ __typename: "WellbeingServicesCounty", code: "13" }]) {
      ... on WellbeingServicesCounty { indicatorValues(indicatorIds: ["sotkanet-4559"], years: [2024]) { value revisions { value } } } } }`,
    {},
    { [KNOWN_AT_HEADER]: knownAt },
  );
  expect(res.errors).toBeUndefined();
  return res.data!["_entities"][0]["indicatorValues"][0];
}

beforeEach(() => {
  state.fault = null;
  state.hits = [];
});

describe("Sotkanet sync", () => {
  it("a dry run reports what it would create and writes nothing but its report", async () => {
    const before = await snapshot();
    const report = await runSync(em(), importer(), { dryRun: true });
    expect(report.status).toBe(RegisterSyncStatus.SUCCEEDED);
    expect(report.dryRun).toBe(true);
    // 2 indicators; per indicator and year: 23 HYVINVOINTIALUE regions (22 organisers + Åland), the municipalities, the country.
    const perYear = 23 + MUNICIPALITIES_2025.length + 1;
    expect(report.created).toBe(2 + 2 * YEARS.length * perYear);
    expect(report.updated).toBe(0);
    expect(await snapshot()).toBe(before);
    const stored = await query(`{ indicatorSyncReports(register: "sotkanet") { id dryRun status created } }`);
    expect(stored.data!["indicatorSyncReports"][0]).toEqual({ id: report.id, dryRun: true, status: "SUCCEEDED", created: report.created });
  });

  it("fills the values of all 22 organisers, their municipalities and the country, refusing unknown regions and codes", async () => {
    const report = await runSync(em(), importer());
    expect(report.status).toBe(RegisterSyncStatus.SUCCEEDED);
    expect(report.failure).toBeNull();
    const reasons = report.refused.map((r) => r.reason);
    expect(reasons).toContain("unknown Sotkanet region 999999 (not in /regions)");
    expect(reasons.some((r) => r.includes(`Sotkanet region ${BAD_CODE_REGION_ID} (KUNTA) has code "X12"`))).toBe(true);
    expect(report.refusedCount).toBe(2 * 2 * 1 + 2); // the bad-code region in 2 years × 2 indicators, the unknown region once per indicator

    const counties = await em().getConnection().execute<{ region_code: string }[]>(
      `select distinct region_code from indicator_value where indicator_id = 'sotkanet-4559' and region_kind = 'county' and year = 2024 order by 1`,
    );
    expect(counties.map((c) => c.region_code)).toEqual(expect.arrayContaining(ORGANISERS));
    const municipalities = await em().getConnection().execute<{ n: string }[]>(
      `select count(distinct region_code) as n from indicator_value where indicator_id = 'sotkanet-3222' and region_kind = 'municipality' and year = 2023`,
    );
    expect(Number(municipalities[0]!.n)).toBe(MUNICIPALITIES_2025.length);

    const res = await query(`{ indicator(id: "sotkanet-4559") { name nameSv nameEn unit dataUpdatedOn
      registerProvenance { register licence attribution sourceUrl fetchedAt syncReportId } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!["indicator"]).toMatchObject({
      name: "Lonkkamurtumat 65 vuotta täyttäneillä",
      nameSv: "Höftfrakturer bland personer 65 år och äldre",
      nameEn: "Hip fractures among people aged 65 and over",
      unit: "%",
      dataUpdatedOn: "2025-03-12",
      registerProvenance: { register: "sotkanet", licence: "CC BY 4.0", attribution: "THL, Sotkanet", sourceUrl: `${sotkanet.baseUrl}indicators/4559`, syncReportId: report.id },
    });
    // The indicators it created are in the audit trail as the register.
    const audit = await em().getConnection().execute(`select operation, actor_subject, before, after from change_record where entity_type = 'Indicator' and entity_id = 'sotkanet-4559'`);
    expect(audit).toEqual([
      {
        operation: "CREATE",
        actor_subject: "register:sotkanet",
        before: null,
        after: expect.objectContaining({ id: "sotkanet-4559", sotkanetId: 4559, name: "Lonkkamurtumat 65 vuotta täyttäneillä", unit: "%", sourceRegister: "sotkanet", syncReportId: report.id }),
      },
    ]);
    // So are the values it created: one CREATE each, the whole row.
    const values = await em().getConnection().execute<Record<string, any>[]>(`select * from indicator_value order by id`);
    const entries = await valueAudit();
    expect(entries).toHaveLength(values.length);
    expect(entries.length).toBe(report.created - 2);
    expect(new Set(entries.map((e) => e.entity_id))).toEqual(new Set(values.map((v) => String(v.id))));
    expect(entries.every((e) => e.operation === "CREATE" && e.actor_subject === "register:sotkanet" && e.actor_role === null && e.before === null)).toBe(true);
    const first = values[0]!;
    expect(entries.find((e) => e.entity_id === String(first.id))!.after).toEqual({
      id: String(first.id),
      indicatorId: first.indicator_id,
      regionKind: first.region_kind,
      regionCode: first.region_code,
      sotkanetRegionId: first.sotkanet_region_id,
      year: first.year,
      sex: first.sex,
      value: first.value,
      absoluteValue: first.absolute_value,
      sourceRegister: "sotkanet",
      sourceUrl: first.source_url,
      fetchedAt: report.startedAt.toISOString(),
      syncReportId: report.id,
    });
  });

  it("a second run changes nothing and does not read the data of indicators whose data-updated date is unchanged", async () => {
    const before = await snapshot();
    const report = await runSync(em(), importer());
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 0, updated: 0, unchanged: 2 });
    expect(state.hits.filter((h) => h.startsWith("json"))).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it("stores a revised value with its history when THL updates the indicator", async () => {
    const ostrobothnia = 974; // Sotkanet region of county 13
    const county13Before = valueOf(ostrobothnia, 2024);
    state.indicators.get(4559)!.dataUpdated = "2025-06-30";
    state.indicators.get(4559)!.value = (r, y) => (r === ostrobothnia && y === 2024 ? county13Before + 1.5 : valueOf(r, y));
    const auditedBefore = (await valueAudit()).length;
    const beforeSync = new Date().toISOString();
    const report = await runSync(em(), importer());
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 0, updated: 2, unchanged: 1 + 2 * (23 + MUNICIPALITIES_2025.length + 1) - 1 });
    expect(state.hits.filter((h) => h.startsWith("json"))).toHaveLength(1);

    const res = await query(
      `query($ids: [ID!]) { _entities(representations: [{ __typename: "WellbeingServicesCounty", code: "13" }]) {
        ... on WellbeingServicesCounty { indicatorValues(indicatorIds: $ids, years: [2024]) { year value
          registerProvenance { syncReportId sourceUrl } revisions { value registerProvenance { register } replacedAt } } } } }`,
      { ids: ["sotkanet-4559"] },
    );
    expect(res.errors).toBeUndefined();
    const [value] = res.data!["_entities"][0]["indicatorValues"];
    expect(value.value).toBe(county13Before + 1.5);
    expect(value.registerProvenance.syncReportId).toBe(report.id);
    expect(value.registerProvenance.sourceUrl).toBe(`${sotkanet.baseUrl}json?indicator=4559&years=2023&years=2024&genders=total`);
    expect(value.revisions).toEqual([{ value: county13Before, registerProvenance: { register: "sotkanet" }, replacedAt: report.startedAt.toISOString() }]);

    // Read as known before the sync, the value is the old one; now, the new one.
    expect(await county13Value(beforeSync)).toBe(county13Before);
    expect(await county13Value()).toBe(county13Before + 1.5);
    // The revision the sync created is absent before it, there after it.
    const afterSync = new Date().toISOString();
    expect(await county13ValueAndRevisions(beforeSync)).toEqual({ value: county13Before, revisions: [] });
    expect(await county13ValueAndRevisions(afterSync)).toEqual({ value: county13Before + 1.5, revisions: [{ value: county13Before }] });
    const revisionAudit = await em().getConnection().execute(`select operation, actor_subject, before, after from change_record where entity_type = 'IndicatorValueRevision'`);
    expect(revisionAudit).toEqual([
      {
        operation: "CREATE",
        actor_subject: "register:sotkanet",
        before: null,
        after: expect.objectContaining({ value: county13Before, sourceRegister: "sotkanet", replacedAt: report.startedAt.toISOString(), replacedBySyncReportId: report.id }),
      },
    ]);
    // The audit trail has the one value it changed, before and after, as the register.
    const entries = (await valueAudit()).slice(auditedBefore);
    expect(entries).toEqual([
      {
        entity_id: expect.any(String),
        operation: "UPDATE",
        actor_subject: "register:sotkanet",
        actor_role: null,
        before: expect.objectContaining({ regionKind: "county", regionCode: "13", year: 2024, sex: "total", value: county13Before, absoluteValue: Math.round(county13Before * 10) }),
        after: expect.objectContaining({
          regionKind: "county",
          regionCode: "13",
          year: 2024,
          sex: "total",
          value: county13Before + 1.5,
          absoluteValue: Math.round((county13Before + 1.5) * 10),
          sourceRegister: "sotkanet",
          fetchedAt: report.startedAt.toISOString(),
          syncReportId: report.id,
        }),
        changed_fields: ["absoluteValue", "fetchedAt", "syncReportId", "value"],
      },
    ]);
    expect(entries[0]!.before.syncReportId).not.toBe(report.id);

    const again = await runSync(em(), importer());
    expect(again).toMatchObject({ created: 0, updated: 0 });
  });

  it("a run that reads the values again but finds them unchanged adds no value to the audit trail", async () => {
    const entries = await valueAudit();
    // What the earlier runs wrote: a CREATE of each value, and the one revised value's UPDATE.
    const values = await em().getConnection().execute<{ n: string }[]>(`select count(*) as n from indicator_value`);
    expect(entries.filter((e) => e.operation === "CREATE")).toHaveLength(Number(values[0]!.n));
    expect(entries.filter((e) => e.operation === "UPDATE")).toHaveLength(1);
    state.indicators.get(4559)!.dataUpdated = "2025-07-15";
    const report = await runSync(em(), importer());
    // The new data-updated date is the only change: indicator 4559's metadata.
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 0, updated: 1 });
    expect(state.hits.filter((h) => h.startsWith("json"))).toHaveLength(1);
    expect(await valueAudit()).toEqual(entries);
  });

  describe("a register fault leaves the database unchanged and the report says why", () => {
    /** Makes indicator 3222's data new, so the run reads 4559's data and fails on 3222's. */
    let bumps = 0;
    function bumpBoth() {
      bumps += 1;
      for (const i of state.indicators.values()) i.dataUpdated = `2026-01-${String(bumps).padStart(2, "0")}`;
      state.indicators.get(4559)!.value = (r, y) => valueOf(r, y) + 0.1;
    }
    const failOn3222 = (answer: (res: import("node:http").ServerResponse) => void) => (path: string, req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => {
      if (path !== "json" || !req.url!.includes("indicator=3222")) return false;
      answer(res);
      return true;
    };

    const cases: [string, () => Partial<Parameters<typeof importer>[0]>, SotkanetState["fault"], RegExp][] = [
      ["5xx", () => ({}), failOn3222((res) => void res.writeHead(503).end()), /HTTP 503 after 3 attempts/],
      ["429 storm", () => ({}), failOn3222((res) => void res.writeHead(429, { "retry-after": "3600" }).end()), /HTTP 429 with Retry-After 3600 s/],
      ["malformed body", () => ({}), failOn3222((res) => void res.writeHead(200, { "content-type": "application/json" }).end('[{"indicator":3222,"region":961,"year":20')), /answer is not JSON/],
      ["partial body", () => ({}), failOn3222((res) => void res.writeHead(200, { "content-type": "application/json" }).end('[{"indicator":3222,"region":961,"year":2024,"gender":"total"}]')), /no data row has a `value` field/],
      [
        "renamed field",
        () => ({}),
        failOn3222((res) => void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify([{ indicator: 3222, area: 961, year: 2024, gender: "total", value: 1 }]))),
        /answer not in the documented shape at 0\.region/,
      ],
      ["down", () => ({}), failOn3222((res) => void res.destroy()), /connection failed .* after 3 attempts/],
      ["timeout", () => ({ timeoutMs: 300, retries: 1 }), failOn3222(() => undefined), /no answer within 300 ms after 2 attempts/],
    ];

    for (const [name, options, fault, reason] of cases) {
      it(name, async () => {
        bumpBoth();
        const before = await snapshot();
        state.fault = fault;
        const report = await runSync(em(), importer(options()));
        expect(report.status).toBe(RegisterSyncStatus.FAILED);
        expect(report.failure).toMatch(reason);
        expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
        expect(await snapshot()).toBe(before);
        const stored = await query(`{ indicatorSyncReports(register: "sotkanet", limit: 1) { id status failure } }`);
        expect(stored.data!["indicatorSyncReports"]).toEqual([{ id: report.id, status: "FAILED", failure: report.failure }]);
      });
    }
  });

  it("a failure while writing rolls back what the run wrote, and the report shows no SQL", async () => {
    state.indicators.get(3222)!.dataUpdated = "2026-11-30";
    state.indicators.get(3222)!.value = (r, y) => valueOf(r + 3, y) + 2;
    const inner = importer();
    const failing: typeof inner = {
      ...inner,
      apply: async (tx, prepared, run) => {
        const counts = await inner.apply(tx, prepared, run);
        expect(counts.updated).toBeGreaterThan(0);
        await tx.getConnection().execute("select * from no_such_table", [], "all", tx.getTransactionContext());
        return counts;
      },
    };
    const before = await snapshot();
    const audited = await valueAudit();
    const report = await runSync(em(), failing);
    expect(report.status).toBe(RegisterSyncStatus.FAILED);
    expect(report.failure).toMatch(/^sync failed: \w+.*; nothing was written$/);
    expect(report.failure).not.toMatch(/no_such_table|select/i);
    expect(await snapshot()).toBe(before);
    expect(await valueAudit()).toEqual(audited);
  });

  it("refuses an indicator Sotkanet does not know, and syncs the rest", async () => {
    const report = await runSync(em(), importer({ indicatorIds: [4559, 987654] }));
    expect(report.status).toBe(RegisterSyncStatus.SUCCEEDED);
    expect(report.refused).toContainEqual({ record: "indicator 987654", reason: "Sotkanet has no indicator 987654 (HTTP 404)" });
    expect((await query(`{ indicator(id: "sotkanet-987654") { id } }`)).data!["indicator"]).toBeNull();
  });

  it("the county's plan follow-up shows baseline, latest, trend and the country's value with provenance", async () => {
    const conn = em().getConnection();
    await conn.execute(`insert into wellbeing_plan (id, title, county_code, council_term, status) values ('sync-test-plan', 'Hyvinvointisuunnitelma', '13', '2025–2029', 'approved')`);
    await conn.execute(`insert into wellbeing_goal (id, plan_id, position, text, indicator_ids) values ('sync-test-goal', 'sync-test-plan', 1, 'Vähemmän lonkkamurtumia', '{sotkanet-4559}')`);
    const res = await query(`{ _entities(representations: [{ __typename: "WellbeingServicesCounty", code: "13" }]) {
      ... on WellbeingServicesCounty { indicatorFollowUp { indicator { id name } baseline { year value } latest { year value registerProvenance { register attribution } }
        change trend countryLatest { year value regionCode } } } } }`);
    expect(res.errors).toBeUndefined();
    const [row] = res.data!["_entities"][0]["indicatorFollowUp"];
    const rows = await conn.execute<{ year: number; value: number; region_kind: string }[]>(
      `select year, value, region_kind from indicator_value where indicator_id = 'sotkanet-4559' and ((region_kind = 'county' and region_code = '13') or region_kind = 'country') order by year`,
    );
    const county = rows.filter((r) => r.region_kind === "county");
    const country = rows.find((r) => r.region_kind === "country" && r.year === 2024)!;
    expect(row).toEqual({
      indicator: { id: "sotkanet-4559", name: "Lonkkamurtumat 65 vuotta täyttäneillä" },
      baseline: { year: 2023, value: county[0]!.value },
      latest: { year: 2024, value: county[1]!.value, registerProvenance: { register: "sotkanet", attribution: "THL, Sotkanet" } },
      change: county[1]!.value - county[0]!.value,
      trend: county[1]!.value > county[0]!.value ? "RISING" : "FALLING",
      countryLatest: { year: 2024, value: country.value, regionCode: "SSS" },
    });
    expect(country.value).toBe(valueOf(COUNTRY_REGION_ID, 2024) + 0.1);
    expect(municipalityRegionId("091")).toBe(100091);
  });
});

describe("an indicator's fields the Sotkanet sync keeps", () => {
  const ID = "sotkanet-5001";
  const INDICATOR = `id sotkanetId name nameEn unit source provenance { url }`;
  const CREATE = `mutation($input: CreateIndicatorInput!) { createIndicator(input: $input) { ${INDICATOR} } }`;
  const UPDATE = `mutation($input: UpdateIndicatorInput!) { updateIndicator(input: $input) { ${INDICATOR} } }`;
  const ADMIN = { subject: "sync-test-admin", scopes: new Set([Scope.DataWrite]), role: ViewerRole.Admin, counties: new Set<string>() };
  /** As an admin, signed per request (signatures live 60 s). */
  const asAdmin = async (q: string, variables: Record<string, unknown>) =>
    subgraphRequest<Record<string, any>>(service.url, INTERNAL_SECRET, q, variables, await signedViewerHeaders(INTERNAL_SECRET, ADMIN));
  const indicatorRow = async () => (await em().getConnection().execute<Record<string, any>[]>(`select * from indicator where id = ?`, [ID]))[0]!;
  const auditCount = async () => Number((await em().getConnection().execute<{ n: string }[]>(`select count(*) as n from change_record where entity_type = 'Indicator' and entity_id = ?`, [ID]))[0]!.n);

  beforeAll(() => {
    // Sotkanet gives this one no English name: the sync keeps `nameEn` empty.
    state.indicators.set(5001, { id: 5001, title: { fi: "Toimeentulotukea saaneet 25–64-vuotiaat", sv: "Personer 25–64 år som fått utkomststöd" }, dataUpdated: "2025-04-01", unit: "%", value: valueOf });
  });

  it("before its first sync, an indicator with a Sotkanet id is edited as any other", async () => {
    const created = await asAdmin(CREATE, { input: { sotkanetId: 5001, name: "Toimeentulotuki (paikkamerkki)", unit: "kpl", source: "Oma kirjaus" } });
    expect(created.errors).toBeUndefined();
    const res = await asAdmin(UPDATE, { input: { indicatorId: ID, name: "Toimeentulotuki", nameEn: "Social assistance", unit: "%", source: "THL" } });
    expect(res.errors).toBeUndefined();
    expect(res.data!["updateIndicator"]).toMatchObject({ id: ID, name: "Toimeentulotuki", nameEn: "Social assistance", unit: "%", source: "THL" });
    expect(await indicatorRow()).toMatchObject({ name: "Toimeentulotuki", name_en: "Social assistance", unit: "%", source: "THL", source_register: null });
  });

  it("the first sync replaces the placeholder, and the audit trail keeps what it replaced", async () => {
    const beforeSync = new Date().toISOString();
    const report = await runSync(em(), importer({ indicatorIds: [5001] }));
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, updated: 1 });
    expect(await indicatorRow()).toMatchObject({
      name: "Toimeentulotukea saaneet 25–64-vuotiaat",
      name_en: null,
      unit: "%",
      source: "THL Sotkanet (Terveyden ja hyvinvoinnin laitos (THL))",
      source_register: "sotkanet",
      sync_report_id: report.id,
    });
    const res = await asAdmin(`{ indicator(id: "${ID}") { changes { edges { node { operation actorSubject before after changedFields } } } } }`, {});
    expect(res.errors).toBeUndefined();
    const bySync = res.data!["indicator"]["changes"]["edges"].map((e: { node: unknown }) => e.node).filter((n: { actorSubject: string }) => n.actorSubject === "register:sotkanet");
    expect(bySync).toEqual([
      {
        operation: "UPDATE",
        actorSubject: "register:sotkanet",
        before: expect.objectContaining({ id: ID, name: "Toimeentulotuki", nameEn: "Social assistance", unit: "%", source: "THL", sourceRegister: null, syncReportId: null }),
        after: expect.objectContaining({ id: ID, sotkanetId: 5001, name: "Toimeentulotukea saaneet 25–64-vuotiaat", nameEn: null, nameSv: "Personer 25–64 år som fått utkomststöd", sourceRegister: "sotkanet", syncReportId: report.id }),
        changedFields: expect.arrayContaining(["name", "nameEn", "nameSv", "source", "sourceRegister", "syncReportId"]),
      },
    ]);
    // Read as known before the sync, the indicator is the one the admin wrote.
    const known = await subgraphRequest<Record<string, any>>(service.url, INTERNAL_SECRET, `{ indicator(id: "${ID}") { name nameEn unit source } }`, {}, { [KNOWN_AT_HEADER]: beforeSync });
    expect(known.errors).toBeUndefined();
    expect(known.data!["indicator"]).toEqual({ name: "Toimeentulotuki", nameEn: "Social assistance", unit: "%", source: "THL" });
  });

  it("after a sync, a change to a field it writes is refused naming the field and the rule, and nothing changes", async () => {
    const before = await snapshot();
    const audited = await auditCount();
    const edits: [string, Record<string, unknown>][] = [
      ["input.name", { name: "Toimeentulotuki" }],
      ["input.nameEn", { nameEn: "Social assistance" }],
      ["input.unit", { unit: "kpl" }],
      ["input.unit", { unit: null }],
      ["input.source", { source: "Oma kirjaus" }],
      // The same name passes its check; the changed unit is still refused, and the name is not written either.
      ["input.unit", { name: "Toimeentulotukea saaneet 25–64-vuotiaat", unit: "‰" }],
    ];
    for (const [field, changes] of edits) {
      const res = await asAdmin(UPDATE, { input: { indicatorId: ID, ...changes } });
      expect(res.errors?.[0]?.extensions, JSON.stringify(changes)).toMatchObject({ code: "BAD_USER_INPUT", field, reason: "kept by Sotkanet: the next sync would overwrite it" });
      expect(res.data?.["updateIndicator"] ?? null).toBeNull();
    }
    expect(await snapshot()).toBe(before);
    expect(await auditCount()).toBe(audited);
  });

  it("after a sync, the values it already has pass, and a field the sync does not write stays editable", async () => {
    const before = await snapshot();
    const row = await indicatorRow();
    const url = "https://sotkanet.fi/sotkanet/fi/metadata/indicators/5001";
    // An empty English name clears it: the same as the none it has.
    const res = await asAdmin(UPDATE, { input: { indicatorId: ID, name: row.name, nameEn: "", unit: row.unit, source: row.source, provenance: { url } } });
    expect(res.errors).toBeUndefined();
    expect(res.data!["updateIndicator"]).toEqual({ id: ID, sotkanetId: 5001, name: row.name, nameEn: null, unit: "%", source: row.source, provenance: { url } });
    expect(await snapshot()).toBe(before);

    // The next sync leaves the edit as it is.
    state.indicators.get(5001)!.dataUpdated = "2025-05-01";
    const report = await runSync(em(), importer({ indicatorIds: [5001] }));
    expect(report.status).toBe(RegisterSyncStatus.SUCCEEDED);
    const read = await query(`{ indicator(id: "${ID}") { name provenance { url } } }`);
    expect(read.data!["indicator"]).toEqual({ name: row.name, provenance: { url } });
  });
});

describe("a synced indicator Sotkanet no longer has", () => {
  const ID = "sotkanet-5001";
  const ADMIN = { subject: "sync-test-admin", scopes: new Set([Scope.DataWrite]), role: ViewerRole.Admin, counties: new Set<string>() };
  const rename = async (name: string) =>
    subgraphRequest<Record<string, any>>(service.url, INTERNAL_SECRET, `mutation($input: UpdateIndicatorInput!) { updateIndicator(input: $input) { name } }`, { input: { indicatorId: ID, name } }, await signedViewerHeaders(INTERNAL_SECRET, ADMIN));

  let fixture: SotkanetIndicatorFixture;

  it("a dry run reports that a sync would detach it, and detaches nothing", async () => {
    fixture = state.indicators.get(5001)!;
    state.indicators.delete(5001);
    const before = await snapshot();
    const report = await runSync(em(), importer({ indicatorIds: [5001] }), { dryRun: true });
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, dryRun: true, created: 0, updated: 1 });
    expect(report.refused).toEqual([
      { record: "indicator 5001", reason: "Sotkanet no longer has indicator 5001 (HTTP 404): would detach it from Sotkanet and make its names, unit and source editable again" },
    ]);
    expect(await snapshot()).toBe(before);
    const read = await query(`{ indicator(id: "${ID}") { registerProvenance { register } } }`);
    expect(read.data!["indicator"]).toEqual({ registerProvenance: { register: "sotkanet" } });
  });

  it("is reported as no longer in Sotkanet and detached: its kept fields are editable again, until Sotkanet has it again", async () => {
    // Still out of Sotkanet since the dry run above, and still locked.
    expect((await rename("Oma nimi")).errors?.[0]?.extensions).toMatchObject({ field: "input.name", reason: "kept by Sotkanet: the next sync would overwrite it" });
    const report = await runSync(em(), importer({ indicatorIds: [5001] }));
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 0, updated: 1 });
    expect(report.refused).toEqual([
      { record: "indicator 5001", reason: "Sotkanet no longer has indicator 5001 (HTTP 404): detached from Sotkanet, its names, unit and source are editable again" },
    ]);
    const read = await query(`{ indicator(id: "${ID}") { name dataUpdatedOn registerProvenance { register } } }`);
    expect(read.data!["indicator"]).toEqual({ name: "Toimeentulotukea saaneet 25–64-vuotiaat", dataUpdatedOn: null, registerProvenance: null });
    const [audit] = await em().getConnection().execute(
      `select operation, actor_subject, before, after, changed_fields from change_record where entity_type = 'Indicator' and entity_id = ? order by changed_at desc, id desc limit 1`,
      [ID],
    );
    expect(audit).toMatchObject({
      operation: "UPDATE",
      actor_subject: "register:sotkanet",
      before: { sourceRegister: "sotkanet", dataUpdatedOn: "2025-05-01" },
      after: { sourceRegister: null, sourceUrl: null, fetchedAt: null, syncReportId: null, dataUpdatedOn: null },
      changed_fields: ["dataUpdatedOn", "fetchedAt", "sourceRegister", "sourceUrl", "syncReportId"],
    });
    // Its values keep their provenance: they did come from Sotkanet.
    const [values] = await em().getConnection().execute<{ n: string }[]>(`select count(*) as n from indicator_value where indicator_id = ? and source_register is distinct from 'sotkanet'`, [ID]);
    expect(Number(values!.n)).toBe(0);

    const renamed = await rename("Oma nimi");
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data!["updateIndicator"]).toEqual({ name: "Oma nimi" });
    // Asked again, it is still gone: nothing more to detach.
    const again = await runSync(em(), importer({ indicatorIds: [5001] }));
    expect(again).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 0, updated: 0 });
    expect(again.refused).toEqual([{ record: "indicator 5001", reason: "Sotkanet has no indicator 5001 (HTTP 404)" }]);

    // Back in Sotkanet: the next sync takes its fields back, and they are kept again.
    state.indicators.set(5001, fixture);
    const back = await runSync(em(), importer({ indicatorIds: [5001] }));
    expect(back).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, updated: 1 });
    expect((await query(`{ indicator(id: "${ID}") { name registerProvenance { register } } }`)).data!["indicator"]).toEqual({
      name: "Toimeentulotukea saaneet 25–64-vuotiaat",
      registerProvenance: { register: "sotkanet" },
    });
    expect((await rename("Oma nimi")).errors?.[0]?.extensions).toMatchObject({ field: "input.name" });
  });
});

describe("a synced value the file import overwrites", () => {
  it("no longer claims Sotkanet as its source, before or after a knownAt of the import", async () => {
    const read = `{ _entities(representations: [{ __typename: "WellbeingServicesCounty", code: "13" }]) {
      ... on WellbeingServicesCounty { indicatorValues(indicatorIds: ["sotkanet-5001"], years: [2024]) { value registerProvenance { register sourceUrl fetchedAt syncReportId } } } } }`;
    const synced = (await query(read)).data!["_entities"][0]["indicatorValues"][0];
    expect(synced.registerProvenance).toMatchObject({ register: "sotkanet" });
    const beforeImport = new Date().toISOString();
    // County 13 is Sotkanet region 974 in the file import's built-in table.
    const result = await importSotkanet(em(), parseSotkanet([{ indicator: 5001, region: 974, year: 2024, gender: "total", value: synced.value + 7, absValue: null }]));
    expect(result).toMatchObject({ values: 1, skipped: [] });

    expect((await query(read)).data!["_entities"][0]["indicatorValues"][0]).toEqual({ value: synced.value + 7, registerProvenance: null });
    const [row] = await em().getConnection().execute<Record<string, unknown>[]>(
      `select source_register, source_url, fetched_at, sync_report_id from indicator_value where indicator_id = 'sotkanet-5001' and region_kind = 'county' and region_code = '13' and year = 2024`,
    );
    expect(row).toEqual({ source_register: null, source_url: null, fetched_at: null, sync_report_id: null });
    // The trail has the import's write whole; known before it, the value is the synced one with its provenance.
    const [entry] = (await valueAudit()).filter((e) => e.actor_subject === "import:sotkanet");
    expect(entry).toMatchObject({ operation: "UPDATE", before: { sourceRegister: "sotkanet" }, after: { value: synced.value + 7, sourceRegister: null, sourceUrl: null, fetchedAt: null, syncReportId: null } });
    expect((await query(read, {}, { [KNOWN_AT_HEADER]: beforeImport })).data!["_entities"][0]["indicatorValues"][0]).toEqual(synced);
  });
});

describe("pnpm sync sotkanet", () => {
  it("--dry-run against the register reports what it would change and writes nothing", async () => {
    const { spawn } = await import("node:child_process");
    const root = new URL("../../../", import.meta.url).pathname;
    // A plan's goal names indicator 4559: the CLI syncs the indicators in use.
    const conn = em().getConnection();
    await conn.execute(`insert into wellbeing_plan (id, title, county_code, council_term, status) values ('cli-test-plan', 'Suunnitelma', '07', '2025–2029', 'draft')`);
    await conn.execute(`insert into wellbeing_goal (id, plan_id, position, text, indicator_ids) values ('cli-test-goal', 'cli-test-plan', 1, 'Tavoite', '{sotkanet-4559}')`);
    state.indicators.get(4559)!.dataUpdated = "2027-01-01";
    const before = await snapshot();
    const child = spawn(`${root}node_modules/.bin/tsx`, ["--conditions=development", "packages/stack/src/sync.ts", "sotkanet", "--dry-run"], {
      cwd: root,
      env: { ...process.env, PLANNING_DATABASE_URL: db.url, SOTKANET_BASE_URL: sotkanet.baseUrl, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => void (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => void (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(out).toMatch(/sotkanet dry run SUCCEEDED/);
    // The CLI asks for the last eleven years: at least those not yet stored would be created.
    expect(out).toMatch(/would be created [1-9]\d*, would be updated \d+, unchanged \d+, refused [1-9]\d*/);
    expect(out).toMatch(/refused indicator 4559, region \d+, 20\d\d, total: /);
    expect(code).toBe(0);
    expect(await snapshot()).toBe(before);
  });
});
