import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, PersonKeys, freePort, mintUserToken, withDatabase } from "@yhdyspinta/core";
import { graphqlRequest, testPostgresUrl } from "@yhdyspinta/core/testing";
import { SERVICE_NAMES, startStack, type RunningStack } from "@yhdyspinta/stack";
import { startRole, stopChildren } from "./entrypoint-roles.ts";

/**
 * Two replicas of the groups subgraph on one database, each behind a gateway
 * of its own (as two pods behind a Service would be reached): what one
 * replica writes, the other answers at once.
 */
const authSecret = randomBytes(32).toString("hex");
const internalSecret = randomBytes(32).toString("hex");
const base = `replicas_${randomBytes(3).toString("hex")}`;
let stack: RunningStack;
const children: ChildProcess[] = [];
let secondGateway: string;

beforeAll(async () => {
  stack = await startStack({
    databaseUrl: withDatabase(testPostgresUrl(), base),
    auth: { jwtSecret: authSecret },
    internalAuthSecret: internalSecret,
    log: () => {},
  });
  const common = { INTERNAL_AUTH_SECRET: internalSecret, HOST: "127.0.0.1" };
  const groupsReplica = await startRole(
    "groups",
    { ...common, GROUPS_DATABASE_URL: `${stack.databaseUrl}_groups`, GROUPS_PORT: String(await freePort()) },
    children,
  );
  const gateway = await startRole(
    "gateway",
    {
      ...common,
      AUTH_JWT_SECRET: authSecret,
      GATEWAY_PORT: String(await freePort()),
      ORGANISATIONS_URL: stack.subgraphUrls.organisations,
      GROUPS_URL: groupsReplica.url,
      PLANNING_URL: stack.subgraphUrls.planning,
    },
    children,
  );
  secondGateway = gateway.url;
}, 300_000);

afterAll(async () => {
  await stopChildren(children);
  await stack?.stop();
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  for (const name of SERVICE_NAMES) await client.query(`drop database if exists ${client.escapeIdentifier(`${base}_${name}`)} with (force)`);
  await client.end();
});

type Data = Record<string, any>;

describe("two replicas of a subgraph", () => {
  it("answer consistently after a write through either one", async () => {
    const auth = { authorization: `Bearer ${await mintUserToken(authSecret, { sub: "coordinator", scope: "data:write", role: "coordinator", counties: ["14"] })}` };
    const gateways = [stack.gatewayUrl, secondGateway];
    const memberships = async (url: string, day = "2024-03-01") => {
      const res = await graphqlRequest<Data>(
        url,
        `query($id: ID!, $day: Date) { cooperationGroup(id: $id) { memberships(activeOn: $day) { id role person { id } endsOn } } }`,
        { id: GroupKeys.pkKeskinen, day },
      );
      expect(res.errors).toBeUndefined();
      return res.data!["cooperationGroup"].memberships as { id: string; endsOn: string | null }[];
    };
    const before = await memberships(gateways[0]!);
    expect(await memberships(gateways[1]!)).toEqual(before);

    // Write through the first replica, read through both.
    const recorded = await graphqlRequest<Data>(
      gateways[0]!,
      `mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`,
      { input: { groupId: GroupKeys.pkKeskinen, organisationId: "org-municipality-167", role: "CHAIR", personId: PersonKeys.maaritaMannelin, startsOn: "2024-01-01" } },
      auth,
    );
    expect(recorded.errors).toBeUndefined();
    const id = recorded.data!["recordMembership"].id as string;
    const afterFirst = await memberships(gateways[1]!);
    expect(afterFirst.map((m) => m.id)).toContain(id);
    expect(afterFirst).toHaveLength(before.length + 1);
    expect(await memberships(gateways[0]!)).toEqual(afterFirst);

    // Change it through the second replica, read through the first.
    const ended = await graphqlRequest<Data>(
      gateways[1]!,
      `mutation($id: ID!) { endMembership(input: { membershipId: $id, endsOn: "2024-06-30" }) { endsOn } }`,
      { id },
      auth,
    );
    expect(ended.errors).toBeUndefined();
    const afterSecond = await memberships(gateways[0]!);
    expect(afterSecond.find((m) => m.id === id)?.endsOn).toBe("2024-06-30");
    expect(await memberships(gateways[1]!)).toEqual(afterSecond);
    expect((await memberships(gateways[0]!, "2024-08-01")).map((m) => m.id)).not.toContain(id);
  });
});
