import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, mintUserToken, openServiceDatabase, serviceDatabaseUrl, type Orm } from "@yhdyspinta/core";
import { runRetention } from "../services/organisations/src/personal-data/retention.ts";
import { organisationsService } from "../services/organisations/src/service.ts";
import { bearer, rowsHolding, serviceSql, startTestStack, type TestStack } from "./support.ts";

/**
 * Personal data over its life (issue 30, docs/PERSONAL-DATA.md): the
 * retention job with the clock moved past a period, the access export
 * against a direct SQL search, and erasure on request.
 */

type Data = any;
type Service = "organisations" | "groups" | "planning";
const SERVICES: Service[] = ["organisations", "groups", "planning"];

let stack: TestStack;
let orm: Orm;
let admin: Record<string, string>;
let dpo: Record<string, string>;
let dpoElsewhere: Record<string, string>;
let coordinatorElsewhere: Record<string, string>;
let county: string;

const ORG = "org-municipality-167";
const SETTINGS = { contactMonths: 24, rejectedNomineeMonths: 12 };
const people: Record<string, { id: string; name: string; email: string; phone: string }> = {};

const sql = <T = Data>(service: Service, query: string, params: unknown[] = []) => serviceSql<T>(stack, service, query, params);

async function ok(query: string, variables: Record<string, unknown> = {}, headers = admin): Promise<Data> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

const search = (service: Service, needles: string[]) => rowsHolding(stack, service, needles);

/** The needles of a person: their id as a JSON value, and their name, e-mail and phone. */
const needlesOf = (p: { id: string; name: string; email: string; phone: string }) => [JSON.stringify(p.id), p.name, p.email, p.phone];

async function createPerson(key: string, name: string): Promise<string> {
  const email = `${key}.henkilo@example.invalid`;
  const phone = `+358 40 ${String(1000000 + Object.keys(people).length * 7919).slice(0, 7)}`;
  const id = (await ok(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, { input: { name, organisationId: ORG, email, phone } })).createPerson.id;
  people[key] = { id, name, email, phone };
  return id;
}

async function recordMembership(personId: string, startsOn: string, endsOn: string | null): Promise<string> {
  const id = (
    await ok(`mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`, {
      input: { groupId: GroupKeys.pkKeskinen, personId, organisationId: ORG, role: "MEMBER", startsOn },
    })
  ).recordMembership.id;
  if (endsOn) await ok(`mutation($id: ID!, $endsOn: Date!) { endMembership(input: { membershipId: $id, endsOn: $endsOn }) { id } }`, { id, endsOn });
  return id;
}

const retention = async (today: string) =>
  await runRetention(orm.em.fork(), {
    now: new Date(`${today}T12:00:00Z`),
    settings: SETTINGS,
    groups: { url: stack.subgraphUrls.groups, internalSecret: stack.internalAuthSecret },
    // Each anonymised person's values scrubbed from groups and planning before the run returns (not later by the worker).
    scrub: { urls: { groups: stack.subgraphUrls.groups, planning: stack.subgraphUrls.planning }, internalSecret: stack.internalAuthSecret },
  });

/** `pnpm retention …` against the test stack: exit code and output. */
function retentionCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: stack.databaseUrl, GROUPS_URL: stack.subgraphUrls.groups, INTERNAL_AUTH_SECRET: stack.internalAuthSecret, LOG_LEVEL: "silent" };
  return new Promise((resolve) => {
    execFile("pnpm", ["--silent", "retention", ...args], { cwd: fileURLToPath(new URL("..", import.meta.url)), env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  stack = await startTestStack("personal");
  orm = await openServiceDatabase(organisationsService, { databaseUrl: serviceDatabaseUrl("organisations", { DATABASE_URL: stack.databaseUrl })!, seed: false, createDatabase: false, migrate: false });
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "pd-admin", scope: "data:write contacts:read", role: "admin" }));
  county = (await ok(`query($id: ID!) { organisation(id: $id) { county { code } } }`, { id: ORG })).organisation.county.code;
  const elsewhere = county === "14" ? "08" : "14";
  dpo = bearer(await mintUserToken(stack.authSecret, { sub: "pd-dpo", scope: "contacts:read", role: "data_protection", counties: [county] }));
  dpoElsewhere = bearer(await mintUserToken(stack.authSecret, { sub: "pd-dpo-elsewhere", scope: "contacts:read", role: "data_protection", counties: [elsewhere] }));
  coordinatorElsewhere = bearer(await mintUserToken(stack.authSecret, { sub: "pd-coord-elsewhere", scope: "data:write contacts:read", role: "coordinator", counties: [elsewhere] }));

  // A former member whose membership ended on 2023-06-30: kept until 2025-06-30.
  await recordMembership(await createPerson("former", "Retentio Vanhajäsen"), "2022-01-01", "2023-06-30");
  // A member whose membership continues, in a seat by appointment.
  const seated = await recordMembership(await createPerson("seated", "Nimitetty Istuja"), "2024-01-01", null);
  const seat = (await sql<{ id: string }>("groups", `select id from group_seat where group_id = $1 order by id limit 1`, [GroupKeys.pkKeskinen]))[0]?.id ?? "seat-pd-test";
  await sql("groups", `update membership set seat_id = $1 where id = $2`, [seat, seated]);
  // A candidate not appointed in a round that closed on 2023-11-30: kept until 2024-11-30.
  const nominationId = (
    await ok(`mutation($input: SubmitNominationInput!) { submitNomination(input: $input) { id } }`, {
      input: { roundId: "round-pk-kumppanuusryhmat-2023", municipalityCode: "167", personId: await createPerson("rejected", "Hylätty Ehdokas"), organisationId: ORG, submittedOn: "2023-11-15" },
    })
  ).submitNomination.id;
  await ok(`mutation($input: DecideNominationInput!) { rejectNomination(input: $input) { id } }`, { input: { nominationId, note: "Ei valittu" } });
  // A former member (kept until 2026-12-31) whose data is exported, and who then asks for erasure.
  await recordMembership(await createPerson("leaver", "Eroava Pyytäjä"), "2023-01-01", "2024-12-31");
  await ok(`mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }`, { id: people["leaver"]!.id, input: { title: "Koordinaattori" } });
});

afterAll(async () => {
  await orm?.close();
  await stack?.stop();
});

describe("retention job", () => {
  it("anonymises a person past the period everywhere, keeps the role history and counts, records itself, and does nothing the second time", async () => {
    const former = people["former"]!;
    const history = `query($id: ID!) { cooperationGroup(id: $id) { memberships(history: true) { id role startsOn endsOn person { id } } } }`;
    const before = await ok(history, { id: GroupKeys.pkKeskinen });
    const groupsRows = await sql("groups", `select * from membership where person_id = $1 order by id`, [former.id]);
    expect(groupsRows).toHaveLength(1);

    // Within the period: nothing happens to them.
    const rejected = people["rejected"]!;
    const nominations = await sql("groups", `select * from nomination where person_id = $1`, [rejected.id]);
    expect(nominations.map((n: Data) => n.status)).toEqual(["rejected"]);
    const early = await retention("2025-06-30");
    expect(early.anonymised.map((a) => a.personId)).not.toContain(former.id);
    // The candidate not appointed is past their period (the round closed 2023-11-30, plus 12 months); the nomination stays.
    expect(early.anonymised).toContainEqual({ personId: rejected.id, retainedUntil: "2024-11-30" });
    for (const service of SERVICES) expect(await search(service, [rejected.name, rejected.email, rejected.phone]), service).toEqual({});
    expect(await sql("groups", `select * from nomination where person_id = $1`, [rejected.id])).toEqual(nominations);
    expect((await ok(`query($id: ID!) { person(id: $id) { name email } }`, { id: former.id })).person).toEqual({ name: former.name, email: former.email });

    const first = await retention("2025-07-01");
    expect(first.anonymised).toContainEqual({ personId: former.id, retainedUntil: "2025-06-30" });
    expect(first.anonymised.map((a) => a.personId)).not.toContain(people["seated"]!.id);

    // Gone from the tables (and so from every export and answer), the audit trail included, in all three subgraphs.
    for (const service of SERVICES) {
      const found = await search(service, [former.name, former.email, former.phone]);
      expect(found, service).toEqual({});
    }
    const person = (await ok(`query($id: ID!) { person(id: $id) { id name title email phone organisation { id } } }`, { id: former.id })).person;
    expect(person).toEqual({ id: former.id, name: "(anonymised)", title: null, email: null, phone: null, organisation: { id: ORG } });
    expect((await ok(`query($s: String!) { people(search: $s) { totalCount } }`, { s: "Vanhajäsen" })).people.totalCount).toBe(0);

    // The role history and the counts are unchanged.
    expect(await ok(history, { id: GroupKeys.pkKeskinen })).toEqual(before);
    expect(await sql("groups", `select * from membership where person_id = $1 order by id`, [former.id])).toEqual(groupsRows);

    // The anonymisation is itself in the audit trail: a DELETE tombstone, without the values.
    const changes = await sql<Data>("organisations", `select * from change_record where entity_type = 'Person' and entity_id = $1 order by changed_at, id`, [former.id]);
    expect(changes.map((c: Data) => c.operation)).toEqual(["CREATE", "DELETE"]);
    expect(changes[0].after.name).toBe("(anonymised)");
    expect(changes[1]).toMatchObject({ actor_subject: "service:retention", after: null, before: { id: former.id, name: "(anonymised)", organisationId: ORG } });
    expect(changes[1].before.anonymisedBecause).toContain("2025-06-30");
    const feed = await ok(`{ organisationsChangeFeed(types: ["Person"], first: 500) { events { change { entityId operation } } } }`);
    expect(feed.organisationsChangeFeed.events.map((e: Data) => e.change)).toContainEqual({ entityId: former.id, operation: "DELETE" });

    // Running again changes nothing.
    const snapshot = async () => ({
      person: await sql("organisations", `select * from person where id = $1`, [former.id]),
      changes: await sql("organisations", `select id, before, after from change_record order by id`),
      groups: await sql("groups", `select count(*)::int as n from change_record`),
    });
    const once = await snapshot();
    const second = await retention("2025-07-01");
    expect(second.anonymised).toEqual([]);
    expect(await snapshot()).toEqual(once);
  });
});

describe("retention from the command line", () => {
  it("lists in a dry run who is due on a day and changes nothing; refuses a bad argument", { timeout: 180_000 }, async () => {
    const leaver = people["leaver"]!;
    const dry = await retentionCli(["--dry-run", "--today=2027-01-01"]);
    expect(dry.stderr).toBe("");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^retention 2027-01-01: \d+ people held, \d+ due$/m);
    expect(dry.stdout).toContain(`${leaver.id} (kept until 2026-12-31)`);
    expect(dry.stdout).not.toContain(people["seated"]!.id);
    expect((await ok(`query($id: ID!) { person(id: $id) { name } }`, { id: leaver.id })).person.name).toBe(leaver.name);
    expect((await retentionCli(["--today=2027-1-1"])).code).toBe(2);
  });
});

describe("data-subject requests", () => {
  const exportQuery = `query($id: ID!) { dataSubject(personId: $id) { personId countyCode organisations groups planning } }`;

  it("exports every row about the person in all three subgraphs, and nothing about anyone else", async () => {
    const leaver = people["leaver"]!;
    const data = (await ok(exportQuery, { id: leaver.id }, dpo)).dataSubject;
    expect(data.personId).toBe(leaver.id);
    expect(data.countyCode).toBe(county);
    for (const service of SERVICES) {
      const expected = await search(service, needlesOf(leaver));
      const got = Object.fromEntries(Object.entries(data[service] as Record<string, unknown[]>).map(([table, rows]) => [table, rows.map((r) => JSON.stringify(r)).sort()]));
      expect(got, service).toEqual(expected);
    }
    expect(Object.keys(data.organisations)).toEqual(expect.arrayContaining(["person", "change_record", "data_subject_request"]));
    expect(data.groups["membership"]).toHaveLength(1);
    // Nobody else's: every row holds the person's id or one of their values.
    for (const service of SERVICES) {
      for (const rows of Object.values(data[service] as Record<string, unknown[]>)) {
        for (const row of rows) expect(needlesOf(leaver).some((n) => JSON.stringify(row).includes(n))).toBe(true);
      }
    }
    // The request is on record.
    const requests = await sql("organisations", `select kind, outcome from data_subject_request where person_id = $1`, [leaver.id]);
    expect(requests).toContainEqual({ kind: "access", outcome: "provided" });

    // The same as a file and as a page to read, through the gateway's route.
    const membershipId = (data.groups["membership"] as Data[])[0].id;
    const json = await fetch(new URL(`/personal-data/${encodeURIComponent(leaver.id)}.json`, stack.gatewayUrl), { headers: dpo });
    expect(json.status).toBe(200);
    const file = (await json.json()) as Data;
    expect(file.personId).toBe(leaver.id);
    expect(file.groups).toEqual(data.groups);
    expect(file.organisations.person).toEqual(data.organisations.person);
    const html = await fetch(new URL(`/personal-data/${encodeURIComponent(leaver.id)}.html`, stack.gatewayUrl), { headers: dpo });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toContain("text/html");
    const page = await html.text();
    for (const text of [leaver.name, leaver.email, membershipId, "<h2>groups</h2>", "<h3>membership (1)</h3>"]) expect(page).toContain(text);
    const refused = await fetch(new URL(`/personal-data/${encodeURIComponent(leaver.id)}.html`, stack.gatewayUrl), { headers: coordinatorElsewhere });
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain(leaver.name);
    expect((await fetch(new URL(`/personal-data/${encodeURIComponent(leaver.id)}.json`, stack.gatewayUrl))).status).toBe(403);
  });

  it("is for an admin or the person's county's data protection officer: others get FORBIDDEN", async () => {
    for (const headers of [dpoElsewhere, coordinatorElsewhere]) {
      const res = await stack.query<Data>(exportQuery, { id: people["leaver"]!.id }, headers);
      expect(res.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
      const erase = await stack.query<Data>(`mutation($id: ID!) { erasePersonalData(personId: $id, reason: "x") { outcome } }`, { id: people["leaver"]!.id }, headers);
      expect(erase.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    }
    expect((await ok(`query($id: ID!) { person(id: $id) { name } }`, { id: people["leaver"]!.id })).person.name).toBe(people["leaver"]!.name);
  });

  it("refuses to erase a person with a current seat by appointment, with the reason", async () => {
    const seated = people["seated"]!;
    const erasure = (await ok(`mutation($id: ID!) { erasePersonalData(personId: $id, reason: "DP-2026-1") { outcome reason personId } }`, { id: seated.id }, dpo)).erasePersonalData;
    expect(erasure).toMatchObject({ outcome: "REFUSED", personId: seated.id });
    expect(erasure.reason).toMatch(/seat by appointment.*legal basis/);
    expect((await ok(`query($id: ID!) { person(id: $id) { name email } }`, { id: seated.id })).person).toEqual({ name: seated.name, email: seated.email });
  });

  it("erases a former member as the retention job does, with a tombstone in the change feed", async () => {
    const leaver = people["leaver"]!;
    const membershipsBefore = await sql("groups", `select * from membership where person_id = $1 order by id`, [leaver.id]);
    const erasure = (await ok(`mutation($id: ID!) { erasePersonalData(personId: $id, reason: "DP-2026-2") { outcome reason } }`, { id: leaver.id }, dpo)).erasePersonalData;
    expect(erasure).toEqual({ outcome: "ERASED", reason: "DP-2026-2" });
    for (const service of SERVICES) expect(await search(service, [leaver.name, leaver.email, leaver.phone]), service).toEqual({});
    expect(await sql("groups", `select * from membership where person_id = $1 order by id`, [leaver.id])).toEqual(membershipsBefore);
    const changes = await sql<Data>("organisations", `select operation, actor_subject, before, after from change_record where entity_type = 'Person' and entity_id = $1 order by changed_at, id`, [leaver.id]);
    expect(changes.map((c: Data) => c.operation)).toEqual(["CREATE", "UPDATE", "DELETE"]);
    expect(changes[1].after.title).toBe("(anonymised)");
    expect(changes.at(-1)).toMatchObject({ actor_subject: "pd-dpo", before: { name: "(anonymised)" } });
    const feed = await ok(`{ organisationsChangeFeed(types: ["Person"], first: 500) { events { change { entityId operation actorSubject } } } }`);
    expect(feed.organisationsChangeFeed.events.map((e: Data) => e.change)).toContainEqual({ entityId: leaver.id, operation: "DELETE", actorSubject: "pd-dpo" });
    // Asking again: nothing is left to erase.
    expect((await ok(`mutation($id: ID!) { erasePersonalData(personId: $id, reason: "DP-2026-3") { outcome } }`, { id: leaver.id }, dpo)).erasePersonalData.outcome).toBe("ALREADY_ERASED");
  });
});

describe("the register as known at an instant before the anonymisation", () => {
  it("shows an anonymised person as anonymised, to any caller, and still reads and pages them without an error", async () => {
    // Two former members: one changed between the instant and the erasure, one not (its first later change is the tombstone).
    const changed = await createPerson("knownChanged", "Muistettu Tuntematon");
    const unchanged = await createPerson("knownUnchanged", "Kadonnut Salanimi");
    await recordMembership(changed, "2023-01-01", "2024-12-31");
    await recordMembership(unchanged, "2023-01-01", "2024-12-31");
    const titles = { [changed]: "Salainen Nimike", [unchanged]: "Piilotettu Tehtävä" };
    for (const [id, title] of Object.entries(titles)) {
      await ok(`mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }`, { id, input: { title } });
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    const instant = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ok(`mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }`, { id: changed, input: { phone: "+358 50 7654321" } });
    for (const id of [changed, unchanged]) {
      expect((await ok(`mutation($id: ID!) { erasePersonalData(personId: $id, reason: "DP-2026-9") { outcome } }`, { id }, dpo)).erasePersonalData.outcome).toBe("ERASED");
    }
    // Everything the anonymisation removed: names (and each part), e-mails, phones, titles.
    const removed = [changed, unchanged].flatMap((id) => {
      const p = Object.values(people).find((q) => q.id === id)!;
      return [p.name, ...p.name.split(" "), p.email, p.phone, titles[id]!, ...titles[id]!.split(" ")];
    });
    removed.push("+358 50 7654321");
    const revealed = (answer: unknown) => removed.filter((value) => JSON.stringify(answer).includes(value));

    const anonymous = {};
    for (const [who, headers, fields] of [
      ["admin with contacts:read", admin, "id name title email phone organisation { id }"],
      ["anonymous", anonymous, "id name title organisation { id }"],
    ] as const) {
      const at = { ...headers, "known-at": instant };
      for (const id of [changed, unchanged]) {
        const res = await stack.query<Data>(`query($id: ID!) { person(id: $id) { ${fields} } }`, { id }, at);
        expect(res.errors, `${who} ${id}`).toBeUndefined();
        expect(res.data.person, `${who} ${id}`).toMatchObject({ id, name: "(anonymised)", organisation: { id: ORG } });
        expect(revealed(res), `${who} ${id}`).toEqual([]);
        // Rebuilt from the tombstone: cleared; from an earlier change whose values the anonymisation replaced: "(anonymised)".
        const cleared = id === unchanged ? null : "(anonymised)";
        expect(res.data.person.title, `${who} ${id}`).toBe(cleared);
        if (headers === admin) expect([res.data.person.email, res.data.person.phone], `${who} ${id}`).toEqual([cleared, cleared]);
      }
      // The role history still names them, as anonymised.
      const group = await stack.query<Data>(`query($id: ID!) { cooperationGroup(id: $id) { memberships(history: true) { person { id name title } } } }`, { id: GroupKeys.pkKeskinen }, at);
      expect(group.errors, who).toBeUndefined();
      const members = group.data.cooperationGroup.memberships.map((m: Data) => m.person).filter((p: Data) => p && [changed, unchanged].includes(p.id));
      expect(members.map((p: Data) => p.name), who).toEqual(["(anonymised)", "(anonymised)"]);
      expect(revealed(group), who).toEqual([]);
      // Not found by a name they had.
      for (const name of ["Tuntematon", "Salanimi"]) {
        const search = await stack.query<Data>(`query($s: String!) { people(search: $s) { totalCount } }`, { s: name }, at);
        expect(search.errors, who).toBeUndefined();
        expect(search.data.people.totalCount, `${who} ${name}`).toBe(0);
      }
      // The organisation's people, one a page: every cursor, theirs included, leads to the next page.
      const seen: string[] = [];
      let after: string | null = null;
      let total = -1;
      for (let page = 0; page < 200; page++) {
        const res: { data?: Data; errors?: unknown } = await stack.query<Data>(
          `query($org: ID!, $after: String) { people(organisationId: $org, first: 1, after: $after) { totalCount edges { node { id name } } pageInfo { hasNextPage endCursor } } }`,
          { org: ORG, after },
          at,
        );
        expect(res.errors, `${who} page ${page}`).toBeUndefined();
        total = res.data.people.totalCount;
        seen.push(...res.data.people.edges.map((e: Data) => e.node.id));
        expect(revealed(res), who).toEqual([]);
        if (!res.data.people.pageInfo.hasNextPage) break;
        after = res.data.people.pageInfo.endCursor;
      }
      expect(seen, who).toEqual(expect.arrayContaining([changed, unchanged]));
      expect(new Set(seen).size, who).toBe(seen.length);
      expect(seen.length, who).toBe(total);
    }
  });
});
