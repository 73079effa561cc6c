import { type ChildProcess, execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, withDatabase } from "@yhdyspinta/core";
import { graphqlRequest, testPostgresUrl } from "@yhdyspinta/core/testing";
import { GATEWAY_NODE_FLAGS } from "@yhdyspinta/stack";
import { viewDocument, type ViewResult } from "../views/index.ts";
import { entrypoint, startRole, stopChildren } from "./entrypoint-roles.ts";

/**
 * The container's entry point (deploy/docker-entrypoint.sh) run here as the
 * image runs it: each role starts the compiled build with plain node.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const base = `entry_${randomBytes(3).toString("hex")}`;
const SERVICES = ["organisations", "groups", "planning"] as const;
const children: ChildProcess[] = [];

afterAll(async () => {
  await stopChildren(children);
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  for (const name of SERVICES) await client.query(`drop database if exists ${client.escapeIdentifier(`${base}_${name}`)} with (force)`);
  await client.end();
});

describe("container entry point", () => {
  it("refuses an unknown role", async () => {
    const result = await promisify(execFile)(entrypoint, ["router"]).catch((error: { code: number; stderr: string }) => error);
    expect((result as { code: number }).code).toBe(64);
    expect((result as { stderr: string }).stderr).toMatch(/usage/);
  });

  it("migrates, then runs the subgraphs and the gateway from the compiled build", async () => {
    const databaseUrl = withDatabase(testPostgresUrl(), base);
    const secret = randomBytes(32).toString("hex");
    const common = { DATABASE_URL: databaseUrl, INTERNAL_AUTH_SECRET: secret, HOST: "127.0.0.1", NODE_ENV: "production" };

    const migrated = await promisify(execFile)(entrypoint, ["migrate"], { env: { ...process.env, ...common, SEED_DEMO_DATA: "true" } });
    // Each service's JSON log says so.
    const logged = migrated.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { service?: string; msg?: string });
    for (const name of SERVICES) expect(logged.some((l) => l.service === name && l.msg === "migrations applied"), name).toBe(true);
    const client = new pg.Client({ connectionString: `${databaseUrl}_organisations` });
    await client.connect();
    const counties = await client.query<{ n: string }>("select count(*) as n from county");
    await client.end();
    expect(Number(counties.rows[0]!.n)).toBeGreaterThan(0);

    const urls: Record<string, string> = {};
    await Promise.all(
      SERVICES.map(async (name) => {
        const port = await freePort();
        const { child, url } = await startRole(name, { ...common, MIGRATE_ON_START: "false", [`${name.toUpperCase()}_PORT`]: String(port) }, children);
        // exec: the role's process is node running dist/, no tsx.
        const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, "utf8").split("\0");
        expect(cmdline[0]).toMatch(/node$/);
        expect(cmdline[1]).toBe(`${root}services/${name}/dist/main.js`);
        urls[name] = url;
      }),
    );
    const gateway = await startRole("gateway", {
      ...common,
      GATEWAY_PORT: String(await freePort()),
      ORGANISATIONS_URL: urls["organisations"],
      GROUPS_URL: urls["groups"],
      PLANNING_URL: urls["planning"],
    }, children);
    // With the young generation `pnpm start` gives the gateway (packages/stack GATEWAY_NODE_FLAGS).
    const gatewayCommand = readFileSync(`/proc/${gateway.child.pid}/cmdline`, "utf8").split("\0");
    expect(gatewayCommand.slice(1, GATEWAY_NODE_FLAGS.length + 2)).toEqual([...GATEWAY_NODE_FLAGS, `${root}gateway/dist/main.js`]);
    // Production mode: a caller without the analyst role runs only registered documents (the views among them).
    const unregistered = await graphqlRequest(gateway.url, '{ county(code: "14") { nameFi municipalities { code } } }');
    expect(unregistered.errors?.[0]?.extensions?.["code"]).toBe("PERSISTED_QUERY_NOT_REGISTERED");
    const res = await graphqlRequest<ViewResult<"coverage-matrix">>(gateway.url, viewDocument("coverage-matrix"), { countyCode: "14" });
    expect(res.errors).toBeUndefined();
    expect(res.data?.county?.nameFi).toBe("Pohjois-Karjalan hyvinvointialue");
    expect(res.data?.county?.municipalities.length).toBeGreaterThan(0);
    // Five processes start one after another: more than the default minute on a busy 2-core machine.
  }, 240_000);
});
