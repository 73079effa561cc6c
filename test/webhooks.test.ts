import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserToken } from "@yhdyspinta/core";
import { bearer, startTestStack, type TestStack } from "./support.ts";

// Webhooks (docs/WEBHOOKS.md): endpoints registered through the gateway,
// deliveries of the change feed signed by the Standard Webhooks scheme, to
// receivers this test starts.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

let stack: TestStack;
let admin: Record<string, string>;
let coordinator: Record<string, string>;

/** Tiny backoff for the test; 8 attempts of 25 ms doubling to 1 s take about 2.6 s. */
const MAX_ATTEMPTS = 8;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A webhook receiver: answers 204 (or 503 while `failing`), records every request, and lets a test wait for the Nth. */
class Receiver {
  failing = false;
  readonly requests: Received[] = [];
  private server: Server | null = null;
  private port = 0;
  private waiters: { count: number; accepted: boolean; resolve: () => void }[] = [];

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  get accepted(): Received[] {
    return this.requests.filter((r) => r.status < 300);
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const status = this.failing ? 503 : 204;
        this.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), status });
        res.writeHead(status).end();
        this.check();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once `count` requests (accepted ones only, if `accepted`) have arrived. */
  waitFor(count: number, accepted = true, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver: ${this.requests.length} requests (${this.accepted.length} accepted), waited for ${count}`)), timeoutMs);
      this.waiters.push({ count, accepted, resolve: () => (clearTimeout(timer), resolve()) });
      this.check();
    });
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      const done = (w.accepted ? this.accepted.length : this.requests.length) >= w.count;
      if (done) w.resolve();
      return !done;
    });
  }
}

const receivers: Receiver[] = [];
async function receiver(): Promise<Receiver> {
  const r = new Receiver();
  await r.start();
  receivers.push(r);
  return r;
}

/**
 * The Standard Webhooks check, written from the spec with node:crypto (not
 * the package the subgraph signs with): `v1,` and the base64 HMAC-SHA256 of
 * `<webhook-id>.<webhook-timestamp>.<body>` keyed with the base64 after
 * `whsec_`, among the space-separated signatures; the timestamp near now.
 */
function verifySignature(secret: string, request: Received): boolean {
  const id = String(request.headers["webhook-id"] ?? "");
  const timestamp = String(request.headers["webhook-timestamp"] ?? "");
  const header = String(request.headers["webhook-signature"] ?? "");
  if (!id || !/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${request.body}`).digest();
  return header.split(" ").some((part) => {
    const [version, signature] = part.split(",");
    const given = Buffer.from(signature ?? "", "base64");
    return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

async function ok(query: string, variables: Record<string, unknown> = {}, headers = admin): Promise<Data> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

const REGISTER = `mutation($input: RegisterWebhookEndpointInput!) { registerWebhookEndpoint(input: $input) { secret endpoint { id url active types countyCodes cursor } } }`;

/** The end of the change feed now (GET /changes as the admin). */
async function feedEnd(): Promise<string | undefined> {
  let cursor: string | undefined;
  for (;;) {
    const url = new URL("/changes", stack.gatewayUrl);
    url.searchParams.set("first", "500");
    if (cursor) url.searchParams.set("after", cursor);
    const body = (await (await fetch(url, { headers: admin })).json()) as Data;
    cursor = body.pageInfo.endCursor;
    if (!body.pageInfo.hasNextPage) return cursor;
  }
}

/** The feed's events after `cursor` (GET /changes), in its order. */
async function feedAfter(cursor: string | undefined): Promise<Data[]> {
  const nodes: Data[] = [];
  for (;;) {
    const url = new URL("/changes", stack.gatewayUrl);
    url.searchParams.set("first", "500");
    if (cursor) url.searchParams.set("after", cursor);
    const body = (await (await fetch(url, { headers: admin })).json()) as Data;
    nodes.push(...body.edges.map((e: Data) => e.node));
    cursor = body.pageInfo.endCursor;
    if (!body.pageInfo.hasNextPage) return nodes;
  }
}

async function createOrganisation(name: string, countyCode = "14"): Promise<string> {
  return (await ok(`mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`, { input: { name, kind: "ASSOCIATION", countyCode } })).createOrganisation.id;
}

async function renameOrganisation(id: string, name: string): Promise<void> {
  await ok(`mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id } }`, { id, input: { name } });
}

const bodyOf = (r: Received): Data => JSON.parse(r.body);

beforeAll(async () => {
  stack = await startTestStack("webhooks", {
    // A killed worker's lease (2 × timeout + 5 s) ends 9 s after its last step.
    env: { WEBHOOK_BACKOFF_MS: "25", WEBHOOK_BACKOFF_MAX_MS: "1000", WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS), WEBHOOK_TIMEOUT_MS: "2000" },
  });
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "hook-admin", scope: "data:write contacts:read", role: "admin" }));
  coordinator = bearer(await mintUserToken(stack.authSecret, { sub: "hook-coord", scope: "data:write", role: "coordinator", counties: ["14"] }));
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.stop()));
  await stack?.stop();
});

describe("webhooks", () => {
  it("delivers every change of the feed, signed, in order per record; a filtered endpoint only its changes", async () => {
    const all = await receiver();
    const filtered = await receiver();
    const after = await feedEnd();
    const registered = (await ok(REGISTER, { input: { url: all.url, after } })).registerWebhookEndpoint;
    expect(registered.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(registered.endpoint).toMatchObject({ url: all.url, active: true, types: null, countyCodes: null, cursor: after });
    const narrow = (await ok(REGISTER, { input: { url: filtered.url, after, types: ["Organisation"], countyCodes: ["14"] } })).registerWebhookEndpoint;

    // A mixed sequence across the three subgraphs: creates, edits, a removal.
    const org14 = await createOrganisation("Koukkuyhdistys ry");
    const org06 = await createOrganisation("Toinen koukkuyhdistys ry", "06");
    const measure = (await ok(`mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`, { input: { countyCode: "14", title: "Koukun toimenpide" } })).createMeasure.id;
    await renameOrganisation(org14, "Koukkuyhdistys ry (2)");
    await ok(`mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { id } }`, { input: { measureId: measure, description: "Muutettu" } });
    await renameOrganisation(org06, "Toinen koukkuyhdistys ry (2)");
    await ok(`mutation($id: ID!) { removeMeasure(measureId: $id) }`, { id: measure });
    await renameOrganisation(org14, "Koukkuyhdistys ry (3)");

    const feed = await feedAfter(after);
    expect(feed.length).toBeGreaterThanOrEqual(8);
    await all.waitFor(feed.length);
    const wanted = feed.filter((n) => n.change.entityType === "Organisation" && n.countyCode === "14");
    expect(wanted.length).toBe(3);
    await filtered.waitFor(wanted.length);

    for (const [r, secret] of [[all, registered.secret], [filtered, narrow.secret]] as const) {
      for (const request of r.requests) expect(verifySignature(secret, request)).toBe(true);
      // Another endpoint's secret does not verify: the check can fail.
      expect(verifySignature(secret === registered.secret ? narrow.secret : registered.secret, r.requests[0]!)).toBe(false);
    }
    // Every change exactly once; per subgraph (so per record) in the feed's order, which is commit order.
    // (Across subgraphs, a change may go out before one committed a moment earlier elsewhere, as in GET /changes.)
    const ids = (r: Receiver) => r.accepted.map((q) => String(q.headers["webhook-id"]));
    expect([...ids(all)].sort()).toEqual(feed.map((n) => `msg_${n.change.id}`).sort());
    for (const subgraph of ["groups", "organisations", "planning"]) {
      const delivered = all.accepted.map(bodyOf).filter((b) => b.data.subgraph === subgraph).map((b) => b.data.change.id);
      expect(delivered).toEqual(feed.filter((n) => n.subgraph === subgraph).map((n) => n.change.id));
    }
    expect(ids(filtered)).toEqual(wanted.map((n) => `msg_${n.change.id}`));
    const ops = (id: string) => all.accepted.map(bodyOf).filter((b) => b.data.change.entityId === id).map((b) => b.data.change.operation);
    expect(ops(measure)).toEqual(["CREATE", "UPDATE", "DELETE"]);
    expect(ops(org14)).toEqual(["CREATE", "UPDATE", "UPDATE"]);
    const tombstone = all.accepted.map(bodyOf).find((b) => b.data.change.entityId === measure && b.data.change.operation === "DELETE");
    expect(tombstone).toMatchObject({ type: "Measure.DELETE", data: { subgraph: "planning", countyCode: "14", change: { after: null, actorSubject: "hook-admin" } } });
    expect(tombstone.data.change.before).toMatchObject({ title: "Koukun toimenpide" });

    // The endpoint's cursor is the feed's: GET /changes from it has nothing more.
    const endpoints = (await ok(`{ webhookEndpoints { id cursor lastDeliveredAt attempts } }`)).webhookEndpoints;
    const state = endpoints.find((e: Data) => e.id === registered.endpoint.id);
    expect(state.attempts).toBe(0);
    expect(state.lastDeliveredAt).not.toBeNull();
    expect(await feedAfter(bodyOf(all.accepted.at(-1)!).data.cursor)).toEqual([]);

    await ok(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: registered.endpoint.id });
    await ok(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: narrow.endpoint.id });
  });

  it("with the receiver down (and the delivering process killed), delivers after it returns, in order", { timeout: 180_000 }, async () => {
    const r = await receiver();
    const secret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
    const after = await feedEnd();
    const registered = (await ok(REGISTER, { input: { url: r.url, secret, after, types: ["Organisation"] } })).registerWebhookEndpoint;
    expect(registered.secret).toBeNull();
    const id = registered.endpoint.id as string;
    await r.stop();

    const org = await createOrganisation("Katkoyhdistys ry");
    await renameOrganisation(org, "Katkoyhdistys ry (2)");
    await stack.waitForLog((line) => line.includes(id) && line.includes("webhook delivery failed"));

    // Kill the process that delivers: its successor continues from the stored state.
    const oldPid = stack.pids()["organisations"]!;
    const restarted = new Promise<void>((resolve) => {
      const onReady = (event: { name: string; pid: number }) => {
        if (event.name !== "organisations" || event.pid === oldPid) return;
        stack.events.off("ready", onReady);
        resolve();
      };
      stack.events.on("ready", onReady);
    });
    process.kill(oldPid, "SIGKILL");
    await r.start();
    await restarted;
    await r.waitFor(2, true, 120_000);

    const bodies = r.accepted.map(bodyOf);
    expect(bodies.map((b) => [b.data.change.entityId, b.data.change.operation])).toEqual([
      [org, "CREATE"],
      [org, "UPDATE"],
    ]);
    for (const request of r.accepted) expect(verifySignature(secret, request)).toBe(true);
    expect((await ok(`query($id: ID) { webhookDeadLetters(endpointId: $id) { id } }`, { id })).webhookDeadLetters).toEqual([]);
    await ok(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id });
  });

  it("a receiver that always fails ends in the dead-letter list, and a replay delivers it once it works", async () => {
    const r = await receiver();
    r.failing = true;
    const after = await feedEnd();
    const registered = (await ok(REGISTER, { input: { url: r.url, after, types: ["Measure"] } })).registerWebhookEndpoint;
    const id = registered.endpoint.id as string;
    const measure = (await ok(`mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`, { input: { countyCode: "14", title: "Kuollut kirje" } })).createMeasure.id;

    await stack.waitForLog((line) => line.includes(id) && line.includes("webhook message dead-lettered"));
    expect(r.requests.length).toBe(MAX_ATTEMPTS);
    expect(new Set(r.requests.map((q) => q.headers["webhook-id"])).size).toBe(1);
    const dead = (await ok(`query($id: ID) { webhookDeadLetters(endpointId: $id) { id endpointId messageId eventType payload attempts lastError replayRequestedAt } }`, { id })).webhookDeadLetters;
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ endpointId: id, eventType: "Measure.CREATE", attempts: MAX_ATTEMPTS, lastError: "HTTP 503", replayRequestedAt: null });
    expect(dead[0].messageId).toBe(r.requests[0]!.headers["webhook-id"]);
    expect(JSON.parse(dead[0].payload).data.change.entityId).toBe(measure);

    r.failing = false;
    expect((await ok(`mutation($id: ID!) { replayWebhookDeadLetters(endpointId: $id) }`, { id })).replayWebhookDeadLetters).toBe(1);
    await r.waitFor(1);
    const replayed = r.accepted[0]!;
    expect(replayed.body).toBe(dead[0].payload);
    expect(replayed.headers["webhook-id"]).toBe(dead[0].messageId);
    expect(verifySignature(registered.secret, replayed)).toBe(true);
    await stack.waitForLog((line) => line.includes(id) && line.includes("webhook dead letter replayed"));
    expect((await ok(`query($id: ID) { webhookDeadLetters(endpointId: $id) { id } }`, { id })).webhookDeadLetters).toEqual([]);
    await ok(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id });
  });

  it("only an admin registers or lists endpoints", async () => {
    const denied = await stack.query<Data>(REGISTER, { input: { url: "https://example.invalid/hook" } }, coordinator);
    expect(denied.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    expect(denied.data?.registerWebhookEndpoint ?? null).toBeNull();
    const listed = await stack.query<Data>(`{ webhookEndpoints { id url } }`, {}, coordinator);
    expect(listed.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    const endpoints = (await ok(`{ webhookEndpoints { url } }`)).webhookEndpoints as Data[];
    expect(endpoints.map((e) => e.url)).not.toContain("https://example.invalid/hook");
  });

  it("refuses a bad URL, secret, filter or cursor with BAD_USER_INPUT naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ url: "not a url" }, "input.url"],
      [{ url: "ftp://example.invalid/hook" }, "input.url"],
      [{ url: "https://user:pw@example.invalid/hook" }, "input.url"],
      [{ url: "https://example.invalid/hook", secret: "whsec_c2hvcnQ=" }, "input.secret"],
      [{ url: "https://example.invalid/hook", types: ["organisation; drop"] }, "input.types"],
      [{ url: "https://example.invalid/hook", countyCodes: ["141"] }, "input.countyCodes"],
      [{ url: "https://example.invalid/hook", after: "bm90LWEtY3Vyc29y" }, "input.after"],
    ];
    for (const [input, field] of cases) {
      const res = await stack.query<Data>(REGISTER, { input }, admin);
      expect(res.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
    const endpoints = (await ok(`{ webhookEndpoints { url } }`)).webhookEndpoints as Data[];
    expect(endpoints.map((e) => e.url)).not.toContain("https://example.invalid/hook");
  });
});
