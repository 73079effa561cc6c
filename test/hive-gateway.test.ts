import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Scope,
  VIEWER_HEADER,
  ViewerRole,
  anonymousViewer,
  freePort,
  mintUserToken,
  serviceDatabaseUrl,
  signViewer,
  withDatabase,
  type Viewer,
} from "@yhdyspinta/core";
import { graphqlRequest, testPostgresUrl, type GraphQLResult } from "@yhdyspinta/core/testing";
import { SERVICE_NAMES, startStack, type RunningStack } from "@yhdyspinta/stack";
import { generateDataset, type GenerateTargets } from "../bench/src/generate.ts";
import { VIEW_NAMES, viewDocument } from "../views/index.ts";
import { stopChildren } from "./entrypoint-roles.ts";

/**
 * The checked-in supergraph on another router: Hive Gateway (the benchmark's
 * runner, bench/src/hive-gateway.ts, compiled) serves schema/supergraph.graphql
 * in front of the same running subgraphs as our gateway. The subgraphs trust
 * only a caller statement signed with the internal secret, so Hive forwards the
 * `x-yhdyspinta-viewer` header the test signs (as our gateway signs it from a
 * verified token). Every view with each of its documented example variables,
 * and a contact-data query, must answer the same through both routers.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const authSecret = randomBytes(32).toString("hex");
const internalSecret = randomBytes(32).toString("hex");
const base = `hive_${randomBytes(3).toString("hex")}`;
const children: ChildProcess[] = [];
let stack: RunningStack;
let hiveUrl: string;

const analyst: Viewer = {
  subject: "analyst-hive",
  scopes: new Set([Scope.ContactsRead]),
  role: ViewerRole.Analyst,
  counties: new Set(),
};

async function startHive(overrides: string[]): Promise<string> {
  const port = await freePort();
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${root}bench/dist/hive-gateway.js`, `${root}schema/supergraph.graphql`, String(port), "off", ...overrides], {
      cwd: root,
      env: { ...process.env, HIVE_PROPAGATE_HEADERS: VIEWER_HEADER },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /ready at (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`Hive Gateway exited (${code}):\n${output}`)));
  });
}

beforeAll(async () => {
  stack = await startStack({
    databaseUrl: withDatabase(testPostgresUrl(), base),
    auth: { jwtSecret: authSecret },
    internalAuthSecret: internalSecret,
    log: () => {},
  });
  // The synthetic dataset beside the seeds, so every view has rows to compare (the seeds alone leave most empty).
  const targets = Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, serviceDatabaseUrl(name, { DATABASE_URL: stack.databaseUrl })!]),
  ) as GenerateTargets;
  await generateDataset(targets, { seed: 7, scale: 1, countyCodes: ["08", "14"] });
  hiveUrl = await startHive(Object.entries(stack.subgraphUrls).map(([name, url]) => `${name}=${url}`));
}, 300_000);

afterAll(async () => {
  await stopChildren(children);
  await stack?.stop();
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  for (const name of SERVICE_NAMES) await client.query(`drop database if exists ${client.escapeIdentifier(`${base}_${name}`)} with (force)`);
  await client.end();
});

type Data = Record<string, unknown>;

/** The example variables a view documents in its `# Variables:` comment (each `{ … }` on that line). */
function exampleVariables(document: string): Record<string, unknown>[] {
  const line = /^# Variables:(.*)$/m.exec(document)?.[1] ?? "";
  return [...line.matchAll(/\{[^{}]*\}/g)].map((m) => JSON.parse(m[0]) as Record<string, unknown>);
}

/** The same request through our gateway (bearer token) and through Hive (signed statement of the same caller). */
async function both(query: string, variables: Record<string, unknown>, viewer: Viewer | null) {
  const ours = await graphqlRequest<Data>(
    stack.gatewayUrl,
    query,
    variables,
    viewer
      ? { authorization: `Bearer ${await mintUserToken(authSecret, { sub: viewer.subject!, scope: [...viewer.scopes].join(" "), role: viewer.role! })}` }
      : {},
  );
  const hive = await graphqlRequest<Data>(hiveUrl, query, variables, {
    [VIEWER_HEADER]: await signViewer(viewer ?? anonymousViewer, internalSecret),
  });
  return { ours, hive };
}

/** Leaves (scalars) in an answer: a guard against comparing two empty answers. */
function leaves(value: unknown): number {
  if (value === null || typeof value !== "object") return 1;
  return Object.values(value).reduce<number>((sum, v) => sum + leaves(v), 0);
}

const contactQuery = `query Contacts($first: Int) {
  people(first: $first) {
    edges { node { id name title email phone organisation { id name } memberships(history: true) { id role group { id name kind } } } }
  }
}`;

describe("the supergraph on Hive Gateway", () => {
  for (const name of VIEW_NAMES) {
    it(`answers view ${name} as our gateway does, anonymous and authorised`, async () => {
      const examples = exampleVariables(viewDocument(name));
      expect(examples.length).toBeGreaterThan(0);
      for (const variables of examples) {
        for (const viewer of [null, analyst]) {
          const { ours, hive } = await both(viewDocument(name), variables, viewer);
          expect(ours.errors, JSON.stringify(ours.errors)).toBeUndefined();
          expect(hive.errors, JSON.stringify(hive.errors)).toBeUndefined();
          expect(leaves(ours.data)).toBeGreaterThan(5);
          expect(hive.data).toEqual(ours.data);
        }
      }
    });
  }

  it("gives an authorised caller the same contact data, and without a statement none", async () => {
    const { ours, hive } = await both(contactQuery, { first: 200 }, analyst);
    expect(ours.errors, JSON.stringify(ours.errors)).toBeUndefined();
    expect(hive.errors, JSON.stringify(hive.errors)).toBeUndefined();
    const people = (ours.data!["people"] as { edges: { node: { email: string | null; memberships: unknown[] } }[] }).edges;
    expect(people.filter((p) => p.node.email !== null).length).toBeGreaterThan(10);
    expect(people.some((p) => p.node.memberships.length > 0)).toBe(true);
    expect(hive.data).toEqual(ours.data);

    // An anonymous statement through Hive: the subgraphs refuse the contact fields as they do behind our gateway.
    const anonymous = await both(contactQuery, { first: 5 }, null);
    const forbidden = (r: GraphQLResult<Data>) => (r.errors ?? []).filter((e) => e.extensions?.["code"] === "FORBIDDEN").length;
    expect(forbidden(anonymous.ours)).toBeGreaterThan(0);
    expect(forbidden(anonymous.hive)).toBeGreaterThan(0);
    const emails = (r: GraphQLResult<Data>) =>
      ((r.data?.["people"] as { edges: { node: { email: string | null } | null }[] } | null)?.edges ?? []).map((e) => e.node?.email ?? null);
    expect(emails(anonymous.hive).every((e) => e === null)).toBe(true);
    expect(emails(anonymous.ours).every((e) => e === null)).toBe(true);
  });
});
