import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackEvents } from "@yhdyspinta/stack";
import { mintUserToken } from "@yhdyspinta/core";
import { bearer, startTestStack, type TestStack } from "./support.ts";

/** The README's cross-subgraph query: organisations, groups and planning fields of one municipality. */
const README_QUERY = `{
  municipality(code: "167") {
    nameFi
    county { code nameFi }
    cooperationGroups { name }
    wellbeingPlans { id }
  }
}`;

interface Answer {
  municipality: {
    nameFi: string;
    county: { code: string; nameFi: string };
    cooperationGroups: { name: string }[] | null;
    wellbeingPlans: { id: string }[] | null;
  } | null;
}

/** Resolves with the first `event` of the stack's supervisor that `match` accepts. */
function next<E extends keyof StackEvents>(stack: TestStack, event: E, match: (payload: StackEvents[E][0]) => boolean): Promise<StackEvents[E][0]> {
  return new Promise((resolve) => {
    const listener = (payload: StackEvents[E][0]) => {
      if (!match(payload)) return;
      stack.events.off(event, listener as never);
      resolve(payload);
    };
    stack.events.on(event, listener as never);
  });
}

let stack: TestStack;
// Restarts wait until the test has seen the outage (no race with a fast restart).
let releaseRestart: () => void = () => {};
let restartHeld = Promise.resolve();
const holdRestarts = () => {
  restartHeld = new Promise((resolve) => (releaseRestart = resolve));
};

beforeAll(async () => {
  stack = await startTestStack("isolation", {
    supervision: { initialBackoffMs: 100, fastCrashMs: 600_000, maxFastCrashes: 3, beforeRestart: () => restartHeld },
  });
});

afterAll(async () => {
  releaseRestart();
  await stack?.stop();
});

describe("a subgraph outage", () => {
  it("nulls only that subgraph's fields, names it, and the subgraph is back on its own without a gateway restart", { timeout: 180_000 }, async () => {
    const full = await stack.query<Answer>(README_QUERY);
    expect(full.errors).toBeUndefined();
    const before = full.data!.municipality!;
    // The demo data has no plans yet: an empty list from a live planning subgraph, never null.
    expect(before.wellbeingPlans).toEqual([]);
    expect(before.cooperationGroups!.length).toBeGreaterThan(0);

    const gatewayPid = stack.pids()["gateway"];
    const planningPid = stack.pids()["planning"]!;
    holdRestarts();
    const exited = next(stack, "exit", (e) => e.name === "planning");
    const back = next(stack, "ready", (e) => e.name === "planning");
    process.kill(planningPid, "SIGKILL");
    const exit = await exited;
    expect(exit.signal).toBe("SIGKILL");
    expect(exit.restartInMs).toBeGreaterThan(0);
    expect(stack.logLines()).toContain("[stack] planning exited (SIGKILL); restarting in 0.1 s");

    // Down: the organisations and groups data is all there; only planning's field is null.
    const partial = await stack.query<Answer>(README_QUERY);
    expect(partial.data?.municipality).toEqual({ ...before, wellbeingPlans: null });
    expect(partial.errors?.length).toBeGreaterThan(0);
    for (const error of partial.errors!) {
      expect(error.extensions?.["serviceName"], JSON.stringify(error)).toBe("planning");
      expect(error.extensions?.["code"]).toBe("SUBGRAPH_UNAVAILABLE");
      expect(error.message).toMatch(/planning service is unavailable/);
    }

    // Back: restarted by the stack on the same port; the same gateway answers in full again.
    releaseRestart();
    const ready = await back;
    expect(ready.pid).not.toBe(planningPid);
    expect(ready.restarts).toBe(1);
    expect(ready.url).toBe(stack.subgraphUrls.planning);
    const again = await stack.query<Answer>(README_QUERY);
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(full.data);
    expect(stack.pids()["gateway"]).toBe(gatewayPid);
  });

  it("refuses a write whose references cannot be checked, naming the service, and writes nothing", { timeout: 180_000 }, async () => {
    const coordinator = bearer(
      await mintUserToken(stack.authSecret, { sub: "coordinator-14", scope: "data:write", role: "coordinator", counties: ["14"] }),
    );
    const GROUPS = `{ county(code: "14") { cooperationGroups { id } } }`;
    const before = (await stack.query<{ county: { cooperationGroups: { id: string }[] } }>(GROUPS)).data!.county.cooperationGroups.length;
    const organisationsPid = stack.pids()["organisations"]!;
    holdRestarts();
    const exited = next(stack, "exit", (e) => e.name === "organisations");
    const back = next(stack, "ready", (e) => e.name === "organisations");
    process.kill(organisationsPid, "SIGKILL");
    await exited;

    // createCooperationGroup asks organisations whether the municipalities exist before it writes.
    const input = { countyCode: "14", name: "Tarkistamaton ryhmä", kind: "PARTNERSHIP_GROUP", startsOn: "2024-01-01", municipalityCodes: ["167"] };
    const refused = await stack.query(`mutation($input: CreateCooperationGroupInput!) { createCooperationGroup(input: $input) { id } }`, { input }, coordinator);
    expect(refused.data?.createCooperationGroup ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions?.["code"], JSON.stringify(refused.errors)).toBe("SUBGRAPH_UNAVAILABLE");
    expect(refused.errors?.[0]?.extensions?.["referencedService"]).toBe("organisations");
    expect(refused.errors?.[0]?.message).toMatch(/organisations service could not be reached to check input\.municipalityCodes .*nothing was written/);

    releaseRestart();
    await back;
    const after = (await stack.query<{ county: { cooperationGroups: { id: string }[] } }>(GROUPS)).data!.county.cooperationGroups.length;
    expect(after).toBe(before);
  });

  it("is given up on, stopping the stack, after repeated fast crashes", { timeout: 240_000 }, async () => {
    releaseRestart();
    // Policy of this stack: more than 3 crashes within 600 s of a start are too many.
    const gaveUp = next(stack, "gave-up", (e) => e.name === "groups");
    for (let crash = 1; crash <= 4; crash += 1) {
      const exited = next(stack, "exit", (e) => e.name === "groups");
      const ready = crash < 4 ? next(stack, "ready", (e) => e.name === "groups") : undefined;
      process.kill(stack.pids()["groups"]!, "SIGKILL");
      expect((await exited).restartInMs).toBe(crash < 4 ? 100 * 2 ** (crash - 1) : null);
      if (ready) expect((await ready).restarts).toBe(crash);
    }
    expect((await gaveUp).message).toBe("groups crashed 4 times in a row, each within 600 s of its start; giving up");
    await stack.stop();
    expect(Object.values(stack.pids()).filter((pid) => pid !== undefined)).toEqual([]);
    const health = await fetch(new URL("health", stack.gatewayUrl)).catch((error: unknown) => error);
    expect(health).toBeInstanceOf(Error);
  });
});
