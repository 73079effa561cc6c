import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseName, GroupKeys, mintUserToken, withDatabase } from "@yhdyspinta/core";
import { startGateway } from "../gateway/src/gateway.ts";
import { bearer, gatewayOptionsFor, serviceSql, startTestStack, type TestStack } from "./support.ts";

// The change feed (GET /changes at the gateway): the three subgraphs' audit
// trails merged into one resumable stream, through the gateway.

let stack: TestStack;
let admin: Record<string, string>;
let adminNoContacts: Record<string, string>;
let coordinator14: Record<string, string>;
let coordinator08: Record<string, string>;
let analyst: Record<string, string>;
let groupCounty: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;
type Service = "organisations" | "groups" | "planning";
const SERVICES: Service[] = ["organisations", "groups", "planning"];

const EMAIL = "syote.testaaja@example.invalid";
const PHONE = "+358 000 765 4321";

async function ok(query: string, variables: Record<string, unknown>, headers = admin): Promise<Data> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

async function feedRequest(params: Record<string, string | undefined>, headers = admin, gatewayUrl = stack.gatewayUrl): Promise<{ status: number; body: Data; text: string }> {
  const url = new URL("/changes", gatewayUrl);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text), text };
}

/** Pages the feed from `after` to its end, `first` at a time; the nodes in order and the last cursor. */
async function readAll(params: Record<string, string | undefined>, headers = admin, after?: string): Promise<{ nodes: Data[]; cursor: string | undefined; pages: number }> {
  const nodes: Data[] = [];
  let cursor = after;
  let pages = 0;
  for (;;) {
    const { status, body } = await feedRequest({ ...params, after: cursor }, headers);
    expect(status).toBe(200);
    pages++;
    nodes.push(...body.edges.map((e: Data) => e.node));
    cursor = body.pageInfo.endCursor;
    if (!body.pageInfo.hasNextPage) return { nodes, cursor, pages };
  }
}

/** Every recorded change of the stack (the register's own audit trail), by service. */
async function recordedChangeIds(): Promise<string[]> {
  const ids: string[] = [];
  for (const service of SERVICES) ids.push(...(await serviceSql<{ id: string }>(stack, service, `select id from change_record`)).map((r) => r.id));
  return ids.sort();
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await startTestStack("changefeed");
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "feed-admin", scope: "data:write contacts:read", role: "admin" }));
  adminNoContacts = bearer(await mintUserToken(stack.authSecret, { sub: "feed-admin-2", scope: "data:write", role: "admin" }));
  coordinator14 = bearer(await mintUserToken(stack.authSecret, { sub: "feed-coord-14", scope: "data:write", role: "coordinator", counties: ["14"] }));
  coordinator08 = bearer(await mintUserToken(stack.authSecret, { sub: "feed-coord-08", scope: "data:write contacts:read", role: "coordinator", counties: ["08"] }));
  analyst = bearer(await mintUserToken(stack.authSecret, { sub: "feed-analyst", scope: "contacts:read", role: "analyst" }));
  groupCounty = (await ok(`query($id: ID!) { cooperationGroup(id: $id) { county { code } } }`, { id: GroupKeys.pkKeskinen })).cooperationGroup.county.code;

  // A mixed sequence across the three subgraphs: creates, edits, a removal.
  ids["organisation"] = (
    await ok(`mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`, { input: { name: "Syöteyhdistys ry", kind: "ASSOCIATION", countyCode: "14" } })
  ).createOrganisation.id;
  ids["measure"] = (
    await ok(`mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`, { input: { countyCode: "14", title: "Syötteen toimenpide" } })
  ).createMeasure.id;
  ids["person"] = (
    await ok(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, {
      input: { name: "Syöte Testaaja", organisationId: ids["organisation"], email: EMAIL, phone: PHONE },
    })
  ).createPerson.id;
  await ok(`mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id } }`, {
    id: ids["organisation"],
    input: { name: "Syöteyhdistys ry (uusi nimi)" },
  });
  ids["meeting"] = (
    await ok(`mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`, {
      input: { groupId: GroupKeys.pkKeskinen, kind: "REGULAR", title: "Syötteen kokous", startsAt: "2025-02-03T10:00:00+02:00" },
    })
  ).scheduleMeeting.id;
  await ok(`mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { id } }`, { input: { measureId: ids["measure"], description: "Muutettu" } });
  await ok(`mutation($id: ID!) { removeMeasure(measureId: $id) }`, { id: ids["measure"] });
});

afterAll(async () => {
  await stack?.stop();
});

describe("GET /changes", () => {
  it("pages every change exactly once, two at a time, resuming from the last cursor, in commit order per record", async () => {
    const whole = await readAll({ first: "2" });
    expect(whole.pages).toBeGreaterThan(3);
    const seen = whole.nodes.map((n) => n.change.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(await recordedChangeIds());
    expect(new Set(whole.nodes.map((n) => n.subgraph))).toEqual(new Set(SERVICES));

    // Per record, the feed's order is the order of the writes.
    const ops = (id: string) => whole.nodes.filter((n) => n.change.entityId === id).map((n) => n.change.operation);
    expect(ops(ids["measure"]!)).toEqual(["CREATE", "UPDATE", "DELETE"]);
    expect(ops(ids["organisation"]!)).toEqual(["CREATE", "UPDATE"]);
    const tombstone = whole.nodes.find((n) => n.change.entityId === ids["measure"] && n.change.operation === "DELETE");
    expect(tombstone).toMatchObject({ subgraph: "planning", countyCode: "14", change: { entityType: "Measure", after: null, actorSubject: "feed-admin" } });
    expect(tombstone.change.before).toMatchObject({ title: "Syötteen toimenpide", description: "Muutettu" });
    expect(whole.nodes.find((n) => n.change.entityId === ids["meeting"])).toMatchObject({ subgraph: "groups", countyCode: groupCounty });

    // Resuming from the end: nothing again; after a new write, only that.
    expect((await feedRequest({ after: whole.cursor })).body.edges).toEqual([]);
    await ok(`mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id } }`, { id: ids["organisation"], input: { name: "Syöteyhdistys ry (kolmas nimi)" } });
    const rest = await readAll({ first: "2" }, admin, whole.cursor);
    expect(rest.nodes.map((n) => [n.change.entityId, n.change.operation])).toEqual([[ids["organisation"], "UPDATE"]]);
  });

  it("a change committed later with an earlier start is not skipped by a reader who already moved on", async () => {
    const url = withDatabase(stack.databaseUrl, `${databaseName(stack.databaseUrl)}_groups`);
    const [early, late] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    await Promise.all([early.connect(), late.connect()]);
    try {
      const start = (await readAll({ first: "50" })).cursor;
      const insert = (client: pg.Client, id: string) =>
        client.query(
          `insert into change_record (id, changed_at, actor_subject, actor_role, entity_type, entity_id, operation, before, after, changed_fields)
           values ($1, now(), 'feed-raw', 'admin', 'CooperationGroup', $1, 'CREATE', null, '{"countyCode":"14"}'::jsonb, '[]'::jsonb)`,
          [id],
        );
      const [earlyId, lateId] = [`raw-early-${randomUUID()}`, `raw-late-${randomUUID()}`];
      await early.query("begin");
      await insert(early, earlyId);
      await late.query("begin");
      await insert(late, lateId);
      await late.query("commit");
      const first = await readAll({ first: "2" }, admin, start);
      expect(first.nodes.map((n) => n.change.id)).toEqual([lateId]);
      await early.query("commit");
      const second = await readAll({ first: "2" }, admin, first.cursor);
      expect(second.nodes.map((n) => n.change.id)).toEqual([earlyId]);
    } finally {
      await Promise.all([early.end(), late.end()]);
    }
  });

  it("scopes by county like `changes`: a coordinator reads its counties only", async () => {
    const own = await readAll({ first: "100" }, coordinator14);
    expect(own.nodes.length).toBeGreaterThan(0);
    expect(new Set(own.nodes.map((n) => n.countyCode))).toEqual(new Set(["14"]));
    expect(own.nodes.some((n) => n.change.entityId === ids["person"])).toBe(true);

    const other = await readAll({ first: "100" }, coordinator08);
    expect(other.nodes.filter((n) => n.countyCode !== "08")).toEqual([]);
    expect(other.nodes.some((n) => [ids["organisation"], ids["measure"], ids["person"]].includes(n.change.entityId))).toBe(false);

    const asked = await feedRequest({ countyCodes: "14" }, coordinator08);
    expect(asked.status).toBe(403);
    expect(asked.body.error).toContain("county 14");
    expect((await feedRequest({}, analyst)).status).toBe(403);
    expect((await feedRequest({}, {})).status).toBe(403);

    // An admin narrows by county and type.
    const measures = await readAll({ countyCodes: "14", types: "Measure" });
    expect(measures.nodes.length).toBeGreaterThan(0);
    expect(measures.nodes.every((n) => n.change.entityType === "Measure" && n.countyCode === "14")).toBe(true);
  });

  it("masks contact values: the feed never carries an e-mail or a phone number", async () => {
    for (const headers of [admin, adminNoContacts, coordinator14]) {
      const { text, body } = await feedRequest({ types: "Person", first: "100" }, headers);
      expect(text).not.toContain(EMAIL);
      expect(text).not.toContain(PHONE);
      const created = body.edges.map((e: Data) => e.node).find((n: Data) => n.change.entityId === ids["person"]);
      expect(created.change.after).toMatchObject({ email: "***", phone: "***", name: "Syöte Testaaja" });
    }
  });

  it("loses nothing written while a reader pages", async () => {
    const { cursor: start } = await readAll({ first: "100" });
    const seenBefore = new Set(await recordedChangeIds());
    const writes = Array.from({ length: 12 }, (_, i) =>
      i % 2 === 0
        ? ok(`mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`, { input: { countyCode: "14", title: `Rinnakkainen ${i}` } })
        : ok(`mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id } }`, { id: ids["organisation"], input: { name: `Rinnakkainen nimi ${i}` } }),
    );
    const allWritten = Promise.all(writes);
    // Page two at a time while the writes run; at the end of the feed, wait for the next write to return; on to the end once all have.
    const nodes: Data[] = [];
    let cursor = start;
    let awaited = 0;
    for (;;) {
      const finished = awaited === writes.length;
      const { status, body } = await feedRequest({ first: "2", after: cursor });
      expect(status).toBe(200);
      nodes.push(...body.edges.map((e: Data) => e.node));
      cursor = body.pageInfo.endCursor;
      if (body.pageInfo.hasNextPage) continue;
      if (finished) break;
      await writes[awaited++];
    }
    await allWritten;
    const seen = nodes.map((n) => n.change.id);
    expect(new Set(seen).size).toBe(seen.length);
    const expected = (await recordedChangeIds()).filter((id) => !seenBefore.has(id));
    expect(expected).toHaveLength(12);
    expect([...seen].sort()).toEqual(expected);
    const organisationUpdates = nodes.filter((n) => n.change.entityId === ids["organisation"]).map((n) => n.change.after.name);
    expect(organisationUpdates).toHaveLength(6);
  });

  it("reads a page in one SQL statement per subgraph, whatever its size", async () => {
    const statementsOf = async (first: string) => {
      await stack.resetStats();
      const { status, body } = await feedRequest({ first });
      expect(status).toBe(200);
      const stats = await stack.stats();
      return { events: body.edges.length, statements: Object.fromEntries(SERVICES.map((s) => [s, stats[s]?.statements ?? 0])) };
    };
    const small = await statementsOf("2");
    const large = await statementsOf("200");
    expect(large.events).toBeGreaterThan(small.events * 5);
    expect(large.statements).toEqual(small.statements);
    for (const service of SERVICES) expect(large.statements[service]).toBeLessThanOrEqual(2);
  });

  it("answers a coordinator in production mode, where only registered documents run", async () => {
    const production = await startGateway({ ...gatewayOptionsFor(stack), registeredDocumentsOnly: true });
    try {
      const { status, body } = await feedRequest({ first: "100" }, coordinator14, production.url);
      expect(status).toBe(200);
      expect(body.edges.some((e: Data) => e.node.change.entityId === ids["organisation"])).toBe(true);
    } finally {
      await production.stop();
    }
  });

  it("refuses a cursor it did not issue and a bad page size, naming the parameter", async () => {
    const bad = await feedRequest({ after: "not-a-cursor" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ parameter: "after" });
    const size = await feedRequest({ first: "0" });
    expect(size.status).toBe(400);
    expect(size.body).toMatchObject({ parameter: "first" });
  });

  it("wakes a listener: each commit notifies `change_feed` with its position", async () => {
    const client = new pg.Client({ connectionString: withDatabase(stack.databaseUrl, `${databaseName(stack.databaseUrl)}_planning`) });
    await client.connect();
    try {
      await client.query("listen change_feed");
      const notified = new Promise<string>((resolve) => client.once("notification", (n) => resolve(n.payload ?? "")));
      const { cursor } = await readAll({ first: "100" });
      const id = (await ok(`mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`, { input: { countyCode: "14", title: "Herättäjä" } })).createMeasure.id;
      const position = await notified;
      const { nodes } = await readAll({ first: "100" }, admin, cursor);
      expect(nodes.find((n) => n.change.entityId === id)).toMatchObject({ subgraph: "planning", position });
    } finally {
      await client.end();
    }
  });
});
