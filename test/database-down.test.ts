import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, mintUserToken } from "@yhdyspinta/core";
import { startStack, type RunningStack } from "@yhdyspinta/stack";

// Issue 24, item 5: PostgreSQL dies under a running stack. This stack runs an embedded
// PostgreSQL of its own (as `pnpm start` does), never the test run's shared one, and
// supervises it: the test kills its postmaster, holds the restart while it looks at the
// answers, then lets the supervisor start it again.

let stack: RunningStack;
let dataRoot: string;
const authSecret = randomBytes(32).toString("hex");
let releaseRestart: () => void = () => {};
const restartReleased = new Promise<void>((resolve) => (releaseRestart = resolve));
const lines: string[] = [];

beforeAll(async () => {
  dataRoot = await makeTempDir("yhdyspinta-db-down-");
  stack = await startStack({
    dataDir: `${dataRoot}/postgres`,
    // Durable like `pnpm start`'s (a throw-away server skips fsync and would lose the last commits to the kill).
    ephemeral: false,
    auth: { jwtSecret: authSecret },
    supervision: {
      beforeRestart: async (name) => {
        if (name === "postgres") await restartReleased;
      },
    },
    signal: AbortSignal.timeout(170_000),
    log: (source, line) => void lines.push(`[${source}] ${line}`),
  });
});

afterAll(async () => {
  releaseRestart();
  await stack?.stop();
  if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
});

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(stack.gatewayUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: (await res.json()) as Answer["body"] };
}

const READ = `{ county(code: "14") { nameFi } }`;
const CREATE = `mutation($input: CreateCooperationGroupInput!) { createCooperationGroup(input: $input) { id } }`;
const input = (name: string) => ({ countyCode: "08", name, kind: "PARTNERSHIP_GROUP", startsOn: "2024-01-01", municipalityCodes: ["837"] });

describe("PostgreSQL down (issue 24, item 5)", () => {
  it("is reported as DATABASE_UNAVAILABLE naming the service, 503 where the answer is lost, never as the caller's mistake; the stack restarts PostgreSQL", { timeout: 180_000 }, async () => {
    const admin = { authorization: `Bearer ${await mintUserToken(authSecret, { sub: "db-down-admin", scope: "data:write", role: "admin" })}` };
    // Up: the read and a write referencing municipality 837 (Tampere, another subgraph's) work.
    expect((await post(READ)).body.data).toEqual({ county: { nameFi: expect.any(String) } });
    const created = await post(CREATE, { input: input("Ennen katkosta") }, admin);
    expect(created.body.errors, JSON.stringify(created.body)).toBeUndefined();

    const pid = stack.postgres!.pid!;
    const exited = new Promise<void>((resolve) =>
      stack.events.on("exit", ({ name }) => {
        if (name === "postgres") resolve();
      }),
    );
    const back = new Promise<void>((resolve) =>
      stack.events.on("ready", ({ name }) => {
        if (name === "postgres") resolve();
      }),
    );
    process.kill(pid, "SIGKILL");
    await exited;

    // Parallel writes, each checking its reference against the dead database first.
    const writes = await Promise.all(Array.from({ length: 8 }, (_, i) => post(CREATE, { input: input(`Katkon aikana ${i}`) }, admin)));
    for (const write of writes) {
      const codes = (write.body.errors ?? []).map((e) => e.extensions?.["code"]);
      expect(codes, JSON.stringify(write.body)).toContain("DATABASE_UNAVAILABLE");
      expect(codes).not.toContain("BAD_USER_INPUT");
      expect(codes).not.toContain("INTERNAL_SERVER_ERROR");
      const error = write.body.errors!.find((e) => e.extensions?.["code"] === "DATABASE_UNAVAILABLE")!;
      expect(["organisations", "groups"]).toContain(error.extensions?.["serviceName"]);
      expect(error.message).toMatch(/database is unavailable/);
      expect(error.message).not.toMatch(/no Municipality/);
      expect(write.status).toBe(503);
      expect(write.retryAfter).toBe("5");
    }
    // A read: the organisations subgraph's database is down.
    const read = await post(READ);
    expect(read.status, JSON.stringify(read.body)).toBe(503);
    expect(read.body.errors?.map((e) => e.extensions?.["code"])).toEqual(["DATABASE_UNAVAILABLE"]);
    expect(read.body.errors?.[0]?.extensions?.["serviceName"]).toBe("organisations");
    expect(read.body.errors?.[0]?.message).toBe("The organisations service's database is unavailable; the request was stopped. Try again later.");
    expect(lines.some((line) => /\[stack\] postgres exited \(SIGKILL\); restarting/.test(line))).toBe(true);

    // The supervisor starts PostgreSQL again; the subgraphs reconnect, nothing of the refused writes was written.
    releaseRestart();
    await back;
    expect(stack.postgres!.pid).not.toBe(pid);
    let again = await post(READ);
    // A pool may hand out one connection that died with the old server before it notices.
    for (let attempt = 0; attempt < 3 && again.status !== 200; attempt++) again = await post(READ);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.data).toEqual({ county: { nameFi: expect.any(String) } });
    let names: string[] = [];
    for (let attempt = 0; attempt < 3 && names.length === 0; attempt++) {
      const groups = await post(`{ municipality(code: "837") { cooperationGroups { name } } }`);
      names = ((groups.body.data?.["municipality"] as { cooperationGroups?: { name: string }[] } | null)?.cooperationGroups ?? []).map((g) => g.name);
    }
    expect(names).toContain("Ennen katkosta");
    expect(names.filter((n) => n.startsWith("Katkon aikana"))).toEqual([]);
  });
});
