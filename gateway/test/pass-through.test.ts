import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passedThroughTotal, type RunningHttpServer } from "@yhdyspinta/core";
import { startGateway } from "../src/gateway.ts";

// The pass-through reads the plan the Hive Router runtime executed through
// one adapter (pass-through.ts `executedPlan`). Should a runtime upgrade
// change how the plan is handed out, no operation passes through any more:
// this test fails.

const supergraphPath = fileURLToPath(new URL("../../schema/supergraph.graphql", import.meta.url));
const secret = randomBytes(32).toString("hex");
let subgraph: Server;
let gateway: RunningHttpServer;
const received: string[] = [];

beforeAll(async () => {
  // A subgraph that answers every operation with the same counties.
  subgraph = createServer((req, res) => {
    // Only GraphQL over POST: the gateway's other requests (its change-notification stream) find nothing here.
    if (req.method !== "POST") {
      res.writeHead(404).end();
      return;
    }
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push((JSON.parse(body) as { query: string }).query);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ data: { counties: [{ code: "14" }, { code: "08" }] } }));
    });
  });
  await new Promise<void>((resolve) => subgraph.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/`;
  gateway = await startGateway({
    supergraphPath,
    port: 0,
    auth: { jwtSecret: secret },
    internalAuthSecret: secret,
    subgraphTimeoutMs: 5_000,
    engine: "hive-router",
    subgraphUrls: { organisations: url, groups: url, planning: url },
  });
});

afterAll(async () => {
  await gateway?.stop();
  await new Promise((resolve) => subgraph?.close(resolve));
});

const passed = async () => (await passedThroughTotal().get()).values.filter((v) => v.labels.subgraph === "organisations").reduce((n, v) => n + v.value, 0);

describe("the one-fetch pass-through", () => {
  it("passes an operation of one fetch through from its second run, with the same answer", async () => {
    const ask = async () => {
      const res = await fetch(`${gateway.url}graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "query PassMe { counties { code } }" }) });
      expect(res.status).toBe(200);
      return await res.json();
    };
    const start = await passed();
    const first = await ask();
    expect(first).toEqual({ data: { counties: [{ code: "14" }, { code: "08" }] } });
    expect(await passed()).toBe(start);
    const second = await ask();
    expect(second).toEqual(first);
    expect(await passed()).toBe(start + 1);
    expect(received).toHaveLength(2);
    expect(received.every((q) => q.includes("PassMe__organisations__0"))).toBe(true);
  });
});
