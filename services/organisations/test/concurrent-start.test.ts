import "reflect-metadata";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "@yhdyspinta/core";
import { createTestDatabase, subgraphRequest, type TestDatabase } from "@yhdyspinta/core/testing";
import { organisationsService } from "../src/service.ts";

const databases: TestDatabase[] = [];
const services: RunningService[] = [];

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await Promise.all(databases.map((d) => d.drop()));
});

/** Row count of every table in the public schema. */
async function tableCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ tablename: string }>("select tablename from pg_tables where schemaname = 'public' order by 1");
    const counts: Record<string, number> = {};
    for (const { tablename } of tables.rows) {
      const res = await client.query<{ n: string }>(`select count(*) as n from ${client.escapeIdentifier(tablename)}`);
      counts[tablename] = Number(res.rows[0]!.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

const internalSecret = randomBytes(32).toString("hex");
const start = (databaseUrl: string) =>
  startService(organisationsService, { databaseUrl, port: 0, seed: true, createDatabase: false, internalAuthSecret: internalSecret });

describe("replicas starting at the same moment", () => {
  it("all come up on one fresh database, migrating and seeding it once", async () => {
    const shared = await createTestDatabase("concurrent_start");
    const reference = await createTestDatabase("single_start");
    databases.push(shared, reference);

    const started = await Promise.allSettled([start(shared.url), start(shared.url), start(shared.url)]);
    for (const result of started) if (result.status === "fulfilled") services.push(result.value);
    expect(started.map((r) => (r.status === "rejected" ? String(r.reason) : "up"))).toEqual(["up", "up", "up"]);

    // Each migration is recorded once.
    const client = new pg.Client({ connectionString: shared.url });
    await client.connect();
    const migrations = await client.query<{ name: string; times: string }>(
      "select name, count(*) as times from migrations_organisations group by name",
    );
    await client.end();
    expect(migrations.rows.length).toBe(organisationsService.migrations.length);
    expect(migrations.rows.filter((r) => Number(r.times) !== 1)).toEqual([]);

    // The seeded data equals what one instance alone writes: nothing twice.
    const single = await start(reference.url);
    services.push(single);
    expect(await tableCounts(shared.url)).toEqual(await tableCounts(reference.url));

    // And every replica answers.
    for (const service of services) {
      const res = await subgraphRequest<{ counties: unknown[] }>(service.url, internalSecret, "{ counties { code } }");
      expect(res.data?.counties.length).toBeGreaterThan(0);
    }
  });
});
