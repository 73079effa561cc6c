import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, helsinkiToday, mintUserToken, OrganisationKeys } from "@yhdyspinta/core";
import { bearer, seedPeople, serviceSql, startTestStack, totalStatements, type TestStack } from "./support.ts";

// Terms as data and the renewal of a group's composition, through the
// gateway: the seeded terms, a renewal of Pirkanmaa's järjestöyhteistyöryhmä
// into the 2025–2029 council term with carry-over, the county scope, 20
// parallel renewals, bad input with nothing written, and the termsEnding alert.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

let stack: TestStack;
let admin: Record<string, string>;
let coordinator08: Record<string, string>;
let coordinator14: Record<string, string>;
let nextPerson: () => string;

const PIRHA = GroupKeys.pirhaJyry;
const PIRHA_TERM = `group-term-${PIRHA}-2022-2025`;
const seat = (n: number) => `${PIRHA}-seat-${n}`;

const RENEW = `mutation($input: RenewCooperationGroupInput!) { renewCooperationGroup(input: $input) { id startsOn endsOn appointedOn renewing term { id } previous { id } round { id opensOn closesOn nominators { id } groups { id } } } }`;
const APPOINT = `mutation($input: AppointGroupTermInput!) { appointGroupTerm(input: $input) { id appointedOn renewing } }`;
const CREATE_TERM = `mutation($input: CreateTermInput!) { createTerm(input: $input) { id kind label startsOn endsOn county { code } group { id } } }`;
const RECORD = `mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`;
const CHANGES = `changes { totalCount edges { node { operation actorSubject entityType after } } }`;

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function ok(query: string, variables: Record<string, unknown>, headers = admin): Promise<Data> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

/** The error of a refused write: its code and the field it names. */
async function refused(query: string, variables: Record<string, unknown>, headers = coordinator08): Promise<{ code: string; field: unknown }> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors).toHaveLength(1);
  const extensions = res.errors?.[0]?.extensions ?? {};
  return { code: String(extensions["code"]), field: extensions["field"] };
}

/** Rows every term write touches: a refused write must leave all of them as they were. */
async function written(): Promise<string> {
  const [row] = await serviceSql<Data>(
    stack,
    "groups",
    `select (select count(*) from term) as terms, (select count(*) from group_term) as group_terms, (select count(*) from nomination_round) as rounds,
            (select count(*) from change_record) as changes, (select string_agg(id || ':' || coalesce(ends_on::text, '-') || ':' || carry_over, ',' order by id) from membership) as memberships,
            (select string_agg(id || ':' || coalesce(ends_on::text, '-'), ',' order by id) from group_seat) as seats`,
  );
  return JSON.stringify(row);
}

beforeAll(async () => {
  stack = await startTestStack("terms");
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "terms-admin", scope: "data:write", role: "admin" }));
  coordinator08 = bearer(await mintUserToken(stack.authSecret, { sub: "terms-coord-08", scope: "data:write", role: "coordinator", counties: ["08"] }));
  coordinator14 = bearer(await mintUserToken(stack.authSecret, { sub: "terms-coord-14", scope: "data:write", role: "coordinator", counties: ["14"] }));
  nextPerson = await seedPeople(stack, "terms", 40, OrganisationKeys.pirha);
});

afterAll(async () => {
  await stack?.stop();
});

describe("terms from the seeds", () => {
  it("has the council terms as reference data with their sources", async () => {
    const data = await ok(`{ terms { id kind label startsOn endsOn electedOn source county { code } } }`, {});
    const byId = Object.fromEntries(data.terms.map((t: Data) => [t.id, t]));
    expect(byId["county-council-2022-2025"]).toMatchObject({ kind: "COUNTY_COUNCIL", startsOn: "2022-03-01", endsOn: "2025-05-31", county: null });
    expect(byId["municipal-council-2021-2025"]).toMatchObject({ kind: "MUNICIPAL_COUNCIL", startsOn: "2021-08-01", endsOn: "2025-05-31" });
    for (const id of ["county-council-2025-2029", "municipal-council-2025-2029"]) {
      expect(byId[id]).toMatchObject({ startsOn: "2025-06-01", endsOn: "2029-05-31", electedOn: "2025-04-13" });
    }
    for (const t of data.terms) expect(t.source).toMatch(/\S/);
    expect((await ok(`{ councilTermMigrationIssues { councilTerm } }`, {})).councilTermMigrationIssues).toEqual([]);
  });

  it("reads Pirkanmaa's järjestöyhteistyöryhmä as ended, not current, and Pohjois-Karjala's groups as serving since 2024", async () => {
    const data = await ok(
      `query($pirha: ID!, $pk: ID!) {
        pirha: cooperationGroup(id: $pirha) { councilTerm termEndsOn termStatus currentTerm { id } then: termStatus(activeOn: "2024-06-01")
          terms { id startsOn endsOn term { id } round { id } } }
        pk: cooperationGroup(id: $pk) { termStatus before: termStatus(activeOn: "2023-12-31") currentTerm { startsOn endsOn term { kind startsOn endsOn source } } seats { term { id } } }
      }`,
      { pirha: PIRHA, pk: GroupKeys.pkKeskinen },
    );
    expect(data.pirha).toMatchObject({ councilTerm: "2022–2025", termEndsOn: "2025-05-31", termStatus: "ENDED", currentTerm: null, then: "SERVING" });
    expect(data.pirha.terms).toEqual([{ id: PIRHA_TERM, startsOn: "2023-12-19", endsOn: "2025-05-31", term: { id: "county-council-2022-2025" }, round: { id: "round-pirha-jyry-2023" } }]);
    expect(data.pk).toMatchObject({ termStatus: "SERVING", before: "UPCOMING", currentTerm: { startsOn: "2024-01-01", endsOn: null, term: { kind: "CUSTOM", startsOn: "2024-01-01", endsOn: null } } });
    expect(data.pk.currentTerm.term.source).toContain("2024");
    expect(new Set(data.pk.seats.map((s: Data) => s.term?.id))).toEqual(new Set([`group-term-${GroupKeys.pkKeskinen}-2024`]));
  });
});

describe("bad input and another county: refused, nothing written", () => {
  it("answers BAD_USER_INPUT naming the field for each rule", async () => {
    const endedGroup = (
      await ok(`mutation($input: CreateCooperationGroupInput!) { createCooperationGroup(input: $input) { id } }`, {
        input: { countyCode: "08", name: "Päättynyt testiryhmä", kind: "COOPERATION_GROUP", startsOn: "2023-01-01" },
      }, coordinator08)
    ).createCooperationGroup.id;
    await ok(`mutation($id: ID!) { endCooperationGroup(input: { groupId: $id, endsOn: "2024-12-31" }) { id } }`, { id: endedGroup }, coordinator08);
    await ok(CREATE_TERM, { input: { groupId: PIRHA, kind: "CUSTOM", label: "Oma kausi 2030", startsOn: "2030-01-01", endsOn: "2030-12-31" } }, coordinator08);

    const before = await written();
    const renew = (input: Record<string, unknown>) => refused(RENEW, { input: { groupId: PIRHA, termId: "county-council-2025-2029", ...input } });
    expect(await renew({ termId: "no-such-term" })).toEqual({ code: "BAD_USER_INPUT", field: "input.termId" });
    expect(await renew({ groupId: endedGroup })).toEqual({ code: "BAD_USER_INPUT", field: "input.groupId" });
    expect(await renew({ termId: "county-council-2022-2025" })).toEqual({ code: "BAD_USER_INPUT", field: "input.termId" });
    expect(await renew({ startsOn: "2024-01-01" })).toEqual({ code: "BAD_USER_INPUT", field: "input.startsOn" });
    expect(await renew({ carryOverEndsOn: "2025-05-01" })).toEqual({ code: "BAD_USER_INPUT", field: "input.carryOverEndsOn" });
    expect(await renew({ seats: [{ seatId: "seat-of-nobody", end: true }] })).toEqual({ code: "BAD_USER_INPUT", field: "input.seats" });
    expect(await renew({ round: { name: "Haku", kind: "OPEN_CALL", opensOn: "2025-08-01", closesOn: "2025-07-01" } })).toEqual({ code: "BAD_USER_INPUT", field: "input.closesOn" });
    const term = (input: Record<string, unknown>) => refused(CREATE_TERM, { input: { groupId: PIRHA, kind: "CUSTOM", label: "Testikausi", ...input } });
    expect(await term({ startsOn: "2031-06-01", endsOn: "2031-05-31" })).toEqual({ code: "BAD_USER_INPUT", field: "input.endsOn" });
    expect(await term({ startsOn: "2030-06-01", endsOn: "2031-05-31" })).toEqual({ code: "BAD_USER_INPUT", field: "input.startsOn" });
    expect(await term({ startsOn: "2026-01-01", kind: "COUNTY_COUNCIL" })).toEqual({ code: "BAD_USER_INPUT", field: "input.kind" });
    expect(await term({ startsOn: "2026-01-01", kind: "HALF_TERM", parentId: "county-council-2025-2029", endsOn: "2030-01-01" })).toEqual({ code: "BAD_USER_INPUT", field: "input.parentId" });
    expect(await refused(APPOINT, { input: { groupTermId: PIRHA_TERM, appointedOn: "2025-06-01" } })).toEqual({ code: "BAD_USER_INPUT", field: "input.groupTermId" });
    expect(await refused(APPOINT, { input: { groupTermId: "no-such-group-term", appointedOn: "2025-06-01" } })).toEqual({ code: "BAD_USER_INPUT", field: "input.groupTermId" });
    const days = await stack.query<Data>(`{ termsEnding(withinDays: -1) { id } }`, {});
    expect(days.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "withinDays" });
    const counties = await stack.query<Data>(`{ termsEnding(withinDays: 30, countyCodes: ["8"]) { id } }`, {});
    expect(counties.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "countyCodes" });
    expect(await written()).toBe(before);
  });

  it("refuses another county's coordinator with FORBIDDEN", async () => {
    const before = await written();
    const res = await stack.query<Data>(RENEW, { input: { groupId: PIRHA, termId: "county-council-2025-2029" } }, coordinator14);
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const term = await stack.query<Data>(CREATE_TERM, { input: { groupId: PIRHA, kind: "CUSTOM", label: "Vieras", startsOn: "2032-01-01" } }, coordinator14);
    expect(term.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await written()).toBe(before);
  });
});

describe("renewing Pirkanmaa's järjestöyhteistyöryhmä into 2025–2029 with carry-over", () => {
  const members: Record<string, string> = {};
  let renewed: Data;

  beforeAll(async () => {
    for (const [key, n] of [["a", 1], ["b", 2], ["c", 3]] as const) {
      const input = { groupId: PIRHA, personId: (members[`${key}Person`] = nextPerson()), organisationId: OrganisationKeys.pirha, role: "MEMBER", startsOn: "2024-01-01", seatId: seat(n) };
      members[key] = (await ok(RECORD, { input }, coordinator08)).recordMembership.id;
    }
  });

  it("20 parallel renewals of the group start one next term; the others are refused naming the term", async () => {
    const input = {
      groupId: PIRHA,
      termId: "county-council-2025-2029",
      seats: [{ seatId: seat(3), end: true }, { seatId: seat(2), maxMembers: 2 }],
      round: { name: "Haku järjestöyhteistyöryhmään 2025–2029", kind: "OPEN_CALL", opensOn: "2025-06-02", closesOn: "2025-08-15" },
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => stack.query<Data>(RENEW, { input }, coordinator08)));
    const done = results.filter((r) => !r.errors);
    expect(done).toHaveLength(1);
    for (const r of results.filter((x) => x.errors)) expect(r.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.termId" });
    renewed = done[0]!.data!.renewCooperationGroup;
    expect(renewed).toMatchObject({ startsOn: "2025-06-01", endsOn: "2029-05-31", appointedOn: null, renewing: true, term: { id: "county-council-2025-2029" }, previous: { id: PIRHA_TERM } });
    // The round asks the 19 association categories of the group's earlier round.
    expect(renewed.round).toMatchObject({ opensOn: "2025-06-02", closesOn: "2025-08-15", groups: [{ id: PIRHA }] });
    expect(renewed.round.nominators).toHaveLength(19);
    const [row] = await serviceSql<Data>(stack, "groups", `select count(*)::int as n from group_term where group_id = $1`, [PIRHA]);
    expect(row.n).toBe(2);
  });

  it("ends, changes and carries over seats, and keeps the deprecated fields working", async () => {
    const data = await ok(
      `query($id: ID!) { cooperationGroup(id: $id) { councilTerm termEndsOn termStatus seats { id label maxMembers endsOn term { id } } } }`,
      { id: PIRHA },
    );
    const g = data.cooperationGroup;
    expect(g).toMatchObject({ councilTerm: "2025–2029", termEndsOn: "2029-05-31", termStatus: "CARRY_OVER" });
    const byId = new Map<string, Data>(g.seats.map((s: Data) => [s.id, s]));
    expect(byId.get(seat(1))).toMatchObject({ endsOn: null, term: { id: PIRHA_TERM } });
    expect(byId.get(seat(2))).toMatchObject({ endsOn: "2025-05-31", maxMembers: 1 });
    expect(byId.get(seat(3))).toMatchObject({ endsOn: "2025-05-31" });
    const successor = g.seats.filter((s: Data) => s.term?.id === renewed.id);
    expect(successor).toHaveLength(1);
    expect(successor[0]).toMatchObject({ label: byId.get(seat(2)).label, maxMembers: 2, endsOn: null });
  });

  it("answers the composition for 31.5.2025, 1.6.2025 and today", async () => {
    const newMember = nextPerson();
    await ok(RECORD, { input: { groupId: PIRHA, personId: newMember, organisationId: OrganisationKeys.pirha, role: "MEMBER", startsOn: "2025-09-01", seatId: seat(1) } }, coordinator08);
    const appointed = (await ok(APPOINT, { input: { groupTermId: renewed.id, appointedOn: "2025-09-01" } }, coordinator08)).appointGroupTerm;
    expect(appointed).toEqual({ id: renewed.id, appointedOn: "2025-09-01", renewing: false });
    expect(await refused(APPOINT, { input: { groupTermId: renewed.id, appointedOn: "2025-10-01" } })).toEqual({ code: "BAD_USER_INPUT", field: "input.groupTermId" });

    const M = `id carriedOver carryOverEndsOn endsOn person { id } term { id }`;
    const data = await ok(
      `query($id: ID!) { cooperationGroup(id: $id) {
        last: memberships(activeOn: "2025-05-31") { ${M} }
        first: memberships(activeOn: "2025-06-01") { ${M} }
        eve: memberships(activeOn: "2025-08-31") { ${M} }
        today: memberships { ${M} }
        s1: termStatus(activeOn: "2025-05-31") s2: termStatus(activeOn: "2025-06-01") s3: termStatus
      } }`,
      { id: PIRHA },
    );
    const g = data.cooperationGroup;
    const people = (list: Data[]) => list.map((m) => `${m.person.id}${m.carriedOver ? " (carried over)" : ""}`).sort();
    const coordinator = "person-iiris-aholainen";
    // 31.5.2025: the first term's composition, as it sat.
    expect(people(g.last)).toEqual([coordinator, members["aPerson"], members["bPerson"], members["cPerson"]].sort());
    // 1.6.2025: the same members serve on, carried over (not the one whose seat ended).
    expect(people(g.first)).toEqual([coordinator, members["aPerson"], members["bPerson"]].map((p) => `${p} (carried over)`).sort());
    expect(people(g.eve)).toEqual(people(g.first));
    for (const m of g.first) expect(m).toMatchObject({ endsOn: "2025-05-31", carryOverEndsOn: "2025-08-31", term: { id: PIRHA_TERM } });
    // Today: the appointed composition of 2025–2029.
    expect(g.today).toHaveLength(1);
    expect(g.today[0]).toMatchObject({ carriedOver: false, person: { id: newMember }, term: { id: renewed.id } });
    expect([g.s1, g.s2, g.s3]).toEqual(["SERVING", "CARRY_OVER", "SERVING"]);
  });

  it("audits the renewal, the appointment and a new term", async () => {
    const data = await ok(`query($id: ID!) { cooperationGroup(id: $id) { terms { id ${CHANGES} } } }`, { id: PIRHA });
    const next = data.cooperationGroup.terms.find((t: Data) => t.id === renewed.id);
    expect(next.changes.edges.map((e: Data) => e.node.operation).sort()).toEqual(["CREATE", "UPDATE"]);
    for (const e of next.changes.edges) expect(e.node).toMatchObject({ actorSubject: "terms-coord-08", entityType: "GroupTerm" });
    const membership = await ok(`query($id: ID!) { cooperationGroup(id: $id) { memberships(history: true) { id ${CHANGES} } } }`, { id: PIRHA });
    const a = membership.cooperationGroup.memberships.find((m: Data) => m.id === members["a"]);
    expect(a.changes.edges.some((e: Data) => e.node.operation === "UPDATE" && e.node.after.carryOver === true)).toBe(true);
    const created = (await ok(CREATE_TERM, { input: { groupId: PIRHA, kind: "HALF_TERM", label: "Puolikas 2027–2029", startsOn: "2027-06-01", endsOn: "2029-05-31", parentId: "county-council-2025-2029" } }, coordinator08)).createTerm;
    expect(created).toMatchObject({ kind: "HALF_TERM", county: { code: "08" }, group: { id: PIRHA } });
    const audited = await serviceSql<Data>(stack, "groups", `select operation, actor_subject from change_record where entity_type = 'Term' and entity_id = $1`, [created.id]);
    expect(audited).toEqual([{ operation: "CREATE", actor_subject: "terms-coord-08" }]);
  });
});

describe("termsEnding", () => {
  const today = helsinkiToday();

  /** A group of `county` whose own term ends in `days` days. */
  async function groupEndingIn(county: string, days: number, n: number): Promise<string> {
    const headers = county === "08" ? coordinator08 : coordinator14;
    const id = (
      await ok(`mutation($input: CreateCooperationGroupInput!) { createCooperationGroup(input: $input) { id } }`, {
        input: { countyCode: county, name: `Päättyvä ryhmä ${county}-${n}`, kind: "COOPERATION_GROUP" },
      }, headers)
    ).createCooperationGroup.id as string;
    const term = (await ok(CREATE_TERM, { input: { groupId: id, kind: "CUSTOM", label: "Toimikausi", startsOn: addDays(today, -100), endsOn: addDays(today, days) } }, headers)).createTerm.id;
    return (await ok(RENEW, { input: { groupId: id, termId: term } }, headers)).renewCooperationGroup.id as string;
  }

  const ENDING = `query($days: Int!, $counties: [ID!]) { termsEnding(withinDays: $days, countyCodes: $counties) { id endsOn renewing group { id name county { code } } term { id label } } }`;

  it("lists the terms ending within N days per county and across counties, without N+1", async () => {
    const first14 = await groupEndingIn("14", 10, 0);
    const later14 = await groupEndingIn("14", 40, 1);
    const first08 = await groupEndingIn("08", 5, 0);
    const ids = async (days: number, counties: string[] | null) => (await ok(ENDING, { days, counties })).termsEnding.map((t: Data) => t.id);
    // The seeded terms: Pirkanmaa's ended before today and its next one ends in 2029; Pohjois-Karjala's state no end.
    expect(await ids(30, ["14"])).toEqual([first14]);
    expect(await ids(30, ["08"])).toEqual([first08]);
    expect(await ids(30, null)).toEqual([first08, first14]);
    expect(await ids(45, ["14", "08"])).toEqual([first08, first14, later14]);
    expect(await ids(4, null)).toEqual([]);

    const count = async (): Promise<number> => {
      await stack.resetStats();
      const data = await ok(ENDING, { days: 3660, counties: ["14", "08"] });
      expect(data.termsEnding.every((t: Data) => t.group.county.code && t.term.label)).toBe(true);
      return totalStatements(await stack.stats());
    };
    const at1 = await count();
    for (let n = 2; n < 11; n += 1) await groupEndingIn(n % 2 ? "14" : "08", 20 + n, n);
    const at10 = await count();
    expect((await ok(ENDING, { days: 3660, counties: null })).termsEnding.length).toBeGreaterThanOrEqual(12);
    expect(at10).toBe(at1);
  });
});
