import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StackEvents } from "@yhdyspinta/stack";
import { databaseName, GroupKeys, mintUserToken, signViewer, VIEWER_HEADER, ViewerRole, withDatabase } from "@yhdyspinta/core";
import { bearer, rowsHolding, serviceSql, startTestStack, type TestStack } from "./support.ts";

/**
 * An erased person's values typed into the groups and planning subgraphs
 * (docs/PERSONAL-DATA.md "Erasure"): a name, e-mail and phone in a meeting's
 * title, agenda and decisions and in a theme's names, the decisions and the
 * Finnish name changed again so that the former text is only in those
 * subgraphs' audit trails. After the erasure no table of any of the three databases holds
 * them, and the scrub is itself in the audit trail without them; before it
 * the access export finds them in both subgraphs. Then the
 * same with the groups subgraph stopped while the erasure commits: the
 * values wait in the organisations subgraph's scrub outbox and reach groups
 * when it is back.
 */

type Data = any;
type Service = "organisations" | "groups" | "planning";
const SERVICES: Service[] = ["organisations", "groups", "planning"];
const ORG = "org-municipality-167";

let stack: TestStack;
let admin: Record<string, string>;
let dpo: Record<string, string>;
let county: string;
// Restarts wait until the test has looked at the outage (no race with a fast restart).
let releaseRestart: () => void = () => {};
let restartHeld = Promise.resolve();

const sql = <T = Data>(service: Service, query: string, params: unknown[] = []) => serviceSql<T>(stack, service, query, params);

async function ok(query: string, variables: Record<string, unknown> = {}, headers = admin): Promise<Data> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

/** A client of its own on a service's database (for a lock or a LISTEN held across requests). */
async function client(service: Service): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: withDatabase(stack.databaseUrl, `${databaseName(stack.databaseUrl)}_${service}`) });
  // Ended by the test; a connection the stack's teardown cuts must not fail the run.
  c.on("error", () => undefined);
  await c.connect();
  return c;
}

/** Resolves with the first `event` of the stack's supervisor that `match` accepts. */
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

interface Typed {
  id: string;
  name: string;
  email: string;
  phone: string;
  meetingId: string;
  themeId: string;
  /** Every value searched for afterwards. */
  values: string[];
}

/**
 * A former member whose name, e-mail and phone a coordinator typed into the
 * groups subgraph (a meeting's title, agenda and decisions, the decisions
 * then recorded again without them) and the planning subgraph (a theme's
 * names, the Finnish one renamed since).
 */
async function typedIn(key: string, day: string): Promise<Typed> {
  const name = `${key} Kirjoitettunen`;
  const email = `${key.toLowerCase()}.kirjoitettunen@example.invalid`;
  const phone = `+358 40 ${key.length}${"7654321".slice(0, 6)}`;
  const id = (await ok(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, { input: { organisationId: ORG, name, email, phone } })).createPerson.id;
  const membershipId = (
    await ok(`mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`, {
      input: { groupId: GroupKeys.pkKeskinen, personId: id, organisationId: ORG, role: "MEMBER", startsOn: "2023-01-01" },
    })
  ).recordMembership.id;
  await ok(`mutation($id: ID!) { endMembership(input: { membershipId: $id, endsOn: "2024-12-31" }) { id } }`, { id: membershipId });
  const meetingId = (
    await ok(`mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`, {
      input: { groupId: GroupKeys.pkKeskinen, kind: "REGULAR", startsAt: `${day}T13:00:00+02:00`, title: `Perehdytys: ${name}`, agenda: [`${name} esittäytyy`] },
    })
  ).scheduleMeeting.id;
  const minutes = (decisions: string[]) => ok(`mutation($input: RecordMeetingMinutesInput!) { recordMeetingMinutes(input: $input) { id } }`, { input: { meetingId, decisions } });
  await minutes([`Sihteeriksi valittiin ${name} (${email}, ${phone}).`, "Seuraava kokous kesäkuussa."]);
  // Recorded again without them: the first decisions are now only in the audit trail's `before`.
  await minutes(["Sihteeri valittiin.", "Seuraava kokous kesäkuussa."]);
  const themeId = (await ok(`mutation($input: CreateThemeInput!) { createTheme(input: $input) { id } }`, { input: { countyCode: county, name: `Liikunta, yhteyshenkilö ${name}`, nameEn: `Physical activity, contact ${name}` } })).createTheme.id;
  await ok(`mutation($input: UpdateThemeInput!) { updateTheme(input: $input) { id } }`, { input: { themeId, name: `Liikunta ${key}` } });
  return { id, name, email, phone, meetingId, themeId, values: [name, email, phone] };
}

const erase = (id: string, reason: string) => stack.query<Data>(`mutation($id: ID!, $reason: String!) { erasePersonalData(personId: $id, reason: $reason) { outcome } }`, { id, reason }, dpo);

/** The scrub's own change in a subgraph's audit trail. */
const scrubChanges = (service: Service, personId: string) =>
  sql(service, `select actor_subject, actor_role, operation, before, after from change_record where entity_type = 'DataSubject' and entity_id = $1 order by changed_at, id`, [personId]);

beforeAll(async () => {
  stack = await startTestStack("scrub", { supervision: { initialBackoffMs: 100, fastCrashMs: 600_000, maxFastCrashes: 3, beforeRestart: () => restartHeld } });
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "scrub-admin", scope: "data:write contacts:read", role: "admin" }));
  county = (await ok(`query($id: ID!) { organisation(id: $id) { county { code } } }`, { id: ORG })).organisation.county.code;
  dpo = bearer(await mintUserToken(stack.authSecret, { sub: "scrub-dpo", scope: "contacts:read", role: "data_protection", counties: [county] }));
});

afterAll(async () => {
  releaseRestart();
  await stack?.stop();
});

describe("erasure of a person typed into free text of groups and planning", () => {
  it("leaves their values in no table of any subgraph, the audit trails included, and audits the scrub without them", { timeout: 120_000 }, async () => {
    const p = await typedIn("Aino", "2024-03-12");
    // Before: in the records and the audit trail of both subgraphs (so the search below can find them).
    expect(Object.keys(await rowsHolding(stack, "groups", p.values))).toEqual(["change_record", "meeting"]);
    expect(Object.keys(await rowsHolding(stack, "planning", p.values))).toEqual(["change_record", "theme"]);
    const trail = await sql("groups", `select before, after from change_record where entity_id = $1 order by changed_at, id`, [p.meetingId]);
    expect(trail.at(-1).before.decisions[0]).toContain(p.email);
    // The access export finds them there: every row of groups and planning holding the person's id or a value.
    const exported = (await ok(`query($id: ID!) { dataSubject(personId: $id) { groups planning } }`, { id: p.id }, dpo)).dataSubject;
    for (const service of ["groups", "planning"] as const) {
      const expected = await rowsHolding(stack, service, [JSON.stringify(p.id), ...p.values]);
      const got = Object.fromEntries(Object.entries(exported[service] as Record<string, unknown[]>).map(([table, rows]) => [table, rows.map((r) => JSON.stringify(r)).sort()]));
      expect(got, service).toEqual(expected);
    }
    expect(exported.groups.meeting.map((m: Data) => m.id)).toEqual([p.meetingId]);
    expect(exported.planning.theme.map((t: Data) => t.id)).toEqual([p.themeId]);

    expect((await erase(p.id, "DP-SCRUB-1")).data?.erasePersonalData.outcome).toBe("ERASED");

    for (const service of SERVICES) expect(await rowsHolding(stack, service, p.values), service).toEqual({});
    expect(await sql("organisations", `select * from personal_data_scrub`)).toEqual([]);
    // Only the values went: the rest of what was written stays.
    const meeting = (await ok(`query($id: ID!) { cooperationGroup(id: $id) { meetings { id title agenda decisions } } }`, { id: GroupKeys.pkKeskinen })).cooperationGroup.meetings.find(
      (m: Data) => m.id === p.meetingId,
    );
    expect(meeting).toMatchObject({ title: "Perehdytys: (anonymised)", agenda: ["(anonymised) esittäytyy"], decisions: ["Sihteeri valittiin.", "Seuraava kokous kesäkuussa."] });
    const scrubbedTrail = await sql("groups", `select before, after from change_record where entity_id = $1 order by changed_at, id`, [p.meetingId]);
    expect(scrubbedTrail.at(-1).before.decisions).toEqual(["Sihteeriksi valittiin (anonymised) ((anonymised), (anonymised)).", "Seuraava kokous kesäkuussa."]);
    expect(await sql("planning", `select name, name_en from theme where id = $1`, [p.themeId])).toEqual([{ name: "Liikunta Aino", name_en: "Physical activity, contact (anonymised)" }]);

    // The scrub is in each subgraph's own audit trail: who, why, at whose request, what it altered; none of the values.
    for (const service of ["groups", "planning"] as const) {
      const changes = await scrubChanges(service, p.id);
      expect(changes, service).toHaveLength(1);
      expect(changes[0], service).toMatchObject({
        actor_subject: "service:organisations",
        actor_role: "admin",
        operation: "DELETE",
        after: null,
        before: { personId: p.id, anonymisedBecause: "erasure on request: DP-SCRUB-1", requestedBy: "scrub-dpo" },
      });
      expect(changes[0].before.scrubbedChangeCount, service).toBeGreaterThanOrEqual(2);
    }
    const [groupsScrub] = await scrubChanges("groups", p.id);
    expect(groupsScrub.before.scrubbedRecords).toEqual([{ table: "meeting", key: p.meetingId, columns: ["title", "agenda"] }]);
    const [planningScrub] = await scrubChanges("planning", p.id);
    expect(planningScrub.before.scrubbedRecords).toEqual([{ table: "theme", key: p.themeId, columns: ["name_en"] }]);
    // The erasure the scrub answers: the organisations subgraph's tombstone of the person.
    const tombstone = (await sql("organisations", `select id from change_record where entity_type = 'Person' and entity_id = $1 and operation = 'DELETE'`, [p.id]))[0].id;
    expect(groupsScrub.before.erasureId).toBe(tombstone);
    // Nothing personal logged.
    const logged = stack.logLines().filter((line) => p.values.some((v) => line.includes(v)));
    expect(logged).toEqual([]);
  });

  it("takes a scrub only from the organisations service, refuses a bad one, and does a repeated one once", { timeout: 60_000 }, async () => {
    const [person] = await sql("groups", `select entity_id, before from change_record where entity_type = 'DataSubject' order by changed_at limit 1`);
    const post = async (subject: string, body: unknown) => {
      const headers = { "content-type": "application/json", [VIEWER_HEADER]: await signViewer({ subject, role: ViewerRole.Admin, scopes: new Set(), counties: new Set() }, stack.internalAuthSecret) };
      const res = await fetch(new URL("internal/personal-data/scrub", stack.subgraphUrls.groups), { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Data };
    };
    const again = { erasureId: person.before.erasureId, personId: person.entity_id, values: ["Aino Kirjoitettunen"], reason: "again", requestedBy: null };
    expect((await post("scrub-admin", again)).status).toBe(403);
    expect(await post("service:organisations", { ...again, values: "Aino" })).toEqual({ status: 400, body: { error: expect.stringContaining("values"), code: "BAD_USER_INPUT" } });
    expect((await post("service:organisations", "{not json")).status).toBe(400);
    expect(await post("service:organisations", again)).toEqual({ status: 200, body: { erasureId: again.erasureId, already: true, records: 0, changes: 0 } });
    expect(await scrubChanges("groups", person.entity_id)).toHaveLength(1);
  });
});

describe("erasure while the groups subgraph is down", () => {
  it("keeps the values for groups in the scrub outbox and scrubs them there once groups is back", { timeout: 180_000 }, async () => {
    const p = await typedIn("Veikko", "2024-03-13");
    // Groups answers the erasure's question about the person's roles, but cannot commit a scrub until it is stopped:
    // its audit trail is locked against writes, and the erasure's commit is announced on the outbox's channel.
    const groupsLock = await client("groups");
    const listener = await client("organisations");
    restartHeld = new Promise((resolve) => (releaseRestart = resolve));
    const exited = next("exit", (e) => e.name === "groups");
    const back = next("ready", (e) => e.name === "groups");
    let erasure: ReturnType<typeof erase>;
    try {
      await groupsLock.query("begin");
      await groupsLock.query("lock table change_record in share mode");
      const committed = new Promise<void>((resolve) => listener.once("notification", () => resolve()));
      await listener.query("listen personal_data_scrub");
      erasure = erase(p.id, "DP-SCRUB-2");
      await committed;
      process.kill(stack.pids()["groups"]!, "SIGKILL");
      await exited;
    } finally {
      await groupsLock.query("rollback").catch(() => undefined);
      await groupsLock.end();
      await listener.end();
    }
    expect((await erasure).data?.erasePersonalData.outcome).toBe("ERASED");

    // Down: organisations and planning are clean but for the values kept for groups; groups still has them.
    const waiting = await sql("organisations", `select erasure_id, subgraph, attempts, last_error from personal_data_scrub`);
    expect(waiting).toEqual([{ erasure_id: expect.any(String), subgraph: "groups", attempts: expect.any(Number), last_error: expect.any(String) }]);
    expect(waiting[0].attempts).toBeGreaterThanOrEqual(1);
    expect(Object.keys(await rowsHolding(stack, "organisations", p.values))).toEqual(["personal_data_scrub"]);
    expect(await rowsHolding(stack, "planning", p.values)).toEqual({});
    expect(Object.keys(await rowsHolding(stack, "groups", p.values))).toEqual(["change_record", "meeting"]);
    expect(await scrubChanges("groups", p.id)).toEqual([]);

    // Back: the worker delivers, groups scrubs, the outbox forgets the values.
    const delivered = stack.waitForLog((line) => line.startsWith("[organisations]") && line.includes("personal data scrub delivered") && line.includes(waiting[0].erasure_id) && line.includes("groups"), 120_000);
    releaseRestart();
    await back;
    await delivered;
    for (const service of SERVICES) expect(await rowsHolding(stack, service, p.values), service).toEqual({});
    expect(await sql("organisations", `select * from personal_data_scrub`)).toEqual([]);
    const changes = await scrubChanges("groups", p.id);
    expect(changes).toHaveLength(1);
    expect(changes[0].before).toMatchObject({ erasureId: waiting[0].erasure_id, anonymisedBecause: "erasure on request: DP-SCRUB-2", scrubbedRecords: [{ table: "meeting", key: p.meetingId }] });
  });
});
