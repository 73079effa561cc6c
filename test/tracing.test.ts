import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { EventEmitter, once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys } from "@yhdyspinta/core";
import { startTestStack, type TestStack } from "./support.ts";

// OpenTelemetry traces across gateway → subgraphs → SQL, exported over
// OTLP/HTTP to a collector this test starts (it answers as an OTLP receiver
// does: 200 with an empty JSON object).

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: { stringValue?: string; intValue?: string } }[];
}
interface ReceivedSpan extends OtlpSpan {
  service: string;
}

/** OTLP's SpanKind of a span that serves a request. */
const SERVER = 2;

let stack: TestStack;
let collector: Server;
const received: ReceivedSpan[] = [];
const arrivals = new EventEmitter();
const bodies: string[] = [];

/** Resolves with the spans of `traceId` once `done` accepts them (checked at every export that arrives). */
async function spansOf(traceId: string, done: (spans: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
  for (;;) {
    const spans = received.filter((s) => s.traceId === traceId);
    if (done(spans)) return spans;
    await once(arrivals, "spans");
  }
}

const QUERY = `query Traced($id: ID!) { cooperationGroup(id: $id) { name county { nameEn } municipalities { nameFi } } }`;

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      if (req.url === "/v1/traces") {
        bodies.push(body);
        const payload = JSON.parse(body) as { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const rs of payload.resourceSpans) {
          const service = rs.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue ?? "?";
          for (const ss of rs.scopeSpans) for (const span of ss.spans) received.push({ ...span, service });
        }
        arrivals.emit("spans");
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  collector.listen(0, "127.0.0.1");
  await once(collector, "listening");
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  stack = await startTestStack("tracing", { env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: "100" } });
});

afterAll(async () => {
  await stack?.stop();
  collector?.close();
});

describe("OpenTelemetry traces", () => {
  it("continue the caller's traceparent through the gateway, every subgraph it asks and their SQL", async () => {
    const traceId = randomBytes(16).toString("hex");
    const callerSpan = randomBytes(8).toString("hex");
    const res = await fetch(new URL("graphql", stack.gatewayUrl), {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${traceId}-${callerSpan}-01` },
      body: JSON.stringify({ query: QUERY, variables: { id: GroupKeys.pkKeskinen } }),
    });
    const answer = (await res.json()) as { data: { cooperationGroup: { county: { nameEn: string }; municipalities: unknown[] } } };
    expect(answer.data.cooperationGroup.county.nameEn).toBeTruthy();
    expect(answer.data.cooperationGroup.municipalities.length).toBeGreaterThan(0);

    const has = (spans: ReceivedSpan[], service: string, prefix: string) => spans.some((s) => s.service === `yhdyspinta-${service}` && s.name.startsWith(prefix));
    // Each process exports in its own batches: wait until every fetch's server span has come too,
    // not only the first SQL spans (a subgraph's request span ends, and is sent, after its SQL).
    const servedAll = (spans: ReceivedSpan[], service: string) => {
      const fetches = spans.filter((s) => s.service === "yhdyspinta-gateway" && s.name === `subgraph ${service}`).length;
      return fetches > 0 && spans.filter((s) => s.service === `yhdyspinta-${service}` && s.kind === SERVER).length >= fetches;
    };
    const spans = await spansOf(
      traceId,
      (s) => has(s, "groups", "sql ") && has(s, "organisations", "sql ") && has(s, "gateway", "graphql.execute") && servedAll(s, "groups") && servedAll(s, "organisations"),
    );

    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const gatewayRoot = spans.find((s) => s.service === "yhdyspinta-gateway" && s.name === "POST /graphql");
    expect(gatewayRoot?.parentSpanId).toBe(callerSpan);
    for (const phase of ["graphql.parse", "graphql.validate", "graphql.execute query Traced"]) {
      expect(spans.find((s) => s.service === "yhdyspinta-gateway" && s.name === phase)?.parentSpanId, phase).toBe(gatewayRoot!.spanId);
    }
    for (const service of ["groups", "organisations"]) {
      // The subgraph's request span is the child of the gateway's fetch span for it.
      const fetchSpans = spans.filter((s) => s.service === "yhdyspinta-gateway" && s.name === `subgraph ${service}`);
      expect(fetchSpans.length, service).toBeGreaterThan(0);
      const served = spans.filter((s) => s.service === `yhdyspinta-${service}` && s.kind === SERVER);
      expect(served.length, service).toBe(fetchSpans.length);
      for (const span of served) expect(fetchSpans.map((f) => f.spanId)).toContain(span.parentSpanId);
      // Every SQL span sits under that request span (through loader spans where a loader ran it).
      const sql = spans.filter((s) => s.service === `yhdyspinta-${service}` && s.name.startsWith("sql "));
      expect(sql.length, service).toBeGreaterThan(0);
      for (const span of sql) {
        let up = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
        while (up && up.kind !== SERVER) up = up.parentSpanId ? byId.get(up.parentSpanId) : undefined;
        expect(served).toContain(up);
        const text = span.attributes?.find((a) => a.key === "db.query.text")?.value.stringValue ?? "";
        expect(text.length).toBeGreaterThan(0);
      }
    }
    expect(spans.some((s) => s.service === "yhdyspinta-groups" && s.name.startsWith("loader "))).toBe(true);
    // Statements go with their placeholders: the group id the query asked for is in no span.
    const exported = bodies.join("\n");
    expect(exported).toContain(traceId);
    expect(exported).not.toContain(GroupKeys.pkKeskinen);
  });

  it("starts a trace of its own for a request without traceparent, one per request", async () => {
    const before = new Set(received.map((s) => s.traceId));
    for (let i = 0; i < 2; i += 1) {
      const res = await stack.query(QUERY, { id: GroupKeys.pkKeskinen });
      expect(res.errors).toBeUndefined();
    }
    const roots = async () => {
      for (;;) {
        const found = received.filter((s) => !before.has(s.traceId) && s.service === "yhdyspinta-gateway" && s.kind === SERVER && !s.parentSpanId);
        const complete = found.filter((root) => received.some((s) => s.traceId === root.traceId && s.service === "yhdyspinta-organisations"));
        if (complete.length >= 2) return complete;
        await once(arrivals, "spans");
      }
    };
    const found = await roots();
    expect(new Set(found.map((r) => r.traceId)).size).toBe(found.length);
  });
});
