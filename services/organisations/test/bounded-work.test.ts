import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { READY_TIMEOUT_MS, startService, type RunningService } from "@yhdyspinta/core";
import { createTestDatabase, startPausableProxy, subgraphRequest, testPostgresUrl, type PausableProxy, type TestDatabase } from "@yhdyspinta/core/testing";
import { organisationsService } from "../src/service.ts";

const internalSecret = randomBytes(32).toString("hex");
const STATEMENT_TIMEOUT_MS = 1_000;
const ACQUIRE_TIMEOUT_MS = 1_000;
/** The configured bound of one request's database work: pg's query_timeout is statement_timeout + 1 s, plus one acquire. */
const BOUND_MS = STATEMENT_TIMEOUT_MS + 1_000 + ACQUIRE_TIMEOUT_MS;

let db: TestDatabase;
let proxy: PausableProxy;
let service: RunningService;

beforeAll(async () => {
  db = await createTestDatabase("bounded");
  // The service reaches the test run's shared PostgreSQL through a proxy only this test pauses.
  proxy = await startPausableProxy(testPostgresUrl());
  service = await startService(organisationsService, {
    databaseUrl: proxy.via(db.url),
    port: 0,
    seed: true,
    createDatabase: false,
    internalAuthSecret: internalSecret,
    statementTimeoutMs: STATEMENT_TIMEOUT_MS,
    acquireTimeoutMs: ACQUIRE_TIMEOUT_MS,
  });
});

afterAll(async () => {
  proxy?.resume();
  await service?.stop();
  await proxy?.stop();
  await db?.drop();
});

const timed = async <T>(fn: () => Promise<T>) => {
  const started = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - started };
};

describe("a database that stops answering", () => {
  it("gives requests a DATABASE_TIMEOUT error within the configured bound and /ready a 503 within its own", async () => {
    const query = `{ organisations(first: 5) { totalCount } }`;
    const before = await subgraphRequest<{ organisations: { totalCount: number } }>(service.url, internalSecret, query);
    expect(before.errors).toBeUndefined();
    expect(before.data!.organisations.totalCount).toBeGreaterThan(0);

    proxy.pause();
    // A hang would end only at the test's own timeout (60 s); the margin over
    // the bound is for a busy machine, not for the database.
    const answer = await timed(() => subgraphRequest(service.url, internalSecret, query));
    expect(answer.ms).toBeLessThan(BOUND_MS * 3);
    expect(answer.result.data?.organisations ?? null).toBeNull();
    expect(answer.result.errors?.map((e) => e.extensions?.["code"])).toEqual(["DATABASE_TIMEOUT"]);
    expect(JSON.stringify(answer.result)).not.toMatch(/select|timeout exceeded|Query read/i);

    // /ready says the database is unreachable within its own bound; /health (process alive) answers at once.
    const ready = await timed(() => fetch(new URL("ready", service.url)));
    expect(ready.result.status).toBe(503);
    expect(await ready.result.json()).toMatchObject({ status: "not ready", service: "organisations" });
    expect(ready.ms).toBeLessThan(READY_TIMEOUT_MS * 3);
    const health = await timed(() => fetch(new URL("health", service.url)));
    expect(health.result.status).toBe(200);
    expect(health.ms).toBeLessThan(READY_TIMEOUT_MS * 3);

    // Answering again: the pool recovers without a restart.
    proxy.resume();
    const after = await subgraphRequest<{ organisations: { totalCount: number } }>(service.url, internalSecret, query);
    expect(after.errors).toBeUndefined();
    expect(after.data).toEqual(before.data);
    expect((await fetch(new URL("ready", service.url))).status).toBe(200);
  });
});
