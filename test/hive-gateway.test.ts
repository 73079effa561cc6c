import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTER_CREDENTIAL_HEADER, Scope, ViewerRole, freePort, mintUserToken, serviceDatabaseUrl, withDatabase } from "@yhdyspinta/core";
import { graphqlRequest, testPostgresUrl, type GraphQLResult } from "@yhdyspinta/core/testing";
import { SERVICE_NAMES, startStack, type RunningStack } from "@yhdyspinta/stack";
import { generateDataset, type GenerateTargets } from "../bench/src/generate.ts";
import { VIEW_NAMES, viewDocument } from "../views/index.ts";
import { stopChildren } from "./entrypoint-roles.ts";

/**
 * The checked-in supergraph on another router, configured with that router's
 * own features only: Hive Gateway's CLI from the registry (@graphql-hive/gateway)
 * serves schema/supergraph.graphql with deploy/routers/hive-gateway.config.ts
 * and nothing of this project, in front of the same running subgraphs as our
 * gateway. The configuration adds the router credential (a static header,
 * ROUTER_CREDENTIAL) and propagates the caller's `authorization`; the
 * subgraphs (ROUTER_CREDENTIALS) verify that token as our gateway does. Every
 * view with each of its documented example variables, and a contact-data
 * query, must answer the same through both routers for the same token, and
 * contact data must appear only with `contacts:read`.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const configPath = `${root}deploy/routers/hive-gateway.config.ts`;
const authSecret = randomBytes(32).toString("hex");
const routerCredential = randomBytes(32).toString("hex");
const base = `hive_${randomBytes(3).toString("hex")}`;
const children: ChildProcess[] = [];
let stack: RunningStack;
let hiveUrl: string;

/** Hive Gateway's own CLI, as installed from the registry. */
const hiveBin = `${realpathSync(`${root}test/node_modules/@graphql-hive/gateway`)}/dist/bin.js`;

async function startHive(): Promise<string> {
  // The CLI reads HOST and PORT; nothing else of the parent's environment is meant for it.
  const { HOST: _host, PORT: _port, ...inherited } = process.env;
  const port = await freePort();
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [hiveBin, "supergraph", `${root}schema/supergraph.graphql`, "-c", configPath, "--host", "127.0.0.1", "--port", String(port)], {
      cwd: root,
      env: {
        ...inherited,
        NO_COLOR: "1",
        ROUTER_CREDENTIAL: routerCredential,
        ORGANISATIONS_URL: stack.subgraphUrls.organisations,
        GROUPS_URL: stack.subgraphUrls.groups,
        PLANNING_URL: stack.subgraphUrls.planning,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8").replace(/\u001b\[[0-9;]*m/g, "");
      const match = /Listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(`${match[1]!.replace(/\/$/, "")}/graphql`);
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
    env: { ROUTER_CREDENTIALS: routerCredential },
    log: () => {},
  });
  // The synthetic dataset beside the seeds, so every view has rows to compare (the seeds alone leave most empty).
  const targets = Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, serviceDatabaseUrl(name, { DATABASE_URL: stack.databaseUrl })!]),
  ) as GenerateTargets;
  await generateDataset(targets, { seed: 7, scale: 1, countyCodes: ["08", "14"] });
  hiveUrl = await startHive();
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

/** A caller's token: an analyst with `contacts:read`, or one without it. */
const analystToken = (scope: string) => mintUserToken(authSecret, { sub: "analyst-hive", scope, role: ViewerRole.Analyst });

/** The same request with the same token (or none) through our gateway and through Hive Gateway. */
async function both(query: string, variables: Record<string, unknown>, token: string | null) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const [ours, hive] = await Promise.all([graphqlRequest<Data>(stack.gatewayUrl, query, variables, headers), graphqlRequest<Data>(hiveUrl, query, variables, headers)]);
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

const forbidden = (r: GraphQLResult<Data>) => (r.errors ?? []).filter((e) => e.extensions?.["code"] === "FORBIDDEN").length;
const emails = (r: GraphQLResult<Data>) =>
  ((r.data?.["people"] as { edges: { node: { email: string | null } | null }[] } | null)?.edges ?? []).map((e) => e.node?.email ?? null);

describe("the supergraph on Hive Gateway with its own configuration file", () => {
  it("is configured by a file that holds no code of this project", () => {
    const config = readFileSync(configPath, "utf8");
    expect(config).not.toMatch(/^\s*import\b|\brequire\(|@yhdyspinta/m);
    expect(config).toContain(ROUTER_CREDENTIAL_HEADER);
    // docs/OPERATIONS.md shows exactly this file.
    expect(readFileSync(`${root}docs/OPERATIONS.md`, "utf8")).toContain(`\`\`\`ts\n${config}\`\`\``);
  });

  for (const name of VIEW_NAMES) {
    it(`answers view ${name} as our gateway does, anonymous and with a contacts:read token`, async () => {
      const examples = exampleVariables(viewDocument(name));
      expect(examples.length).toBeGreaterThan(0);
      const token = await analystToken(Scope.ContactsRead);
      for (const variables of examples) {
        for (const caller of [null, token]) {
          const { ours, hive } = await both(viewDocument(name), variables, caller);
          expect(ours.errors, JSON.stringify(ours.errors)).toBeUndefined();
          expect(hive.errors, JSON.stringify(hive.errors)).toBeUndefined();
          expect(leaves(ours.data)).toBeGreaterThan(5);
          expect(hive.data).toEqual(ours.data);
        }
      }
    });
  }

  it("gives contact data only to a token with contacts:read, through both routers alike", async () => {
    const { ours, hive } = await both(contactQuery, { first: 200 }, await analystToken(Scope.ContactsRead));
    expect(ours.errors, JSON.stringify(ours.errors)).toBeUndefined();
    expect(hive.errors, JSON.stringify(hive.errors)).toBeUndefined();
    const people = (ours.data!["people"] as { edges: { node: { email: string | null; memberships: unknown[] } }[] }).edges;
    expect(people.filter((p) => p.node.email !== null).length).toBeGreaterThan(10);
    expect(people.some((p) => p.node.memberships.length > 0)).toBe(true);
    expect(hive.data).toEqual(ours.data);

    // Anonymous, and a token without the scope: the subgraphs refuse the contact fields behind either router.
    for (const caller of [null, await analystToken("")]) {
      const without = await both(contactQuery, { first: 5 }, caller);
      expect(forbidden(without.ours)).toBeGreaterThan(0);
      expect(forbidden(without.hive)).toBeGreaterThan(0);
      expect(emails(without.hive).length).toBeGreaterThan(0);
      expect(emails(without.hive).every((e) => e === null)).toBe(true);
      expect(emails(without.ours).every((e) => e === null)).toBe(true);
    }
  });

  it("refuses through Hive a token our gateway refuses", async () => {
    const expired = await mintUserToken(authSecret, { sub: "analyst-hive", scope: Scope.ContactsRead }, "-1m");
    const { ours, hive } = await both(contactQuery, { first: 5 }, expired);
    expect(ours.data ?? null).toBeNull();
    expect(hive.data?.["people"] ?? null).toBeNull();
    expect(hive.errors?.length ?? 0).toBeGreaterThan(0);
  });
});

describe("a subgraph asked directly, as a router would", () => {
  const ask = async (headers: Record<string, string>) => {
    const response = await fetch(stack.subgraphUrls.organisations, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query: "{ people(first: 3) { edges { node { id email } } } }" }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResult<Data> };
  };

  it("refuses a forwarded token without the router credential or with a wrong one, and answers with the right one", async () => {
    const authorization = `Bearer ${await analystToken(Scope.ContactsRead)}`;
    expect((await ask({ authorization })).status).toBe(401);
    expect((await ask({ authorization, [ROUTER_CREDENTIAL_HEADER]: randomBytes(32).toString("hex") })).status).toBe(401);
    const good = await ask({ authorization, [ROUTER_CREDENTIAL_HEADER]: routerCredential });
    expect(good.status).toBe(200);
    expect(good.body.errors).toBeUndefined();
    expect(emails(good.body).some((e) => e !== null)).toBe(true);
    const anonymous = await ask({ [ROUTER_CREDENTIAL_HEADER]: routerCredential });
    expect(anonymous.status).toBe(200);
    expect(forbidden(anonymous.body)).toBeGreaterThan(0);
  });
});
