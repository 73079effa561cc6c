import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlRequest } from "@yhdyspinta/core/testing";
import { serviceDatabaseUrl, type RunningHttpServer } from "@yhdyspinta/core";
import { generateDataset } from "../bench/src/generate.ts";
import { startGateway } from "../gateway/src/gateway.ts";
import { VIEW_NAMES, type ViewName, viewDocument } from "../views/index.ts";
import { gatewayOptionsFor, startTestStack, type TestStack } from "./support.ts";

// GATEWAY_ENGINE=hive-router (Hive Router's planner behind our Apollo
// Server) answers every view exactly as @apollo/gateway does.
//
// The gateway sends each distinct `_entities` representation once and fans
// the answers back out: the views answer exactly as a gateway that sends one
// representation per occurrence does (a second gateway over the same
// subgraphs, deduplication off), with fewer representations where entities
// repeat (the same person or organisation in many memberships).
//
// An operation whose plan is one fetch asking exactly what the caller asked
// is answered with the subgraph's bytes as they are (no parse, projection and
// serialisation at the gateway), still exactly as @apollo/gateway answers it.

const COUNTY = "14";
const VARIABLES: Record<ViewName, Record<string, unknown>> = {
  "partnership-groups-by-municipality": { countyCodes: [COUNTY], activeOn: "2026-03-01" },
  "coverage-matrix": { countyCode: COUNTY },
  "nomination-status": { countyCode: COUNTY, closedSince: "2020-01-01" },
  "meeting-calendar": { countyCode: COUNTY, from: "2024-01-01", to: "2026-12-31" },
  representation: { countyCode: COUNTY, activeOn: "2026-03-01" },
  "plan-follow-up": { countyCode: COUNTY },
};

let stack: TestStack;
let apollo: RunningHttpServer;
let plain: RunningHttpServer;
let hive: RunningHttpServer;

beforeAll(async () => {
  stack = await startTestStack("representations");
  const env = { DATABASE_URL: stack.databaseUrl };
  await generateDataset(
    {
      organisations: serviceDatabaseUrl("organisations", env)!,
      groups: serviceDatabaseUrl("groups", env)!,
      planning: serviceDatabaseUrl("planning", env)!,
    },
    { seed: 7, scale: 3, countyCodes: [COUNTY] },
  );
  // Each engine explicitly, whichever is the default (the stack's own gateway).
  const common = gatewayOptionsFor(stack);
  apollo = await startGateway({ ...common, engine: "apollo" });
  plain = await startGateway({ ...common, engine: "apollo", dedupeRepresentations: false });
  hive = await startGateway({ ...common, engine: "hive-router" });
});

afterAll(async () => {
  await apollo?.stop();
  await plain?.stop();
  await hive?.stop();
  await stack?.stop();
});

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((n, c) => n + c, 0);

describe("gateway engines and _entities representations", () => {
  it("answer every view identically with fewer representations", { timeout: 240_000 }, async () => {
    const lines: string[] = [];
    for (const view of VIEW_NAMES) {
      const document = viewDocument(view);
      await stack.resetStats();
      const deduped = await graphqlRequest(apollo.url, document, VARIABLES[view]);
      const sentDeduped = await stack.representations();
      await stack.resetStats();
      const full = await graphqlRequest(plain.url, document, VARIABLES[view]);
      const sentFull = await stack.representations();
      expect(deduped.errors, view).toBeUndefined();
      expect(deduped, view).toEqual(full);
      expect(sum(sentDeduped), view).toBeLessThanOrEqual(sum(sentFull));
      lines.push(`  ${view}: ${sum(sentDeduped)} of ${sum(sentFull)} (${JSON.stringify(sentDeduped)} of ${JSON.stringify(sentFull)})`);
      if (view === "representation" || view === "partnership-groups-by-municipality") {
        // memberships name the same people and organisations again and again
        expect(sum(sentDeduped) * 2, view).toBeLessThan(sum(sentFull));
      }
    }
    console.log(`representations sent per view, deduplicated of one per occurrence:\n${lines.join("\n")}`);
  });

  it("answer every view through the hive-router engine as through @apollo/gateway", { timeout: 240_000 }, async () => {
    for (const view of VIEW_NAMES) {
      const document = viewDocument(view);
      const viaApollo = await graphqlRequest(apollo.url, document, VARIABLES[view]);
      const viaHive = await graphqlRequest(hive.url, document, VARIABLES[view]);
      expect(viaApollo.errors, view).toBeUndefined();
      expect(viaHive, `${view} through hive-router`).toEqual(viaApollo);
    }
    // …and with operations in flight together (the benchmark's 8 connections)
    const together = await Promise.all(
      [...VIEW_NAMES, ...VIEW_NAMES].map(async (view) => [view, await graphqlRequest(hive.url, viewDocument(view), VARIABLES[view])] as const),
    );
    for (const [view, result] of together) expect(result.errors, `${view} in parallel`).toBeUndefined();
  });

  it("refuse missing and ill-typed variables as the caller's error with either engine", async () => {
    const document = viewDocument("meeting-calendar");
    for (const [engine, gateway] of [["apollo", apollo], ["hive-router", hive]] as const) {
      for (const variables of [{ countyCode: COUNTY }, { countyCode: true, from: "2024-01-01", to: "2024-12-31" }, { countyCode: [COUNTY], from: "2024-01-01", to: "2024-12-31" }]) {
        const res = await fetch(gateway.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: document, variables }) });
        const body = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
        expect(res.status, `${engine} ${JSON.stringify(variables)}`).toBe(400);
        expect(body.errors?.[0]?.extensions?.code, `${engine} ${JSON.stringify(variables)}`).toBe("BAD_USER_INPUT");
        expect(body.errors?.[0]?.message, engine).toMatch(/^Variable "\$(from|to|countyCode)"/);
      }
    }
  });
  it("passes a one-fetch operation's answer through as the subgraph wrote it, answering exactly as @apollo/gateway", { timeout: 120_000 }, async () => {
    const passedThrough = async () => {
      const text = await (await fetch(new URL("metrics", hive.url))).text();
      return [...text.matchAll(/^yhdyspinta_gateway_passed_through_total\{subgraph="groups"\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
    };
    const meetings = `query M($countyCode: ID!, $from: Date!, $to: Date!, $withGroup: Boolean!) {
      later: meetings(countyCode: $countyCode, from: $from, to: $to) { id __typename startsAt endsAt agenda group @include(if: $withGroup) { name kind } }
      earlier: meetings(countyCode: $countyCode, to: $from) { id title location }
    }`;
    const cases: [string, string, Record<string, unknown>, boolean][] = [
      ["the meeting calendar view", viewDocument("meeting-calendar"), VARIABLES["meeting-calendar"], true],
      ["aliases, __typename and @include (true)", meetings, { countyCode: COUNTY, from: "2025-01-01", to: "2026-12-31", withGroup: true }, true],
      ["aliases, __typename and @include (false)", meetings, { countyCode: COUNTY, from: "2025-01-01", to: "2026-12-31", withGroup: false }, true],
      // A variable left to its default: sent to the subgraph with the default, as the executor sends it.
      ["a variable's default", `query D($c: ID! = "${COUNTY}", $to: Date = "2025-06-30") { meetings(countyCode: $c, to: $to) { id startsAt } }`, {}, true],
      // A fragment the plan inlines: the normal path, same answer.
      ["a named fragment", "query F($c: ID!) { meetings(countyCode: $c) { ...M } } fragment M on GroupMeeting { id kind }", { c: COUNTY }, false],
      // The subgraph's own error (to before from): handled as the engine's own fetch.
      ["a subgraph error", viewDocument("meeting-calendar"), { countyCode: COUNTY, from: "2026-01-01", to: "2025-01-01" }, false],
    ];
    for (const [label, query, variables, passes] of cases) {
      const viaApollo = await fetch(apollo.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
      const expected = { status: viaApollo.status, body: await viaApollo.json() };
      for (let run = 1; run <= 3; run += 1) {
        const before = await passedThrough();
        await stack.resetStats();
        const response = await fetch(hive.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
        const text = await response.text();
        expect(Number(response.headers.get("content-length")), `${label}, run ${run}`).toBe(Buffer.byteLength(text));
        expect({ status: response.status, body: JSON.parse(text) }, `${label}, run ${run}`).toEqual(expected);
        // One subgraph operation however the answer was made; passed through from the second run of a
        // document on (its first decides; the view's document ran in the test above already).
        expect((await stack.stats())["groups"]?.operations, `${label}, run ${run}`).toBe(1);
        const delta = (await passedThrough()) - before;
        if (run > 1) expect(delta, `${label}, run ${run}`).toBe(passes ? 1 : 0);
        else expect(delta, `${label}, run ${run}`).toBeLessThanOrEqual(passes ? 1 : 0);
      }
    }
  });
});
