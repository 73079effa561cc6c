import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, mintUserToken, withDatabase } from "@yhdyspinta/core";
import { testPostgresUrl } from "@yhdyspinta/core/testing";
import type { StackEvents } from "@yhdyspinta/stack";
import { runMirror } from "../packages/stack/src/mirror.ts";
import { bearer, serviceSql, startTestStack, type TestStack } from "./support.ts";

// The mirror example (`pnpm mirror`, packages/stack/src/mirror.ts): a
// PostgreSQL copy kept current from GET /changes alone equals the register
// after a mixed sequence of writes, a subgraph killed in between and the
// mirror's own connection dropped mid-page: no change lost, none twice.

let stack: TestStack;
let token: string;
let admin: Record<string, string>;
let mirrorUrl: string;
const mirrorDatabase = `mirror_${randomBytes(3).toString("hex")}`;
let releaseRestart: () => void = () => {};
let restartHeld = Promise.resolve();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

beforeAll(async () => {
  stack = await startTestStack("mirror", { supervision: { initialBackoffMs: 100, fastCrashMs: 600_000, maxFastCrashes: 3, beforeRestart: () => restartHeld } });
  token = await mintUserToken(stack.authSecret, { sub: "mirror-admin", scope: "data:write contacts:read", role: "admin" });
  admin = bearer(token);
  const server = new pg.Client({ connectionString: testPostgresUrl() });
  await server.connect();
  await server.query(`create database ${mirrorDatabase}`);
  await server.end();
  mirrorUrl = withDatabase(testPostgresUrl(), mirrorDatabase);
});

afterAll(async () => {
  releaseRestart();
  await stack?.stop();
  const server = new pg.Client({ connectionString: testPostgresUrl() });
  await server.connect();
  await server.query(`drop database if exists ${mirrorDatabase} with (force)`);
  await server.end();
});

async function ok(query: string, variables: Record<string, unknown>): Promise<Data> {
  const res = await stack.query<Data>(query, variables, admin);
  expect(res.errors).toBeUndefined();
  return res.data;
}

function next<E extends keyof StackEvents>(event: E, match: (payload: StackEvents[E][0]) => boolean): Promise<StackEvents[E][0]> {
  return new Promise((resolve) => {
    const listener = (payload: StackEvents[E][0]) => {
      if (!match(payload)) return;
      stack.events.off(event, listener as never);
      resolve(payload);
    };
    stack.events.on(event, listener as never);
  });
}

async function mirrorSql<T>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: mirrorUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

const CREATE_ORGANISATION = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`;
const UPDATE_ORGANISATION = `mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id } }`;

describe("pnpm mirror", () => {
  it("builds from the feed alone a copy equal to the register, across a subgraph outage and a dropped connection", { timeout: 240_000 }, async () => {
    const mirror = { gatewayUrl: stack.gatewayUrl, token, databaseUrl: mirrorUrl, pageSize: 7 };
    // Creates in all three subgraphs.
    const kept = (await ok(CREATE_ORGANISATION, { input: { name: "Peiliyhdistys ry", kind: "ASSOCIATION", countyCode: "14" } })).createOrganisation.id;
    const duplicate = (await ok(CREATE_ORGANISATION, { input: { name: "Peiliyhdistys r.y.", kind: "ASSOCIATION", countyCode: "14" } })).createOrganisation.id;
    const ending = (await ok(CREATE_ORGANISATION, { input: { name: "Päättyvä yhdistys ry", kind: "ASSOCIATION", countyCode: "14" } })).createOrganisation.id;
    const measure = (await ok(`mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`, { input: { countyCode: "14", title: "Peilin toimenpide" } })).createMeasure.id;
    await ok(`mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`, {
      input: { groupId: GroupKeys.pkKeskinen, kind: "REGULAR", title: "Peilin kokous", startsAt: "2025-03-03T10:00:00+02:00" },
    });
    const first = await runMirror(mirror);
    expect(first.applied).toBeGreaterThanOrEqual(5);

    // Edits, then planning killed (its restart held) while organisations are ended and merged.
    await ok(UPDATE_ORGANISATION, { id: kept, input: { name: "Peiliyhdistys ry (uusi nimi)" } });
    await ok(`mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { id } }`, { input: { measureId: measure, description: "Muutettu ennen katkoa" } });
    restartHeld = new Promise((resolve) => (releaseRestart = resolve));
    const exited = next("exit", (e) => e.name === "planning");
    const back = next("ready", (e) => e.name === "planning");
    process.kill(stack.pids()["planning"]!, "SIGKILL");
    await exited;
    await ok(`mutation($input: WindUpOrganisationInput!) { windUpOrganisation(input: $input) { id } }`, {
      input: { organisationId: ending, endsOn: "2025-12-31", note: "Toiminta päättyi", successors: [{ organisationId: kept }] },
    });
    await ok(`mutation($input: MergeOrganisationsInput!) { mergeOrganisations(input: $input) { id } }`, { input: { duplicateId: duplicate, survivorId: kept, note: "Sama yhdistys" } });
    const cursorBefore = (await mirrorSql<{ cursor: string }>(`select cursor from mirror.state`))[0]!.cursor;
    // With a subgraph away the feed cannot be merged: the mirror stops without moving its cursor.
    await expect(runMirror(mirror)).rejects.toThrow(/GET \/changes answered/);
    expect((await mirrorSql<{ cursor: string }>(`select cursor from mirror.state`))[0]!.cursor).toBe(cursorBefore);

    releaseRestart();
    await back;
    // A removal, and the mirror's own connection dropped inside its second page's transaction.
    expect((await ok(`mutation($id: ID!) { removeMeasure(measureId: $id) }`, { id: measure })).removeMeasure).toBe(measure);
    await ok(UPDATE_ORGANISATION, { id: kept, input: { name: "Peiliyhdistys ry (kolmas nimi)" } });
    let pagesSeen = 0;
    await expect(
      runMirror({
        ...mirror,
        pageSize: 3,
        beforeCommit: async (client) => {
          pagesSeen += 1;
          if (pagesSeen === 2) await client.query(`select pg_terminate_backend(pg_backend_pid())`);
        },
      }),
    ).rejects.toThrow();
    expect(pagesSeen).toBe(2);
    const last = await runMirror(mirror);
    expect(last.applied).toBeGreaterThan(0);
    expect((await runMirror(mirror)).applied).toBe(0);

    // The register's own state, from each subgraph's audit trail in commit order: the last change of each record.
    const expected = new Map<string, unknown>();
    const registerIds: string[] = [];
    for (const service of ["groups", "organisations", "planning"] as const) {
      const rows = await serviceSql<{ id: string; entity_type: string; entity_id: string; operation: string; after: unknown }>(
        stack,
        service,
        `select c.id, c.entity_type, c.entity_id, c.operation, c.after from change_outbox o join change_record c on c.id = o.change_id order by o.seq`,
      );
      for (const row of rows) {
        registerIds.push(row.id);
        const key = `${row.entity_type} ${row.entity_id}`;
        if (row.operation === "DELETE") expected.delete(key);
        else expected.set(key, row.after);
      }
    }
    const mirrored = await mirrorSql<{ record_type: string; record_id: string; data: unknown }>(`select record_type, record_id, data from mirror.records`);
    expect(new Map(mirrored.map((r) => [`${r.record_type} ${r.record_id}`, r.data]))).toEqual(expected);
    // Every change once: the log holds each of the register's changes exactly once.
    const logged = (await mirrorSql<{ change_id: string }>(`select change_id from mirror.change_log`)).map((r) => r.change_id);
    expect(logged.length).toBe(new Set(logged).size);
    expect(logged.toSorted()).toEqual(registerIds.toSorted());

    // And the mirror agrees with what the register answers now.
    const now = await ok(`query($id: ID!, $measure: ID!) { organisation(id: $id) { name } measure(id: $measure) { id } }`, { id: kept, measure });
    expect(now.measure).toBeNull();
    expect(expected.has(`Measure ${measure}`)).toBe(false);
    const keptRow = mirrored.find((r) => r.record_type === "Organisation" && r.record_id === kept)!.data as { name: string };
    expect(keptRow.name).toBe(now.organisation.name);
    const endingRow = mirrored.find((r) => r.record_type === "Organisation" && r.record_id === ending)!.data as Record<string, unknown>;
    expect(endingRow["validTo"] ?? endingRow["endsOn"]).toBeTruthy();
    const duplicateRow = mirrored.find((r) => r.record_type === "Organisation" && r.record_id === duplicate)!.data as Record<string, unknown>;
    expect(JSON.stringify(duplicateRow)).toContain(kept);
  });
});
