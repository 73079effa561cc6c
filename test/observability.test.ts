import { randomUUID } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserToken, Scope } from "@yhdyspinta/core";
import { testPostgresUrl } from "@yhdyspinta/core/testing";
import { SERVICE_NAMES } from "@yhdyspinta/stack";
import { startTestStack, type TestStack } from "./support.ts";

/**
 * A TCP proxy in front of the test run's PostgreSQL that the test can pause:
 * while paused it accepts connections and forwards nothing, as a database
 * that has stopped answering does.
 */
async function startPausableProxy(target: URL): Promise<{ url: (base: string) => string; pause(): void; resume(): void; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let paused = false;
  const server: Server = createServer((client) => {
    const upstream = createConnectionTo(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
    // After pipe(), which starts the flow.
    if (paused) for (const socket of [client, upstream]) socket.pause();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url(base) {
      const url = new URL(base);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      return url.toString();
    },
    pause() {
      paused = true;
      for (const socket of sockets) socket.pause();
    },
    resume() {
      paused = false;
      for (const socket of sockets) socket.resume();
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function createConnectionTo(target: URL): Socket {
  return connect({ host: target.hostname, port: Number(target.port || 5432) });
}

type Family = ReturnType<typeof parsePrometheusTextFormat>[number];

interface Scrape {
  families: Family[];
  text: string;
}

async function scrape(baseUrl: string): Promise<Scrape> {
  const res = await fetch(new URL("metrics", baseUrl));
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  const text = await res.text();
  return { families: parsePrometheusTextFormat(text), text };
}

function family(scraped: Scrape, name: string): Family {
  const found = scraped.families.find((f) => f.name === name);
  if (!found) throw new Error(`metric ${name} missing; have ${scraped.families.map((f) => f.name).join(", ")}`);
  return found;
}

/**
 * The `_count` of a histogram series whose labels include `labels`. The
 * parser above merges a histogram's labelled series into one, so the
 * series' `_count` sample lines are read directly (same text format).
 */
function histogramCount(scraped: Scrape, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of scraped.text.split("\n")) {
    const match = new RegExp(`^${name}_count\\{(.*)\\} (\\S+)$`).exec(line);
    if (!match) continue;
    const own = Object.fromEntries([...match[1]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => own[k] === v)) total += Number(match[2]);
  }
  return total;
}

/** Parsed JSON log lines of one process (`[source] {...}`). */
function jsonLines(lines: readonly string[], source: string): Record<string, unknown>[] {
  const prefix = `[${source}] `;
  return lines
    .filter((line) => line.startsWith(prefix))
    .map((line) => JSON.parse(line.slice(prefix.length)) as Record<string, unknown>);
}

const isOperationLine = (source: string, requestId: string) => (line: string) =>
  line.startsWith(`[${source}] {`) && line.includes(`"requestId":"${requestId}"`) && line.includes(`"msg":"operation"`);

let stack: TestStack;
let proxy: Awaited<ReturnType<typeof startPausableProxy>>;

// Crosses all three subgraphs and reads contact data (with contacts:read).
const OPERATION = "ObservedMunicipality";
const query = `query ${OPERATION} {
  municipality(code: "167") { nameFi cooperationGroups { name } wellbeingPlans { id } }
  people(search: "Mannelin") { edges { node { name email phone } } }
}`;

beforeAll(async () => {
  const server = testPostgresUrl();
  proxy = await startPausableProxy(new URL(server));
  stack = await startTestStack("observe", { postgresUrl: proxy.url(server) });
});

afterAll(async () => {
  proxy?.resume();
  await stack?.stop();
  await proxy?.stop();
});

describe("logs, metrics and readiness", () => {
  let requestId: string;
  let contacts: string[];

  beforeAll(async () => {
    requestId = `obs-${randomUUID()}`;
    const token = await mintUserToken(stack.authSecret, { sub: "observer", scope: Scope.ContactsRead, role: "analyst" });
    const res = await fetch(stack.gatewayUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-request-id": requestId },
      body: JSON.stringify({ query, operationName: OPERATION }),
    });
    expect(res.headers.get("x-request-id")).toBe(requestId);
    const body = (await res.json()) as {
      data?: { municipality: { nameFi: string }; people: { edges: { node: { email: string | null; phone: string | null } }[] } };
      errors?: unknown[];
    };
    expect(body.errors).toBeUndefined();
    expect(body.data!.municipality.nameFi).toBe("Joensuu");
    contacts = body.data!.people.edges.flatMap((e) => [e.node.email, e.node.phone]).filter((v): v is string => !!v);
  });

  it("logs the request's id in one operation line of the gateway and of every subgraph it asked", async () => {
    const gatewayLine = JSON.parse((await stack.waitForLog(isOperationLine("gateway", requestId))).slice("[gateway] ".length)) as Record<string, unknown>;
    expect(gatewayLine).toMatchObject({ service: "gateway", level: "info", operation: OPERATION, operationType: "query", outcome: "ok" });
    expect(typeof gatewayLine["durationMs"]).toBe("number");
    const fetched = (gatewayLine["subgraphFetches"] as { service: string; outcome: string }[]).map((f) => f.service);
    expect(new Set(fetched)).toEqual(new Set(SERVICE_NAMES));
    for (const name of SERVICE_NAMES) {
      const line = await stack.waitForLog(isOperationLine(name, requestId));
      expect(JSON.parse(line.slice(name.length + 3))).toMatchObject({ service: name, requestId, outcome: "ok" });
    }
    // Exactly one operation line for the request at the gateway.
    const gatewayOperations = jsonLines(stack.logLines(), "gateway").filter((l) => l["requestId"] === requestId && l["msg"] === "operation");
    expect(gatewayOperations).toHaveLength(1);
  });

  it("writes every process's lines as JSON and never the personal data it served", async () => {
    await stack.waitForLog(isOperationLine("organisations", requestId));
    // The caller did get contact data: the check below can fail.
    expect(contacts.length).toBeGreaterThanOrEqual(1);
    const lines = stack.logLines();
    for (const source of ["gateway", ...SERVICE_NAMES]) {
      const own = lines.filter((line) => line.startsWith(`[${source}] `));
      expect(own.length).toBeGreaterThan(0);
      // Every line parses as JSON (jsonLines throws otherwise) and has the common fields.
      for (const entry of jsonLines(lines, source)) {
        expect(entry).toMatchObject({ service: source });
        expect(typeof entry["level"]).toBe("string");
        expect(typeof entry["time"]).toBe("string");
      }
    }
    const text = lines.join("\n");
    for (const value of contacts) expect(text).not.toContain(value);
    expect(text).not.toContain("Mannelin");
  });

  it("serves Prometheus metrics that count the operation at the gateway and each subgraph", async () => {
    const gateway = await scrape(stack.gatewayUrl);
    const operations = family(gateway, "yhdyspinta_graphql_operations_total");
    expect(operations.type).toBe("COUNTER");
    const ours = operations.metrics.find((m) => m.labels?.["operation"] === OPERATION && m.labels?.["outcome"] === "ok");
    expect(Number(ours?.value)).toBeGreaterThanOrEqual(1);
    expect(ours?.labels?.["service"]).toBe("gateway");
    const latency = family(gateway, "yhdyspinta_graphql_operation_duration_seconds");
    expect(latency.type).toBe("HISTOGRAM");
    expect(histogramCount(gateway, latency.name, { operation: OPERATION, outcome: "ok", service: "gateway" })).toBeGreaterThanOrEqual(1);
    const fetches = family(gateway, "yhdyspinta_gateway_subgraph_fetch_duration_seconds");
    for (const name of SERVICE_NAMES) {
      expect(fetches.type).toBe("HISTOGRAM");
      expect(histogramCount(gateway, fetches.name, { subgraph: name, outcome: "ok" }), name).toBeGreaterThanOrEqual(1);
    }
    expect(Number(family(gateway, "process_cpu_user_seconds_total").metrics[0]?.value)).toBeGreaterThan(0);

    for (const name of SERVICE_NAMES) {
      const families = await scrape(stack.subgraphUrls[name]);
      // The gateway names its subgraph fetches after the operation: `<name>__<subgraph>__<n>`.
      const counted = family(families, "yhdyspinta_graphql_operations_total").metrics.filter(
        (m) => m.labels?.["operation"]?.startsWith(`${OPERATION}__${name}__`) && m.labels?.["outcome"] === "ok",
      );
      expect(counted.length, name).toBeGreaterThanOrEqual(1);
      expect(Number(family(families, "yhdyspinta_db_statements_total").metrics[0]?.value), name).toBeGreaterThan(0);
      const pool = family(families, "yhdyspinta_db_pool_connections");
      expect(new Set(pool.metrics.map((m) => m.labels?.["state"]))).toEqual(new Set(["total", "idle", "in_use", "waiting"]));
      expect(Number(family(families, "yhdyspinta_db_pool_max_connections").metrics[0]?.value)).toBeGreaterThan(0);
    }
  });

  it("answers /ready 503 while the database does not answer and 200 when it does; /health stays 200", async () => {
    const ready = async (url: string) => {
      const res = await fetch(new URL("ready", url));
      return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
    };
    const all = () => [stack.gatewayUrl, ...SERVICE_NAMES.map((n) => stack.subgraphUrls[n])];
    for (const url of all()) expect((await ready(url)).status, url).toBe(200);

    proxy.pause();
    try {
      const [gateway, ...subgraphs] = await Promise.all(all().map(ready));
      for (const [i, name] of SERVICE_NAMES.entries()) {
        expect(subgraphs[i]!.status, name).toBe(503);
        expect(subgraphs[i]!.body.checks["database"], name).not.toBe("ok");
      }
      expect(gateway!.status).toBe(503);
      expect(Object.values(gateway!.body.checks)).toEqual(["status 503", "status 503", "status 503"]);
      for (const url of all()) {
        const health = await fetch(new URL("health", url));
        expect(health.status, url).toBe(200);
        expect(health.headers.get("x-request-id")).toBeTruthy();
      }
    } finally {
      proxy.resume();
    }
    for (const url of all()) {
      const { status, body } = await ready(url);
      expect(status, `${url} ${JSON.stringify(body)}`).toBe(200);
    }
  });
});
