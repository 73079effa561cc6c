import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openServiceDatabase, RegisterClient, RegisterSyncStatus, runSync, serviceDatabaseUrl, type Orm } from "@yhdyspinta/core";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hyteImporter } from "../services/planning/src/hyte/hyte-import.ts";
import { sotkanetImporter } from "../services/planning/src/indicator/sotkanet-sync.ts";
import { planningService } from "../services/planning/src/service.ts";
import { startSotkanetServer, type SotkanetState } from "../services/planning/test/fixtures/sotkanet-server.ts";
import { viewDocument, type ViewResult } from "../views/index.ts";
import { startTestStack, type TestStack } from "./support.ts";

// Synced register data through the gateway: a Sotkanet sync into the stack's
// planning database, then the county's indicator follow-up and the sync
// report as a client reads them (the county from organisations, its
// follow-up from planning).

let stack: TestStack;
let orm: Orm;
let sotkanet: { baseUrl: string; close: () => Promise<void> };
const state: SotkanetState = {
  indicators: new Map([
    [4559, { id: 4559, title: { fi: "Lonkkamurtumat 65 vuotta täyttäneillä", sv: "Höftfrakturer bland personer 65 år och äldre" }, dataUpdated: "2025-03-12", unit: "%", value: (r, y) => (r === 974 ? (y === 2023 ? 5.5 : 4.75) : 6) }],
  ]),
  extraRows: [],
  fault: null,
  hits: [],
};

beforeAll(async () => {
  stack = await startTestStack("registers");
  sotkanet = await startSotkanetServer(state);
  orm = await openServiceDatabase(planningService, { databaseUrl: serviceDatabaseUrl("planning", { DATABASE_URL: stack.databaseUrl })!, seed: false, createDatabase: false, migrate: false });
});

afterAll(async () => {
  await orm?.close();
  await sotkanet?.close();
  await stack?.stop();
});

describe("registers through the gateway", () => {
  it("shows a county's plan indicators with baseline, latest, trend and provenance after a Sotkanet sync", async () => {
    const conn = orm.em.getConnection();
    await conn.execute(`insert into wellbeing_plan (id, title, county_code, council_term, status) values ('registers-plan', 'Alueellinen hyvinvointisuunnitelma', '13', '2025–2029', 'approved')`);
    await conn.execute(`insert into wellbeing_goal (id, plan_id, position, text, indicator_ids) values ('registers-goal', 'registers-plan', 1, 'Vähemmän lonkkamurtumia', '{sotkanet-4559}')`);
    const client = new RegisterClient({ register: "sotkanet", baseUrl: sotkanet.baseUrl, retries: 0, sleep: async () => undefined });
    const report = await runSync(orm.em.fork() as Parameters<typeof runSync>[0], sotkanetImporter({ client, years: [2023, 2024], indicatorIds: [4559] }));
    expect(report.status).toBe(RegisterSyncStatus.SUCCEEDED);

    const res = await stack.query<{ county: Record<string, any>; indicatorSyncReports: Record<string, unknown>[] }>(
      `{ county(code: "13") { code nameFi indicatorFollowUp { indicator { id name nameSv dataUpdatedOn } baseline { year value } change trend
           latest { year value registerProvenance { register licence attribution syncReportId } } countryLatest { year value } } }
         indicatorSyncReports(register: "sotkanet", limit: 1) { id status created refusedCount } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.county.indicatorFollowUp).toEqual([
      {
        indicator: { id: "sotkanet-4559", name: "Lonkkamurtumat 65 vuotta täyttäneillä", nameSv: "Höftfrakturer bland personer 65 år och äldre", dataUpdatedOn: "2025-03-12" },
        baseline: { year: 2023, value: 5.5 },
        change: -0.75,
        trend: "FALLING",
        latest: { year: 2024, value: 4.75, registerProvenance: { register: "sotkanet", licence: "CC BY 4.0", attribution: "THL, Sotkanet", syncReportId: report.id } },
        countryLatest: { year: 2024, value: 6 },
      },
    ]);
    expect(res.data!.indicatorSyncReports).toEqual([{ id: report.id, status: "SUCCEEDED", created: report.created, refusedCount: report.refusedCount }]);

    // A HYTE set naming the indicator (a file written for this test) shows with it.
    const dir = await mkdtemp(join(tmpdir(), "registers-hyte-"));
    const file = join(dir, "hyte.csv");
    await writeFile(file, "funding_year,level,code,name,kind,better_direction,sotkanet_id,source\n2027,county,hip-fractures-65,Lonkkamurtumat 65 vuotta täyttäneillä,outcome,lower,4559,Test set\n");
    const hyte = await runSync(orm.em.fork() as Parameters<typeof runSync>[0], hyteImporter({ file }));
    await rm(dir, { recursive: true, force: true });
    expect(hyte).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 1 });

    // The plan follow-up view (views/plan-follow-up.graphql) shows the same, with the value's source.
    const view = await stack.query<ViewResult<"plan-follow-up">>(viewDocument("plan-follow-up"), { countyCode: "13" });
    expect(view.errors).toBeUndefined();
    const [row] = view.data!.county!.indicatorFollowUp!;
    expect(row).toMatchObject({
      indicator: { id: "sotkanet-4559", unit: "%" },
      baseline: { year: 2023, value: 5.5 },
      trend: "FALLING",
      countryLatest: { year: 2024, value: 6 },
      hyteIndicators: [{ fundingYear: 2027, level: "COUNTY", kind: "OUTCOME", betterDirection: "LOWER" }],
    });
    expect(row?.latest?.registerProvenance).toEqual({
      register: "sotkanet",
      sourceUrl: `${sotkanet.baseUrl}json?indicator=4559&years=2023&years=2024&genders=total`,
      fetchedAt: report.startedAt.toISOString(),
      attribution: "THL, Sotkanet",
    });
  });
});
