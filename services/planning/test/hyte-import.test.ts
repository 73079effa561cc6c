import "reflect-metadata";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EntityManager } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KNOWN_AT_HEADER, RegisterSyncStatus, runSync, startService, type RunningService } from "@yhdyspinta/core";
import { createTestDatabase, subgraphRequest, type TestDatabase } from "@yhdyspinta/core/testing";
import { HYTE_FILE, hyteImporter, parseCsv } from "../src/hyte/hyte-import.ts";
import { planningService } from "../src/service.ts";

// HYTE indicator sets from a CSV file, through the register importer shape.

const INTERNAL_SECRET = "hyte-import-test-internal-secret-0123456789";
const HEADER = "funding_year,level,code,name,kind,better_direction,sotkanet_id,source";
let db: TestDatabase;
let service: RunningService;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase("hyte_import");
  service = await startService(planningService, { databaseUrl: db.url, port: 0, seed: false, createDatabase: false, internalAuthSecret: INTERNAL_SECRET });
  dir = await mkdtemp(join(tmpdir(), "hyte-"));
});

afterAll(async () => {
  await service?.stop();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

const em = () => service.orm.em.fork() as EntityManager;
const ask = <T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  subgraphRequest<T>(service.url, INTERNAL_SECRET, query, variables, headers);

async function csv(name: string, lines: string[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, [HEADER, ...lines].join("\n") + "\n");
  return file;
}

const hyteRows = async () => JSON.stringify(await em().getConnection().execute(`select * from hyte_indicator order by id`));

describe("parseCsv", () => {
  it("reads quoted cells with commas, quotes and line breaks, and CRLF lines", () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\r\n,\n')).toEqual([["a", "b"], ["x, y", 'say "hi"\nthere'], ["", ""]]);
  });
});

describe("HYTE indicator sets", () => {
  it("imports the committed set; a second run changes nothing", async () => {
    const report = await runSync(em(), hyteImporter());
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, register: "hyte", created: 6, updated: 0, refusedCount: 0, requests: 0 });
    expect(report.sourceUrl).toBe(`file://${HYTE_FILE}`);
    const res = await ask(`{ hyteIndicators(fundingYear: 2026, level: COUNTY) { id code kind betterDirection sotkanetId } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!["hyteIndicators"]).toContainEqual({ id: "hyte-2026-county-mmr-vaccination", code: "mmr-vaccination", kind: "PROCESS", betterDirection: "HIGHER", sotkanetId: null });
    expect(res.data!["hyteIndicators"]).toHaveLength(6);
    const before = await hyteRows();
    expect(await runSync(em(), hyteImporter())).toMatchObject({ created: 0, updated: 0, unchanged: 6 });
    expect(await hyteRows()).toBe(before);
  });

  it("links an indicator to its stored Sotkanet indicator, updates a changed row as the register, and refuses bad rows by line and column", async () => {
    await em().getConnection().execute(`insert into indicator (id, sotkanet_id, name, source) values ('sotkanet-4559', 4559, 'Lonkkamurtumat 65 vuotta täyttäneillä', 'THL Sotkanet')`);
    const file = await csv("linked.csv", [
      `2027,municipality,hip-fractures-65,Lonkkamurtumat 65 vuotta täyttäneillä,outcome,lower,4559,"Test set, written for this test"`,
      `2027,municipality,no-sotkanet,Itsearviointi,process,higher,,Test set`,
      `2027,municipality,bad-kind,Jotain,result,higher,,Test set`,
      `27,municipality,bad-year,Jotain,outcome,higher,,Test set`,
      `2027,municipality,hip-fractures-65,Kaksoiskappale,outcome,lower,,Test set`,
      `2027,municipality,short-row,Liian lyhyt`,
    ]);
    const report = await runSync(em(), hyteImporter({ file }));
    expect(report).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 2 });
    expect(report.refused).toEqual([
      { record: "line 4", reason: "kind must be process or outcome" },
      { record: "line 5", reason: "funding_year must be a year YYYY" },
      { record: "line 6", reason: "2027 municipality hip-fractures-65 is already on an earlier line" },
      { record: "line 7", reason: "has 4 cells, the header 8" },
    ]);
    const res = await ask(`{ hyteIndicators(fundingYear: 2027) { code level sotkanetId indicator { id name } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!["hyteIndicators"]).toEqual([
      { code: "hip-fractures-65", level: "MUNICIPALITY", sotkanetId: 4559, indicator: { id: "sotkanet-4559", name: "Lonkkamurtumat 65 vuotta täyttäneillä" } },
      { code: "no-sotkanet", level: "MUNICIPALITY", sotkanetId: null, indicator: null },
    ]);

    const changed = await csv("changed.csv", [`2027,municipality,no-sotkanet,Itsearviointi,outcome,higher,,Test set`]);
    expect(await runSync(em(), hyteImporter({ file: changed }))).toMatchObject({ created: 0, updated: 1 });
    const audit = await em().getConnection().execute(`select actor_subject, operation, before->>'kind' as was, after->>'kind' as now from change_record where entity_id = 'hyte-2027-municipality-no-sotkanet' order by changed_at`);
    expect(audit).toEqual([
      { actor_subject: "register:hyte", operation: "CREATE", was: null, now: "process" },
      { actor_subject: "register:hyte", operation: "UPDATE", was: "process", now: "outcome" },
    ]);
  });

  it("read as known before a run changed it, an indicator is whole as it was", async () => {
    const first = await csv("known.csv", [`2029,county,known-at,Ennen,process,higher,,Test set`]);
    expect(await runSync(em(), hyteImporter({ file: first }))).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, created: 1 });
    const fields = "id fundingYear level code name kind betterDirection sotkanetId source";
    const asItWas = await ask(`{ hyteIndicators(fundingYear: 2029) { ${fields} } }`);
    expect(asItWas.errors).toBeUndefined();
    const beforeChange = new Date().toISOString();
    const changed = await csv("known-changed.csv", [`2029,county,known-at,Jälkeen,outcome,lower,,Test set`]);
    expect(await runSync(em(), hyteImporter({ file: changed }))).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, updated: 1 });
    const now = await ask(`{ hyteIndicators(fundingYear: 2029) { name kind } }`);
    expect(now.data!["hyteIndicators"]).toEqual([{ name: "Jälkeen", kind: "OUTCOME" }]);
    const known = await ask(`{ hyteIndicators(fundingYear: 2029) { ${fields} } }`, {}, { [KNOWN_AT_HEADER]: beforeChange });
    expect(known.errors).toBeUndefined();
    expect(known.data!["hyteIndicators"]).toEqual(asItWas.data!["hyteIndicators"]);
    expect(known.data!["hyteIndicators"]).toEqual([
      { id: "hyte-2029-county-known-at", fundingYear: 2029, level: "COUNTY", code: "known-at", name: "Ennen", kind: "PROCESS", betterDirection: "HIGHER", sotkanetId: null, source: "Test set" },
    ]);
  });

  it("a dry run writes nothing; a file without the header or missing fails and writes nothing", async () => {
    const file = await csv("dry.csv", [`2028,county,x,Jotain,outcome,lower,,Test set`]);
    const before = await hyteRows();
    expect(await runSync(em(), hyteImporter({ file }), { dryRun: true })).toMatchObject({ status: RegisterSyncStatus.SUCCEEDED, dryRun: true, created: 1 });
    const headless = join(dir, "headless.csv");
    await writeFile(headless, `2028,county,x,Jotain,outcome,lower,,Test set\n`);
    const bad = await runSync(em(), hyteImporter({ file: headless }));
    expect(bad).toMatchObject({ status: RegisterSyncStatus.FAILED, failure: expect.stringMatching(/the header must be funding_year,level,code,name,kind,better_direction,sotkanet_id,source/) });
    const missing = await runSync(em(), hyteImporter({ file: join(dir, "nope.csv") }));
    expect(missing).toMatchObject({ status: RegisterSyncStatus.FAILED, failure: expect.stringMatching(/cannot read the file \(ENOENT\)/) });
    expect(await hyteRows()).toBe(before);
    const reports = await ask(`{ indicatorSyncReports(register: "hyte", limit: 1) { id status } }`);
    expect(reports.data!["indicatorSyncReports"]).toEqual([{ id: missing.id, status: "FAILED" }]);
  });

  it("refuses a funding year out of range naming the argument", async () => {
    const res = await ask(`{ hyteIndicators(fundingYear: 1999) { id } }`);
    expect(res.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.message).toMatch(/fundingYear/);
  });
});
