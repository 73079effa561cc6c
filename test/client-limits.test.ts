import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { buildSchema, Kind, parse, type OperationDefinitionNode } from "graphql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anonymousViewer, GATEWAY_LIMITS, measureOperation, mintUserToken, readConfig, ViewerRole, type RunningHttpServer } from "@yhdyspinta/core";
import { createTestDatabase, type TestDatabase } from "@yhdyspinta/core/testing";
import { ClientLimiter, MemoryUsageStore } from "../gateway/src/client-limits.ts";
import { startGateway } from "../gateway/src/gateway.ts";
import { gatewayOptionsFor, startTestStack, type TestStack } from "./support.ts";

// Per-client limits (gateway/src/client-limits.ts): each client's cost budget
// per window on top of the per-operation limits, 429 with Retry-After when
// spent, other clients unaffected, the budget shared by replicas through
// PostgreSQL, and each client's usage in /metrics and the operation log.

/** Costs ~1000 units (every county with its municipalities), answered quickly. */
const HEAVY = `query NotebookHeavy { counties { code municipalities { code nameFi } } }`;
const CHEAP = `query DashboardProbe { counties(codes: ["14"]) { code } }`;

function costOf(document: string): number {
  const schema = buildSchema(readFileSync(new URL("../schema/supergraph.graphql", import.meta.url), "utf8"));
  const operation = parse(document).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return measureOperation(schema, operation, {}, GATEWAY_LIMITS).cost;
}
const HEAVY_COST = costOf(HEAVY);
const CHEAP_COST = costOf(CHEAP);
/** Three heavy operations, so the fourth is refused. */
const BUDGET = 3 * HEAVY_COST;
const WINDOW_SECONDS = 60;
/** A fixed clock 15 s into a window: the budget refills in 45 s, whatever the machine's time. */
const NOW = Date.UTC(2030, 0, 1, 0, 0, 15);
const REFILLS_AT = "2030-01-01T00:01:00.000Z";

interface Answer {
  status: number;
  retryAfter: string | null;
  ms: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function ask(url: string, query: string, headers: Record<string, string>): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query }) });
  const body = (await res.json()) as Answer["body"];
  return { status: res.status, retryAfter: res.headers.get("retry-after"), ms: performance.now() - started, body };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The value of one series of the gateway's /metrics, 0 when absent. */
async function metric(url: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(new URL("metrics", url))).text();
  const line = text
    .split("\n")
    .find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

let stack: TestStack;
let database: TestDatabase;
const gateways: RunningHttpServer[] = [];

beforeAll(async () => {
  stack = await startTestStack("clientlimits", { env: { GATEWAY_CLIENT_BUDGET: String(BUDGET), GATEWAY_CLIENT_WINDOW_SECONDS: "3600" } });
  database = await createTestDatabase("client_usage");
});

afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  await database?.drop();
  await stack?.stop();
});

async function gateway(databaseUrl?: string): Promise<RunningHttpServer> {
  const started = await startGateway({
    ...gatewayOptionsFor(stack),
    clientBudget: { budget: BUDGET, windowSeconds: WINDOW_SECONDS, now: () => NOW, ...(databaseUrl ? { databaseUrl } : {}) },
  });
  gateways.push(started);
  return started;
}

function expectRateLimited(answer: Answer) {
  expect(answer.status).toBe(429);
  expect(answer.retryAfter).toBe("45");
  const error = answer.body.errors?.[0];
  expect(error?.extensions).toMatchObject({ code: "RATE_LIMITED", budget: BUDGET, windowSeconds: WINDOW_SECONDS, refillsAt: REFILLS_AT, retryAfterSeconds: 45 });
  expect(error?.message).toContain(`budget of ${BUDGET} cost units per ${WINDOW_SECONDS} s`);
  expect(error?.message).toContain(REFILLS_AT);
  // The status and header travel as HTTP, not in the error.
  expect(error?.extensions).not.toHaveProperty("http");
  expect(answer.body.data).toBeUndefined();
}

describe("per-client limits", () => {
  it("refuse a client whose budget is spent with 429 and Retry-After, while another client keeps its latency", { timeout: 120_000 }, async () => {
    const { url } = await gateway();
    const subjects = [`analyst-${randomUUID()}`, `dashboard-${randomUUID()}`] as const;
    const notebook = {
      authorization: `Bearer ${await mintUserToken(stack.authSecret, { sub: subjects[0], role: ViewerRole.Analyst })}`,
      "graphql-client-name": "notebook-memory",
      "graphql-client-version": "2.1",
    };
    const dashboard = {
      authorization: `Bearer ${await mintUserToken(stack.authSecret, { sub: subjects[1] })}`,
      "graphql-client-name": "dashboard-memory",
      "graphql-client-version": "1.0",
    };
    // Warm (the first requests plan the operation), then the dashboard's latency alone…
    for (let i = 0; i < 2; i++) await ask(url, CHEAP, dashboard);
    const baseline: number[] = [];
    for (let i = 0; i < 9; i++) baseline.push((await ask(url, CHEAP, dashboard)).ms);
    // …and while the notebook spends its budget and keeps asking.
    const heavy: Answer[] = [];
    const during: Answer[] = [];
    await Promise.all([
      (async () => {
        for (let i = 0; i < 10; i++) heavy.push(await ask(url, HEAVY, notebook));
      })(),
      (async () => {
        for (let i = 0; i < 9; i++) during.push(await ask(url, CHEAP, dashboard));
      })(),
    ]);
    expect(heavy.map((a) => a.status)).toEqual([200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
    for (const answer of heavy.slice(0, 3)) expect(answer.body.errors).toBeUndefined();
    for (const answer of heavy.slice(3)) expectRateLimited(answer);
    // The dashboard is never refused, and its median latency stays within a generous ratio of its own baseline.
    expect(during.map((a) => a.status)).toEqual(during.map(() => 200));
    for (const answer of during) expect(answer.body.errors).toBeUndefined();
    const ratio = median(during.map((a) => a.ms)) / median(baseline);
    console.log(`dashboard median latency while the notebook is limited: ${ratio.toFixed(2)} × its baseline`);
    expect(ratio).toBeLessThan(8);

    // Each client's usage in /metrics, labelled by name and version only.
    const notebookLabels = { client_name: "notebook-memory", client_version: "2.1" };
    expect(await metric(url, "yhdyspinta_gateway_client_operations_total", { ...notebookLabels, outcome: "ok" })).toBe(3);
    expect(await metric(url, "yhdyspinta_gateway_client_operations_total", { ...notebookLabels, outcome: "rate_limited" })).toBe(7);
    expect(await metric(url, "yhdyspinta_gateway_client_cost_total", notebookLabels)).toBe(BUDGET);
    expect(await metric(url, "yhdyspinta_gateway_client_operations_total", { client_name: "dashboard-memory", outcome: "ok" })).toBe(20);
    expect(await metric(url, "yhdyspinta_gateway_client_cost_total", { client_name: "dashboard-memory" })).toBe(20 * CHEAP_COST);
    const text = await (await fetch(new URL("metrics", url))).text();
    for (const subject of subjects) expect(text).not.toContain(subject);
  });

  it("count anonymous callers by address and errors per client", { timeout: 60_000 }, async () => {
    const { url } = await gateway();
    const anonymous = { "graphql-client-name": "anonymous-script", "graphql-client-version": "0.1" };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(url, HEAVY, anonymous)).status);
    // Another name from the same address spends the same budget: the headers label, they do not widen it.
    const renamed = await ask(url, HEAVY, { "graphql-client-name": "renamed-script" });
    expect(statuses).toEqual([200, 200, 200, 429]);
    expectRateLimited(renamed);
    const invalid = await ask(url, `query Broken { counties { noSuchField } }`, anonymous);
    expect(invalid.status).toBe(400);
    expect(await metric(url, "yhdyspinta_gateway_client_operations_total", { client_name: "anonymous-script", outcome: "rejected" })).toBe(1);
    expect(await metric(url, "yhdyspinta_gateway_client_operations_total", { client_name: "renamed-script", client_version: "unknown", outcome: "rate_limited" })).toBe(1);
  });

  it("share one budget between two replicas through PostgreSQL", { timeout: 120_000 }, async () => {
    const first = await gateway(database.url);
    const second = await gateway(database.url);
    const subject = `shared-${randomUUID()}`;
    // Apollo Client's own header names.
    const notebook = { authorization: `Bearer ${await mintUserToken(stack.authSecret, { sub: subject, role: ViewerRole.Analyst })}`, "apollographql-client-name": "notebook-shared", "apollographql-client-version": "4.0" };
    const other = { authorization: `Bearer ${await mintUserToken(stack.authSecret, { sub: `other-${randomUUID()}` })}`, "graphql-client-name": "dashboard-shared" };
    const answers: Answer[] = [];
    // Alternating replicas: each admits what the other has not spent.
    for (let i = 0; i < 6; i++) answers.push(await ask(i % 2 === 0 ? first.url : second.url, HEAVY, notebook));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429, 429]);
    for (const answer of answers.slice(3)) expectRateLimited(answer);
    const refusedOn = async (url: string) => await metric(url, "yhdyspinta_gateway_client_operations_total", { client_name: "notebook-shared", client_version: "4.0", outcome: "rate_limited" });
    // Both gateways run in this process and share its metrics registry: 3 refusals counted, whichever replica refused.
    expect(await refusedOn(first.url)).toBe(3);
    // Both replicas still serve the other client.
    for (const url of [first.url, second.url]) {
      const answer = await ask(url, CHEAP, other);
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
    }
    // Parallel requests on both replicas cannot overspend: the upsert is atomic.
    const racer = { authorization: `Bearer ${await mintUserToken(stack.authSecret, { sub: `racer-${randomUUID()}` })}` };
    const raced = await Promise.all(Array.from({ length: 8 }, (_, i) => ask(i % 2 === 0 ? first.url : second.url, HEAVY, racer)));
    expect(raced.filter((a) => a.status === 200)).toHaveLength(3);
    expect(raced.filter((a) => a.status === 429)).toHaveLength(5);

    // One row per client and window, keyed by a hash: neither the subject nor an address is stored.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ client_id: string; cost: string }>("select client_id, cost from gateway_client_usage order by cost");
      expect(rows.map((r) => Number(r.cost)).sort((a, b) => a - b)).toEqual([2 * CHEAP_COST, BUDGET, BUDGET]);
      expect(rows.some((r) => r.client_id.includes(subject) || r.client_id.startsWith("sub:"))).toBe(false);
    } finally {
      await client.end();
    }
  });

  it("log each operation with its client, cost and budget, read from the configuration", { timeout: 60_000 }, async () => {
    const requestId = `client-${randomUUID()}`;
    const token = await mintUserToken(stack.authSecret, { sub: `logged-${randomUUID()}` });
    const answer = await ask(stack.gatewayUrl, CHEAP, {
      authorization: `Bearer ${token}`,
      "graphql-client-name": "dashboard-logged",
      "graphql-client-version": "3.0",
      "x-request-id": requestId,
    });
    expect(answer.status).toBe(200);
    const line = await stack.waitForLog((l) => l.startsWith("[gateway] {") && l.includes(`"requestId":"${requestId}"`) && l.includes(`"msg":"operation"`));
    const logged = JSON.parse(line.slice("[gateway] ".length)) as Record<string, unknown>;
    expect(logged["client"]).toMatchObject({ name: "dashboard-logged", version: "3.0", cost: CHEAP_COST, budget: BUDGET, windowUsed: CHEAP_COST });
    expect(line).not.toContain("logged-");
  });
});

describe("per-client budget settings", () => {
  it("default to a budget in production only, and read budgets by role", () => {
    const development = readConfig({}).gateway.clientBudget;
    expect(development).toEqual({ budget: 0, windowSeconds: 60, byRole: {} });
    const production = readConfig({ NODE_ENV: "production" }).gateway.clientBudget;
    expect(production.budget).toBe(20_000_000);
    const set = readConfig({
      GATEWAY_CLIENT_BUDGET: "5000",
      GATEWAY_CLIENT_WINDOW_SECONDS: "10",
      GATEWAY_CLIENT_BUDGET_BY_ROLE: "analyst:90000,admin:0",
      GATEWAY_DATABASE_URL: "postgres://u:p@db:5432/gateway",
    }).gateway.clientBudget;
    expect(set).toEqual({ budget: 5000, windowSeconds: 10, byRole: { analyst: 90_000, admin: 0 }, databaseUrl: "postgres://u:p@db:5432/gateway" });
    const limiter = new ClientLimiter(set);
    expect(limiter.budgetOf({ ...anonymousViewer, subject: "a", role: ViewerRole.Analyst })).toBe(90_000);
    expect(limiter.budgetOf({ ...anonymousViewer, subject: "c", role: ViewerRole.Coordinator })).toBe(5000);
    expect(limiter.budgetOf(anonymousViewer)).toBe(5000);
  });

  it("forget a window's usage in memory when the next window starts", async () => {
    const store = new MemoryUsageStore();
    expect(await store.spend("a", 60, 700, 1000)).toBe(700);
    expect(await store.spend("a", 60, 700, 1000)).toBe(1400);
    expect(await store.spend("a", 60, 1, 1000)).toBeNull();
    expect(await store.spend("b", 60, 1, 1000)).toBe(1);
    expect(await store.spend("a", 120, 5, 1000)).toBe(5);
  });
});
