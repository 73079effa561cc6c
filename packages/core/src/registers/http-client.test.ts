import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CircuitBreaker, RateLimiter, RegisterClient, RegisterFetchError, retryAfterMs } from "./http-client.ts";

/** A local server whose answer for each path is a queue of handlers (the last one repeats). */
let server: Server;
let baseUrl: string;
const plans = new Map<string, ((req: IncomingMessage, res: ServerResponse) => void)[]>();
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url!, "http://x").pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const queue = plans.get(path) ?? [];
    const handler = queue.length > 1 ? queue.shift()! : queue[0];
    if (!handler) return void res.writeHead(404).end();
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => (_req: IncomingMessage, res: ServerResponse) =>
  void res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));

function client(path: string, handlers: ((req: IncomingMessage, res: ServerResponse) => void)[], extra: Partial<ConstructorParameters<typeof RegisterClient>[0]> = {}) {
  plans.set(`/api/${path}`, handlers);
  hits.delete(`/api/${path}`);
  const waits: number[] = [];
  const c = new RegisterClient({
    register: "test",
    baseUrl,
    retries: 3,
    backoffMs: 10,
    timeoutMs: 2_000,
    sleep: async (ms) => void waits.push(ms),
    ...extra,
  });
  return { c, waits, hits: () => hits.get(`/api/${path}`) ?? 0 };
}

describe("RegisterClient", () => {
  it("builds URLs under the base with repeated parameters", () => {
    const c = new RegisterClient({ register: "t", baseUrl: "https://sotkanet.fi/rest/1.1" });
    expect(c.url("/json", { indicator: 127, years: [2022, 2023], genders: "total" })).toBe(
      "https://sotkanet.fi/rest/1.1/json?indicator=127&years=2022&years=2023&genders=total",
    );
  });

  it("honours a 429's Retry-After, then returns the JSON and its URL", async () => {
    const { c, waits, hits } = client("retry-after", [json({ error: "slow down" }, 429, { "retry-after": "7" }), json([{ id: 1 }])]);
    const answer = await c.getJson("retry-after", { page: 2 });
    expect(answer.body).toEqual([{ id: 1 }]);
    expect(answer.url).toBe(`${baseUrl}retry-after?page=2`);
    expect(waits).toEqual([7000]);
    expect(hits()).toBe(2);
  });

  it("backs off exponentially on 5xx and gives up after the retries, naming the status", async () => {
    const { c, waits, hits } = client("down", [json({}, 503)]);
    const error = await c.getJson("down").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegisterFetchError);
    expect((error as RegisterFetchError).reason).toBe("HTTP 503 after 4 attempts");
    expect(waits).toEqual([10, 20, 40]);
    expect(hits()).toBe(4);
  });

  it("refuses a Retry-After longer than it may wait (a 429 storm does not hang the sync)", async () => {
    const { c, hits } = client("storm", [json({}, 429, { "retry-after": "3600" })], { maxWaitMs: 5_000 });
    await expect(c.getJson("storm")).rejects.toThrow(/Retry-After 3600 s, longer than the 5 s allowed/);
    expect(hits()).toBe(1);
  });

  it("times out a register that does not answer", async () => {
    const held: ServerResponse[] = [];
    const { c, waits } = client("silent", [(_req, res) => void held.push(res)], { timeoutMs: 200, retries: 1 });
    await expect(c.getJson("silent")).rejects.toThrow(/no answer within 200 ms after 2 attempts/);
    expect(waits).toEqual([10]);
    for (const res of held) res.destroy();
  });

  it("does not retry an answer that is not JSON", async () => {
    const { c, hits } = client("html", [(_req, res) => void res.writeHead(200, { "content-type": "text/html" }).end("<html>maintenance</html>")]);
    await expect(c.getJson("html")).rejects.toThrow(/answer is not JSON/);
    expect(hits()).toBe(1);
  });

  it("does not retry a 404", async () => {
    const { c, hits } = client("missing", [json({ message: "not found" }, 404)]);
    await expect(c.getJson("missing")).rejects.toThrow(/HTTP 404/);
    expect(hits()).toBe(1);
  });

  it("opens the circuit after repeated failures and lets a trial through after the reset", async () => {
    let now = 1_000;
    const breaker = new CircuitBreaker(2, 60_000, () => now);
    const { c, hits } = client("flaky", [json({}, 500)], { breaker, retries: 0 });
    await expect(c.getJson("flaky")).rejects.toThrow(/HTTP 500/);
    await expect(c.getJson("flaky")).rejects.toThrow(/HTTP 500/);
    expect(breaker.state).toBe("open");
    await expect(c.getJson("flaky")).rejects.toThrow(/circuit open/);
    expect(hits()).toBe(2);
    now += 60_000;
    plans.set("/api/flaky", [json({ ok: true })]);
    await expect(c.getJson("flaky")).resolves.toMatchObject({ body: { ok: true } });
    expect(breaker.state).toBe("closed");
  });
});

describe("RateLimiter", () => {
  it("lets `requests` start per window and makes the next wait for the window's oldest start", async () => {
    let now = 0;
    const waits: number[] = [];
    const limiter = new RateLimiter(300, 60_000, async (ms) => {
      waits.push(ms);
      now += ms;
    }, () => now);
    for (let i = 0; i < 300; i++) {
      await limiter.acquire();
      now += 10;
    }
    expect(waits).toEqual([]);
    await limiter.acquire();
    expect(waits).toEqual([60_000 - 3000]);
  });
});

describe("retryAfterMs", () => {
  it("reads delta-seconds and HTTP dates, and ignores nonsense", () => {
    expect(retryAfterMs("120")).toBe(120_000);
    expect(retryAfterMs("Wed, 21 Oct 2026 07:28:30 GMT", Date.parse("Wed, 21 Oct 2026 07:28:00 GMT"))).toBe(30_000);
    expect(retryAfterMs("soon")).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });
});
