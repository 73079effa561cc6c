import type { ChildProcess } from "node:child_process";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AreaKeys, GroupKeys, PersonKeys, freePort, mintUserToken, withDatabase } from "@yhdyspinta/core";
import { graphqlRequest, testPostgresUrl } from "@yhdyspinta/core/testing";
import { SERVICE_NAMES, startStack, type RunningStack } from "@yhdyspinta/stack";
import { startRole, stopChildren } from "./entrypoint-roles.ts";

/**
 * `GROUPS_READ_DATABASE_URL`: which connection each path of the groups
 * subgraph uses. The read database here is a copy that differs from the
 * primary (an area renamed in it, and no replication), so every answer shows
 * where it was read: list queries and loaders from the read database; a
 * mutation's writes and its own answer from the primary.
 */
const authSecret = randomBytes(32).toString("hex");
const internalSecret = randomBytes(32).toString("hex");
const base = `readrepl_${randomBytes(3).toString("hex")}`;
const READ_NAME = "LUKUKOPIO";
let stack: RunningStack;
let primaryUrl: string;
let readUrl: string;
let gatewayUrl: string;
const children: ChildProcess[] = [];

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  stack = await startStack({
    databaseUrl: withDatabase(testPostgresUrl(), base),
    auth: { jwtSecret: authSecret },
    internalAuthSecret: internalSecret,
    log: () => {},
  });
  primaryUrl = `${stack.databaseUrl}_groups`;
  readUrl = `${stack.databaseUrl}_groups_read`;
  // The read database: the same migrations and seed, then one visible difference.
  await promisify(execFile)(process.execPath, [fileURLToPath(new URL("../services/groups/dist/main.js", import.meta.url)), "migrate"], {
    env: { ...process.env, GROUPS_DATABASE_URL: readUrl, SEED_DEMO_DATA: "true" },
  });
  await sql(readUrl, "update area set name = $1 where id = $2", [READ_NAME, AreaKeys.pkKeskinen]);

  const common = { INTERNAL_AUTH_SECRET: internalSecret, HOST: "127.0.0.1" };
  const groups = await startRole(
    "groups",
    {
      ...common,
      GROUPS_DATABASE_URL: primaryUrl,
      GROUPS_READ_DATABASE_URL: readUrl,
      GROUPS_PORT: String(await freePort()),
      ORGANISATIONS_URL: stack.subgraphUrls.organisations,
      PLANNING_URL: stack.subgraphUrls.planning,
    },
    children,
  );
  const gateway = await startRole(
    "gateway",
    {
      ...common,
      AUTH_JWT_SECRET: authSecret,
      GATEWAY_PORT: String(await freePort()),
      ORGANISATIONS_URL: stack.subgraphUrls.organisations,
      GROUPS_URL: groups.url,
      PLANNING_URL: stack.subgraphUrls.planning,
    },
    children,
  );
  gatewayUrl = gateway.url;
}, 600_000);

afterAll(async () => {
  await stopChildren(children);
  await stack?.stop();
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  for (const name of [...SERVICE_NAMES, "groups_read"]) {
    await client.query(`drop database if exists ${client.escapeIdentifier(`${base}_${name}`)} with (force)`);
  }
  await client.end();
});

type Data = Record<string, any>;

async function query(url: string, document: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Data> {
  const res = await graphqlRequest<Data>(url, document, variables, headers);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

const membershipIds = async (url: string) =>
  ((await query(url, `query($id: ID!) { cooperationGroup(id: $id) { memberships(activeOn: "2024-03-01") { id } } }`, { id: GroupKeys.pkKeskinen }))[
    "cooperationGroup"
  ].memberships as { id: string }[]).map((m) => m.id);

describe("a subgraph with a read database", () => {
  it("answers list queries and loaders from the read database", async () => {
    const areaNames = async (url: string) =>
      ((await query(url, `{ areas(countyCode: "14") { id name } }`))["areas"] as { id: string; name: string }[]).find((a) => a.id === AreaKeys.pkKeskinen)?.name;
    expect(await areaNames(gatewayUrl)).toBe(READ_NAME);
    expect(await areaNames(stack.gatewayUrl)).toBe("KESKINEN");

    const byLoader = await query(gatewayUrl, `query($a: ID!, $g: ID!) { area(id: $a) { name } cooperationGroup(id: $g) { area { name } } }`, {
      a: AreaKeys.pkKeskinen,
      g: GroupKeys.pkKeskinen,
    });
    expect(byLoader["area"].name).toBe(READ_NAME);
    expect(byLoader["cooperationGroup"].area.name).toBe(READ_NAME);
  });

  it("writes to the primary and answers the mutation from it (read-your-writes)", async () => {
    const before = await membershipIds(gatewayUrl);
    const auth = { authorization: `Bearer ${await mintUserToken(authSecret, { sub: "coordinator", scope: "data:write", role: "coordinator", counties: ["14"] })}` };
    const recorded = await query(
      gatewayUrl,
      `mutation($input: RecordMembershipInput!) {
        recordMembership(input: $input) { id group { id area { name } memberships(activeOn: "2024-03-01") { id } } }
      }`,
      { input: { groupId: GroupKeys.pkKeskinen, organisationId: "org-municipality-167", role: "CHAIR", personId: PersonKeys.maaritaMannelin, startsOn: "2024-01-01" } },
      auth,
    );
    const answer = recorded["recordMembership"];
    const id = answer.id as string;
    // The mutation's own answer: from the primary (its area name, its new membership).
    expect(answer.group.area.name).toBe("KESKINEN");
    expect((answer.group.memberships as { id: string }[]).map((m) => m.id)).toContain(id);

    // Written to the primary only.
    expect(await sql(primaryUrl, "select id from membership where id = $1", [id])).toHaveLength(1);
    expect(await sql(readUrl, "select id from membership where id = $1", [id])).toHaveLength(0);

    // A later query reads the read database (this one is never replicated to), our gateway's primary-only stack the primary.
    expect(await membershipIds(gatewayUrl)).toEqual(before);
    expect(await membershipIds(stack.gatewayUrl)).toContain(id);
  });
});
