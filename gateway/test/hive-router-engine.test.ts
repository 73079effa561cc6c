import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningHttpServer } from "@yhdyspinta/core";
import { startGateway } from "../src/gateway.ts";

// GATEWAY_ENGINE=hive-router on its own: subgraph failures stay errors of
// that subgraph (HTTP 200, SUBGRAPH_UNAVAILABLE naming it), never a failed operation.

const supergraphPath = fileURLToPath(new URL("../../schema/supergraph.graphql", import.meta.url));
const secret = randomBytes(32).toString("hex");
let stalling: Server;
let nowhere: RunningHttpServer;
let slow: RunningHttpServer;

async function post(url: string, query: string) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

beforeAll(async () => {
  // Answers with headers at once, then never finishes the body.
  stalling = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"data":');
  });
  await new Promise<void>((resolve) => stalling.listen(0, "127.0.0.1", resolve));
  const stallingUrl = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}/`;
  const common = { supergraphPath, port: 0, auth: { jwtSecret: secret }, internalAuthSecret: secret, subgraphTimeoutMs: 500, engine: "hive-router" as const };
  const urls = (url: string) => ({ organisations: url, groups: url, planning: url });
  nowhere = await startGateway({ ...common, subgraphUrls: urls("http://127.0.0.1:9/") });
  slow = await startGateway({ ...common, subgraphUrls: urls(stallingUrl) });
});

afterAll(async () => {
  await nowhere?.stop();
  await slow?.stop();
  stalling?.closeAllConnections();
  await new Promise((resolve) => stalling?.close(resolve));
});

describe("the hive-router engine with a failing subgraph", () => {
  it("names an unreachable subgraph", async () => {
    const res = await post(nowhere.url, "{ counties { code } }");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const error = res.body.errors?.[0];
    expect(error?.extensions?.["code"]).toBe("SUBGRAPH_UNAVAILABLE");
    expect(error?.extensions?.["serviceName"]).toBe("organisations");
    expect(error?.message).toBe("The organisations service is unavailable");
  });

  it("bounds a subgraph whose body never ends", async () => {
    const res = await post(slow.url, "{ counties { code } }");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const error = res.body.errors?.[0];
    expect(error?.extensions?.["code"]).toBe("SUBGRAPH_UNAVAILABLE");
    expect(error?.message).toBe("The organisations service did not answer within 500 ms");
  });
});
