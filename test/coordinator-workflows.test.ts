import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, mintUserToken } from "@yhdyspinta/core";
import { bearer, QUEUED_WRITE_BOUNDS, seedPeople, startTestStack, type TestStack } from "./support.ts";

/**
 * The coordinator workflows the seeds describe, end to end through the
 * gateway: each checks the outcome, that another county's coordinator gets
 * FORBIDDEN, and that a bad input is BAD_USER_INPUT naming the field with no
 * row changed.
 */

let stack: TestStack;
let admin: Record<string, string>;
let coordinator14: Record<string, string>;
let coordinator08: Record<string, string>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;
interface Result {
  data?: Data;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

/** People written straight into the organisations database (references are checked on write). */
let person: () => string;

beforeAll(async () => {
  stack = await startTestStack("flows", { env: { ...QUEUED_WRITE_BOUNDS } });
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "admin-1", scope: "data:write", role: "admin" }));
  coordinator14 = bearer(
    await mintUserToken(stack.authSecret, { sub: "coordinator-14", scope: "data:write", role: "coordinator", counties: ["14"] }),
  );
  coordinator08 = bearer(
    await mintUserToken(stack.authSecret, { sub: "coordinator-08", scope: "data:write", role: "coordinator", counties: ["08"] }),
  );
  person = await seedPeople(stack, "flows", 80);
});

afterAll(async () => {
  await stack?.stop();
});

const q = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = admin): Promise<Result> =>
  stack.query<Data>(query, variables, headers);

/** Data of a successful response (fails the test with the errors otherwise). */
async function ok(query: string, variables: Record<string, unknown>, headers: Record<string, string> = admin): Promise<Data> {
  const res = await q(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

function expectForbidden(res: Result, county: string): void {
  expect(res.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
  expect(res.errors![0]!.message).toContain(`county ${county}`);
}

function expectBadInput(res: Result, field: string, rule: string | RegExp): void {
  expect(res.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
  expect(res.errors![0]!.extensions!["field"]).toBe(field);
  if (typeof rule === "string") expect(res.errors![0]!.message).toContain(rule);
  else expect(res.errors![0]!.message).toMatch(rule);
}

const OPEN = `mutation($input: OpenNominationRoundInput!) { openNominationRound(input: $input) { id } }`;
const EDIT = `mutation($input: EditNominationRoundInput!) { editNominationRound(input: $input) { id closesOn maxPerNominator } }`;
const CLOSE = `mutation($id: ID!) {
  closeNominationRound(roundId: $id) { round { id closedAt } shortfalls { nominator { municipality { code } } named minimum } }
}`;
const SUBMIT = `mutation($input: SubmitNominationInput!) { submitNomination(input: $input) { id status } }`;
const ROUND = `query($id: ID!) {
  nominationRound(id: $id) {
    id name kind opensOn closesOn submitTo minPerNominator maxPerNominator closedAt county { code }
    groups { id }
    nominators { municipality { code } group { id } }
    nominations { id status person { id } statusHistory { status changedBy note changedAt } membership { id } }
  }
}`;
const DECIDE = (verb: "accept" | "reject" | "withdraw") =>
  `mutation($input: DecideNominationInput!) { ${verb}Nomination(input: $input) { id status } }`;
const APPOINT = `mutation($input: AppointNominationInput!) { appointNomination(input: $input) { id role seat { id } person { id } } }`;
const RECORD = `mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`;
const CREATE_SEAT = `mutation($input: CreateGroupSeatInput!) { createGroupSeat(input: $input) { id label maxMembers endsOn } }`;

async function openRound(overrides: Record<string, unknown> = {}, headers = coordinator14): Promise<string> {
  const data = await ok(
    OPEN,
    {
      input: {
        countyCode: "14",
        name: "Edustajien nimeäminen keskiseen kumppanuusryhmään",
        kind: "NOMINATION_REQUEST",
        opensOn: "2024-01-01",
        closesOn: "2024-02-28",
        submitTo: "kirjaamo@siunsote.fi",
        submissionMethod: "kirjallinen ilmoitus",
        minPerNominator: 1,
        maxPerNominator: 3,
        groupIds: [GroupKeys.pkKeskinen],
        nominators: [{ municipalityCode: "167" }, { municipalityCode: "276" }],
        ...overrides,
      },
    },
    headers,
  );
  return data.openNominationRound.id;
}

async function submit(roundId: string, municipalityCode: string, personId = person(), headers = coordinator14): Promise<string> {
  const data = await ok(SUBMIT, { input: { roundId, municipalityCode, personId, organisationId: `org-municipality-${municipalityCode}`, submittedOn: "2024-02-01" } }, headers);
  return data.submitNomination.id;
}

const round = async (id: string): Promise<Data> => (await ok(ROUND, { id })).nominationRound;
const roundCount = async (): Promise<number> => (await ok(`{ nominationRounds(countyCode: "14") { id } }`, {})).nominationRounds.length;

let seats = 0;
async function seat(groupId: string, maxMembers: number | null, headers = coordinator14): Promise<string> {
  const data = await ok(CREATE_SEAT, { input: { groupId, constituency: "SECTOR", label: `Paikka ${++seats}`, maxMembers, deputies: 1 } }, headers);
  return data.createGroupSeat.id;
}

describe("nomination rounds", () => {
  it("opens a round with window, nominators, limits and submit-to; refuses another county's coordinator and a window ending before it opens", async () => {
    const before = await roundCount();
    const forbidden = await q(OPEN, { input: { countyCode: "14", name: "X", kind: "NOMINATION_REQUEST", closesOn: "2024-02-28", groupIds: [GroupKeys.pkKeskinen], nominators: [{ municipalityCode: "167" }] } }, coordinator08);
    expectForbidden(forbidden, "14");
    const backwards = await q(OPEN, { input: { countyCode: "14", name: "X", kind: "NOMINATION_REQUEST", opensOn: "2024-03-01", closesOn: "2024-02-28", groupIds: [GroupKeys.pkKeskinen], nominators: [{ municipalityCode: "167" }] } }, coordinator14);
    expectBadInput(backwards, "input.closesOn", "must not be before opensOn");
    const foreignGroup = await q(OPEN, { input: { countyCode: "14", name: "X", kind: "NOMINATION_REQUEST", closesOn: "2024-02-28", groupIds: [GroupKeys.pirhaJyry], nominators: [{ municipalityCode: "167" }] } }, coordinator14);
    expectBadInput(foreignGroup, "input.groupIds", "belongs to county 08");
    const twice = await q(OPEN, { input: { countyCode: "14", name: "X", kind: "NOMINATION_REQUEST", closesOn: "2024-02-28", groupIds: [GroupKeys.pkKeskinen], nominators: [{ municipalityCode: "167" }, { municipalityCode: "167" }] } }, coordinator14);
    expectBadInput(twice, "input.nominators", "asked more than once");
    const unknown = await q(OPEN, { input: { countyCode: "14", name: "X", kind: "NOMINATION_REQUEST", closesOn: "2024-02-28", groupIds: [GroupKeys.pkKeskinen], nominators: [{ municipalityCode: "999" }] } }, coordinator14);
    expectBadInput(unknown, "input.nominators", "999");
    expect(await roundCount()).toBe(before);

    const id = await openRound();
    expect(await roundCount()).toBe(before + 1);
    const r = await round(id);
    expect(r).toMatchObject({
      kind: "NOMINATION_REQUEST",
      opensOn: "2024-01-01",
      closesOn: "2024-02-28",
      submitTo: "kirjaamo@siunsote.fi",
      minPerNominator: 1,
      maxPerNominator: 3,
      closedAt: null,
      county: { code: "14" },
      groups: [{ id: GroupKeys.pkKeskinen }],
    });
    expect(r.nominators.map((n: Data) => [n.municipality.code, n.group.id])).toEqual([
      ["167", GroupKeys.pkKeskinen],
      ["276", GroupKeys.pkKeskinen],
    ]);
  });

  it("edits a round: window and further nominators; a maximum below what a nominator named is refused; another county's coordinator is refused", async () => {
    const id = await openRound({ minPerNominator: 2 });
    for (let i = 0; i < 3; i++) await submit(id, "167");
    const edited = await ok(EDIT, { input: { roundId: id, closesOn: "2024-03-15", addNominators: [{ municipalityCode: "146" }] } }, coordinator14);
    expect(edited.editNominationRound.closesOn).toBe("2024-03-15");
    expect((await round(id)).nominators.map((n: Data) => n.municipality.code)).toEqual(["167", "276", "146"]);

    const lowered = await q(EDIT, { input: { roundId: id, maxPerNominator: 2 } }, coordinator14);
    expectBadInput(lowered, "input.maxPerNominator", "already named 3 members");
    const again = await q(EDIT, { input: { roundId: id, addNominators: [{ municipalityCode: "276" }] } }, coordinator14);
    expectBadInput(again, "input.addNominators", "276 is asked more than once");
    const forbidden = await q(EDIT, { input: { roundId: id, closesOn: "2024-04-01" } }, coordinator08);
    expectForbidden(forbidden, "14");
    const after = await round(id);
    expect(after.maxPerNominator).toBe(3);
    expect(after.closesOn).toBe("2024-03-15");
    expect(after.nominators).toHaveLength(3);
  });

  it("a round closed early is not open from the day of the close on, and was open on the days before it", async () => {
    const id = await openRound({ opensOn: "2024-01-01", closesOn: "2099-12-31" });
    const IS_OPEN = `query($id: ID!, $before: Date!) { nominationRound(id: $id) { before: isOpen(activeOn: $before) today: isOpen } }`;
    const openRounds = async () =>
      (await ok(`query { nominationRounds(countyCode: "14", open: true) { id } }`, {}, coordinator14)).nominationRounds.map((r: { id: string }) => r.id);
    expect((await ok(IS_OPEN, { id, before: "2024-02-01" }, coordinator14)).nominationRound).toEqual({ before: true, today: true });
    expect(await openRounds()).toContain(id);
    await ok(CLOSE, { id }, coordinator14);
    expect((await ok(IS_OPEN, { id, before: "2024-02-01" }, coordinator14)).nominationRound).toEqual({ before: true, today: false });
    expect(await openRounds()).not.toContain(id);
  });

  it("closes a round: reports nominators below the minimum, then refuses submissions, edits and a second close", async () => {
    const id = await openRound({ minPerNominator: 2, nominators: [{ municipalityCode: "167" }, { municipalityCode: "276" }, { municipalityCode: "146" }] });
    await submit(id, "167");
    await submit(id, "167");
    await submit(id, "276");
    const withdrawn = await submit(id, "146");
    await ok(DECIDE("withdraw"), { input: { nominationId: withdrawn } }, coordinator14);
    expectForbidden(await q(CLOSE, { id }, coordinator08), "14");
    expect((await round(id)).closedAt).toBeNull();

    const closed = (await ok(CLOSE, { id }, coordinator14)).closeNominationRound;
    expect(closed.round.closedAt).toEqual(expect.any(String));
    expect(closed.shortfalls).toEqual([
      { nominator: { municipality: { code: "276" } }, named: 1, minimum: 2 },
      { nominator: { municipality: { code: "146" } }, named: 0, minimum: 2 },
    ]);
    const nominations = (await round(id)).nominations.length;
    expectBadInput(await q(SUBMIT, { input: { roundId: id, municipalityCode: "276", personId: person(), submittedOn: "2024-02-02" } }, coordinator14), "input.roundId", "the round was closed");
    expectBadInput(await q(EDIT, { input: { roundId: id, closesOn: "2024-04-01" } }, coordinator14), "input.roundId", "the round was closed");
    expectBadInput(await q(CLOSE, { id }, coordinator14), "roundId", "the round was closed");
    expect((await round(id)).nominations).toHaveLength(nominations);
  });

  it("closes a round once when 10 coordinators close it in parallel with 10 submissions: every accepted submission precedes the close", async () => {
    const id = await openRound({ maxPerNominator: 20 });
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => q(CLOSE, { id }, coordinator14)),
      ...Array.from({ length: 10 }, () => q(SUBMIT, { input: { roundId: id, municipalityCode: "167", personId: person(), submittedOn: "2024-02-01" } }, coordinator14)),
    ]);
    const closes = results.slice(0, 10);
    expect(closes.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of closes.filter((x) => x.errors)) expectBadInput(r, "roundId", "the round was closed");
    const submitted = results.slice(10).filter((r) => !r.errors).length;
    for (const r of results.slice(10).filter((x) => x.errors)) expectBadInput(r, "input.roundId", "the round was closed");
    const closure = closes.find((r) => !r.errors)!.data.closeNominationRound;
    // The minimum is 1: 167 is short exactly when no submission got in before the close; 276 never nominated.
    const short = closure.shortfalls.map((s: Data) => s.nominator.municipality.code);
    expect(short).toEqual(submitted === 0 ? ["167", "276"] : ["276"]);
    expect((await round(id)).nominations).toHaveLength(submitted);
  });
});

describe("nominations: accept, reject, withdraw with a status history", () => {
  it("records who set which status when, with a note; refuses a step the status does not allow and another county's coordinator", async () => {
    const id = await openRound({ maxPerNominator: 3 });
    const [a, b, c] = [await submit(id, "167"), await submit(id, "167"), await submit(id, "167")];
    expect((await ok(DECIDE("accept"), { input: { nominationId: a, note: "Hyvinvointialuejohtajan päätös 12/2024" } }, coordinator14)).acceptNomination.status).toBe("ACCEPTED");
    expect((await ok(DECIDE("reject"), { input: { nominationId: b, note: "Ei työntekijä" } }, admin)).rejectNomination.status).toBe("REJECTED");
    expect((await ok(DECIDE("withdraw"), { input: { nominationId: c } }, coordinator14)).withdrawNomination.status).toBe("WITHDRAWN");

    expectForbidden(await q(DECIDE("withdraw"), { input: { nominationId: a } }, coordinator08), "14");
    expectBadInput(await q(DECIDE("accept"), { input: { nominationId: b } }, coordinator14), "input.nominationId", "a REJECTED nomination cannot become ACCEPTED");
    expectBadInput(await q(DECIDE("reject"), { input: { nominationId: "nomination-nope" } }, coordinator14), "input.nominationId", "no nomination");

    const byId = new Map((await round(id)).nominations.map((n: Data) => [n.id, n]));
    const history = (n: string) => (byId.get(n) as Data).statusHistory.map((h: Data) => [h.status, h.changedBy, h.note]);
    expect(history(a)).toEqual([["SUBMITTED", "coordinator-14", null], ["ACCEPTED", "coordinator-14", "Hyvinvointialuejohtajan päätös 12/2024"]]);
    expect(history(b)).toEqual([["SUBMITTED", "coordinator-14", null], ["REJECTED", "admin-1", "Ei työntekijä"]]);
    expect(history(c)).toEqual([["SUBMITTED", "coordinator-14", null], ["WITHDRAWN", "coordinator-14", null]]);
    const times = (byId.get(a) as Data).statusHistory.map((h: Data) => Date.parse(h.changedAt));
    expect(times[1]).toBeGreaterThanOrEqual(times[0]);
    expect((byId.get(b) as Data).status).toBe("REJECTED");

    // The withdrawn and rejected nominations no longer count towards the maximum of 3.
    await submit(id, "167");
    await submit(id, "167");
    expectBadInput(await q(SUBMIT, { input: { roundId: id, municipalityCode: "167", personId: person(), submittedOn: "2024-02-01" } }, coordinator14), "input.personId", "already named 3 of 3");
  });
});

describe("appointing an accepted nomination", () => {
  it("turns an accepted nomination into a membership once, under the seat's capacity; refuses a submitted one and another county's coordinator", async () => {
    const seatId = await seat(GroupKeys.pkKeskinen, 1);
    const id = await openRound({ maxPerNominator: 3 });
    const [a, b, pending] = [await submit(id, "167"), await submit(id, "167"), await submit(id, "276")];
    for (const n of [a, b]) await ok(DECIDE("accept"), { input: { nominationId: n } }, coordinator14);
    const terms = { startsOn: "2024-03-01", endsOn: "2025-12-31", seatId };

    expectForbidden(await q(APPOINT, { input: { nominationId: a, ...terms } }, coordinator08), "14");
    expectBadInput(await q(APPOINT, { input: { nominationId: pending, ...terms } }, coordinator14), "input.nominationId", "only an ACCEPTED nomination is appointed");
    const appointed = (await ok(APPOINT, { input: { nominationId: a, ...terms } }, coordinator14)).appointNomination;
    expect(appointed).toMatchObject({ role: "MEMBER", seat: { id: seatId } });
    expectBadInput(await q(APPOINT, { input: { nominationId: a, ...terms } }, coordinator14), "input.nominationId", "already appointed");
    expectBadInput(await q(APPOINT, { input: { nominationId: b, ...terms } }, coordinator14), "input.seatId", /seat .+ already has 1 of 1 members/);

    const nominations = new Map((await round(id)).nominations.map((n: Data) => [n.id, n]));
    expect((nominations.get(a) as Data).membership).toEqual({ id: appointed.id });
    expect((nominations.get(b) as Data).membership).toBeNull();
    const members = (await ok(`query($id: ID!) { cooperationGroup(id: $id) { memberships(activeOn: "2024-06-01") { id person { id } seat { id } } } }`, { id: GroupKeys.pkKeskinen })).cooperationGroup.memberships;
    expect(members.filter((m: Data) => m.seat?.id === seatId).map((m: Data) => m.id)).toEqual([appointed.id]);
    expect(members.find((m: Data) => m.id === appointed.id).person.id).toBe((nominations.get(a) as Data).person.id);
  });

  it("appoints exactly 1 of 10 accepted nominations appointed in parallel to a one-member seat", async () => {
    const seatId = await seat(GroupKeys.pkKeskinen, 1);
    const id = await openRound({ maxPerNominator: 10 });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await submit(id, "276"));
    await Promise.all(ids.map((n) => ok(DECIDE("accept"), { input: { nominationId: n } }, coordinator14)));
    const results = await Promise.all(ids.map((n) => q(APPOINT, { input: { nominationId: n, startsOn: "2024-03-01", seatId } }, coordinator14)));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of results.filter((x) => x.errors)) expectBadInput(r, "input.seatId", /already has 1 of 1 members/);
    expect((await round(id)).nominations.filter((n: Data) => n.membership !== null)).toHaveLength(1);
  });
});

describe("groups and seats", () => {
  const GROUP = `query($id: ID!) {
    cooperationGroup(id: $id) {
      id name shortName kind startsOn endsOn county { code } municipalities { code }
      seats { id label maxMembers endsOn }
      memberships(history: true) { id endsOn seat { id } }
    }
  }`;
  const CREATE = `mutation($input: CreateCooperationGroupInput!) { createCooperationGroup(input: $input) { id } }`;
  const EDIT_GROUP = `mutation($input: EditCooperationGroupInput!) { editCooperationGroup(input: $input) { id name } }`;
  const END_GROUP = `mutation($input: EndCooperationGroupInput!) { endCooperationGroup(input: $input) { id endsOn } }`;
  const EDIT_SEAT = `mutation($input: EditGroupSeatInput!) { editGroupSeat(input: $input) { id label maxMembers } }`;
  const END_SEAT = `mutation($input: EndGroupSeatInput!) { endGroupSeat(input: $input) { id endsOn } }`;
  const groupCount = async () => (await ok(`query { county(code: "14") { cooperationGroups { id } } }`, {})).county.cooperationGroups.length;

  it("creates, edits and ends a group; ending it ends its memberships and seats; refuses another county's coordinator and bad links or dates", async () => {
    const before = await groupCount();
    const input = { countyCode: "14", name: "Nuorten kumppanuusryhmä", kind: "PARTNERSHIP_GROUP", startsOn: "2024-01-01", municipalityCodes: ["167", "276"] };
    expectForbidden(await q(CREATE, { input }, coordinator08), "14");
    expectBadInput(await q(CREATE, { input: { ...input, parentId: GroupKeys.pirhaJyry } }, coordinator14), "input.parentId", "belongs to county 08");
    expectBadInput(await q(CREATE, { input: { ...input, municipalityCodes: ["998"] } }, coordinator14), "input.municipalityCodes", "998");
    expect(await groupCount()).toBe(before);

    const id = (await ok(CREATE, { input: { ...input, parentId: GroupKeys.pkKeskinen } }, coordinator14)).createCooperationGroup.id;
    expect(await groupCount()).toBe(before + 1);
    await ok(EDIT_GROUP, { input: { groupId: id, name: "Nuorten hyvinvoinnin kumppanuusryhmä", shortName: "NUKU", municipalityCodes: ["167", "146"] } }, coordinator14);
    expectForbidden(await q(EDIT_GROUP, { input: { groupId: id, name: "X" } }, coordinator08), "14");
    expectBadInput(await q(EDIT_GROUP, { input: { groupId: GroupKeys.pkKeskinen, parentId: id } }, coordinator14), "input.parentId", "its own ancestor");
    let g = (await ok(GROUP, { id })).cooperationGroup;
    expect(g).toMatchObject({ name: "Nuorten hyvinvoinnin kumppanuusryhmä", shortName: "NUKU", kind: "PARTNERSHIP_GROUP", county: { code: "14" }, endsOn: null });
    expect(g.municipalities.map((m: Data) => m.code).sort()).toEqual(["146", "167"]);

    const seatId = await seat(id, 2);
    const member = (await ok(RECORD, { input: { groupId: id, seatId, personId: person(), organisationId: "org-municipality-167", role: "MEMBER", startsOn: "2024-02-01" } })).recordMembership.id;
    const later = (await ok(RECORD, { input: { groupId: id, personId: person(), organisationId: "org-municipality-167", role: "SECRETARY", startsOn: "2024-09-01" } })).recordMembership.id;
    expectBadInput(await q(END_GROUP, { input: { groupId: id, endsOn: "2023-12-31" } }, coordinator14), "input.endsOn", "must not be before the group starts");
    expectBadInput(await q(END_GROUP, { input: { groupId: id, endsOn: "2024-06-30" } }, coordinator14), "input.endsOn", `membership ${later} starts on 2024-09-01`);
    expectForbidden(await q(END_GROUP, { input: { groupId: id, endsOn: "2024-12-31" } }, coordinator08), "14");
    g = (await ok(GROUP, { id })).cooperationGroup;
    expect(g.endsOn).toBeNull();
    expect(g.memberships.every((m: Data) => m.endsOn === null)).toBe(true);

    const places = async (day: string) =>
      (await ok(`query($id: ID!, $day: Date!) { cooperationGroup(id: $id) { seatOccupancy(activeOn: $day) { memberPlaces } } }`, { id, day })).cooperationGroup
        .seatOccupancy.memberPlaces;
    expect(await places("2025-06-01")).toBe(2);
    expect((await ok(END_GROUP, { input: { groupId: id, endsOn: "2024-12-31" } }, coordinator14)).endCooperationGroup.endsOn).toBe("2024-12-31");
    // The ended seat has no places after its end, and keeps them before it.
    expect(await places("2025-06-01")).toBe(0);
    expect(await places("2024-06-01")).toBe(2);
    g = (await ok(GROUP, { id })).cooperationGroup;
    expect(g.memberships.map((m: Data) => [m.id, m.endsOn]).sort()).toEqual([[later, "2024-12-31"], [member, "2024-12-31"]].sort());
    expect(g.seats.map((s: Data) => s.endsOn)).toEqual(["2024-12-31"]);
    const afterEnd = await q(RECORD, { input: { groupId: id, personId: person(), organisationId: "org-municipality-167", role: "SECRETARY", startsOn: "2025-01-01" } });
    expectBadInput(afterEnd, "input.endsOn", "the group ends on 2024-12-31");
  });

  it("creates, edits and ends a seat; capacity below its holders and an ended seat are refused; another county's coordinator is refused", async () => {
    expectForbidden(await q(CREATE_SEAT, { input: { groupId: GroupKeys.pkKeskinen, constituency: "SECTOR", label: "Nuorisoseurat", maxMembers: 2 } }, coordinator08), "14");
    expectBadInput(await q(CREATE_SEAT, { input: { groupId: GroupKeys.pkKeskinen, constituency: "SECTOR", label: "Nuorisoseurat", minMembers: 3, maxMembers: 2 } }, coordinator14), "input.minMembers", "must not exceed maxMembers");
    expectBadInput(await q(CREATE_SEAT, { input: { groupId: GroupKeys.pkKeskinen, constituency: "MUNICIPALITY", label: "Joensuu" } }, coordinator14), "input.municipalityCode", "names its municipality");
    const seatsBefore = (await ok(`query($id: ID!) { cooperationGroup(id: $id) { seats { id } } }`, { id: GroupKeys.pkKeskinen })).cooperationGroup.seats.length;

    const created = (await ok(CREATE_SEAT, { input: { groupId: GroupKeys.pkKeskinen, constituency: "SECTOR", label: "Nuorisoseurat", maxMembers: 2 } }, coordinator14)).createGroupSeat;
    const seats = (await ok(`query($id: ID!) { cooperationGroup(id: $id) { seats { id label maxMembers } } }`, { id: GroupKeys.pkKeskinen })).cooperationGroup.seats;
    expect(seats).toHaveLength(seatsBefore + 1);
    expect(seats.find((s: Data) => s.id === created.id)).toEqual({ id: created.id, label: "Nuorisoseurat", maxMembers: 2 });

    const base = { groupId: GroupKeys.pkKeskinen, seatId: created.id, organisationId: "org-municipality-167", role: "MEMBER" };
    const first = (await ok(RECORD, { input: { ...base, personId: person(), startsOn: "2024-01-01" } })).recordMembership.id;
    await ok(RECORD, { input: { ...base, personId: person(), startsOn: "2024-01-01" } });
    expectBadInput(await q(EDIT_SEAT, { input: { seatId: created.id, maxMembers: 1 } }, coordinator14), "input.maxMembers", "held by 2 members");
    expectForbidden(await q(EDIT_SEAT, { input: { seatId: created.id, label: "X" } }, coordinator08), "14");
    const edited = (await ok(EDIT_SEAT, { input: { seatId: created.id, label: "Nuorisoseurojen edustajat", maxMembers: 3 } }, coordinator14)).editGroupSeat;
    expect(edited).toEqual({ id: created.id, label: "Nuorisoseurojen edustajat", maxMembers: 3 });

    expectForbidden(await q(END_SEAT, { input: { seatId: created.id, endsOn: "2024-12-31" } }, coordinator08), "14");
    expect((await ok(END_SEAT, { input: { seatId: created.id, endsOn: "2024-12-31" } }, coordinator14)).endGroupSeat.endsOn).toBe("2024-12-31");
    const held = (await ok(`query($id: ID!) { cooperationGroup(id: $id) { memberships(history: true) { id endsOn seat { id } } } }`, { id: GroupKeys.pkKeskinen })).cooperationGroup.memberships.filter(
      (m: Data) => m.seat?.id === created.id,
    );
    expect(held.map((m: Data) => m.endsOn)).toEqual(["2024-12-31", "2024-12-31"]);
    expect(held.map((m: Data) => m.id)).toContain(first);
    expectBadInput(await q(RECORD, { input: { ...base, personId: person(), startsOn: "2025-01-01" } }), "input.seatId", "ends on 2024-12-31");
  });
});

describe("correcting a mistaken membership", () => {
  it("marks it corrected with a note: gone from the current composition and the representation view, kept in the history, the seat free again", async () => {
    const seatId = await seat(GroupKeys.pkKeskinen, 1);
    const input = { groupId: GroupKeys.pkKeskinen, seatId, personId: person(), organisationId: "org-municipality-167", role: "MEMBER", startsOn: "2024-01-01" };
    const mistaken = (await ok(RECORD, { input })).recordMembership.id;
    const representation = readFileSync(new URL("../views/representation.graphql", import.meta.url), "utf8");
    const view = async () => {
      const data = await ok(representation, { countyCode: "14", activeOn: "2024-06-01" });
      const group = data.cooperationGroups.edges.map((e: Data) => e.node).find((n: Data) => n.id === GroupKeys.pkKeskinen);
      return { seat: group.seats.find((s: Data) => s.id === seatId).occupancy.filledMemberPlaces, people: group.memberships.map((m: Data) => m.person?.id) };
    };
    expect(await view()).toEqual({ seat: 1, people: expect.arrayContaining([input.personId]) });

    const CORRECT = `mutation($input: CorrectMembershipInput!) { correctMembership(input: $input) { id correctedAt correctionNote endsOn } }`;
    expectForbidden(await q(CORRECT, { input: { membershipId: mistaken, note: "Kirjattu väärään ryhmään" } }, coordinator08), "14");
    expectBadInput(await q(CORRECT, { input: { membershipId: mistaken, note: "" } }, coordinator14), "input.note", /1|characters|length/);
    expect((await view()).seat).toBe(1);

    const corrected = (await ok(CORRECT, { input: { membershipId: mistaken, note: "Kirjattu väärään ryhmään" } }, coordinator14)).correctMembership;
    expect(corrected).toMatchObject({ id: mistaken, correctionNote: "Kirjattu väärään ryhmään", endsOn: null });
    expect(Date.parse(corrected.correctedAt)).not.toBeNaN();
    const after = await view();
    expect(after.seat).toBe(0);
    expect(after.people).not.toContain(input.personId);
    const history = (await ok(`query($id: ID!) { cooperationGroup(id: $id) { memberships(history: true) { id correctionNote } } }`, { id: GroupKeys.pkKeskinen })).cooperationGroup.memberships;
    expect(history.find((m: Data) => m.id === mistaken)).toEqual({ id: mistaken, correctionNote: "Kirjattu väärään ryhmään" });
    expectBadInput(await q(CORRECT, { input: { membershipId: mistaken, note: "Uudelleen" } }, coordinator14), "input.membershipId", "already corrected");
    await ok(RECORD, { input: { ...input, personId: person() } });
    expect((await view()).seat).toBe(1);
  });
});

describe("measures: update and remove", () => {
  const CREATE = `mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`;
  const UPDATE = `mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { id title status startsOn endsOn responsibleGroups { id } } }`;
  const REMOVE = `mutation($id: ID!) { removeMeasure(measureId: $id) }`;
  const MEASURE = `query($id: ID!) { measure(id: $id) { id title status startsOn endsOn responsibleOrganisations { id } progressNotes { id } } }`;

  it("updates a measure; refuses dates out of order, unknown organisations and another county's coordinator, leaving it unchanged", async () => {
    const id = (await ok(CREATE, { input: { countyCode: "14", title: "Kerhotoiminta", startsOn: "2024-01-01" } }, coordinator14)).createMeasure.id;
    const updated = (await ok(UPDATE, { input: { measureId: id, title: "Kerhotoiminta kouluilla", status: "IN_PROGRESS", endsOn: "2024-12-31", groupIds: [GroupKeys.pkKeskinen] } }, coordinator14)).updateMeasure;
    expect(updated).toEqual({ id, title: "Kerhotoiminta kouluilla", status: "IN_PROGRESS", startsOn: "2024-01-01", endsOn: "2024-12-31", responsibleGroups: [{ id: GroupKeys.pkKeskinen }] });
    expectBadInput(await q(UPDATE, { input: { measureId: id, endsOn: "2023-12-31" } }, coordinator14), "input.endsOn", "before it starts");
    expectBadInput(await q(UPDATE, { input: { measureId: id, organisationIds: ["org-nope"] } }, coordinator14), "input.organisationIds", "org-nope");
    expectForbidden(await q(UPDATE, { input: { measureId: id, title: "X" } }, coordinator08), "14");
    expect((await ok(MEASURE, { id })).measure).toMatchObject({ title: "Kerhotoiminta kouluilla", endsOn: "2024-12-31", responsibleOrganisations: [] });
  });

  it("removes a measure with its progress notes; refuses an unknown id and another county's coordinator", async () => {
    const id = (await ok(CREATE, { input: { countyCode: "14", title: "Liikuntaryhmät" } }, coordinator14)).createMeasure.id;
    await ok(`mutation($input: AddMeasureProgressNoteInput!) { addMeasureProgressNote(input: $input) { id } }`, { input: { measureId: id, notedOn: "2024-02-01", text: "Aloitettu" } }, coordinator14);
    expectForbidden(await q(REMOVE, { id }, coordinator08), "14");
    expectBadInput(await q(REMOVE, { id: "measure-nope" }, coordinator14), "measureId", "no measure");
    expect((await ok(MEASURE, { id })).measure.progressNotes).toHaveLength(1);
    expect((await ok(REMOVE, { id }, coordinator14)).removeMeasure).toBe(id);
    expect((await ok(MEASURE, { id })).measure).toBeNull();
    expectBadInput(await q(REMOVE, { id }, coordinator14), "measureId", "no measure");
  });
});

describe("meeting minutes", () => {
  const SCHEDULE = `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`;
  const MINUTES = `mutation($input: RecordMeetingMinutesInput!) { recordMeetingMinutes(input: $input) { id minutesRef decisions minutesRecordedAt } }`;
  const MEETINGS = `query($id: ID!) { cooperationGroup(id: $id) { meetings { id minutesRef decisions minutesRecordedAt attendance { person { id } organisation { id } present } } } }`;
  const meeting = async (id: string) =>
    (await ok(MEETINGS, { id: GroupKeys.pkKeskinen })).cooperationGroup.meetings.find((m: Data) => m.id === id);

  it("records the minutes reference, decisions and attendance of a held meeting; refuses a meeting not yet held, a person listed twice and another county's coordinator", async () => {
    const held = (await ok(SCHEDULE, { input: { groupId: GroupKeys.pkKeskinen, kind: "REGULAR", startsAt: "2024-03-12T13:00:00+02:00" } }, coordinator14)).scheduleMeeting.id;
    const future = (await ok(SCHEDULE, { input: { groupId: GroupKeys.pkKeskinen, kind: "REGULAR", startsAt: "2099-03-12T13:00:00+02:00" } }, coordinator14)).scheduleMeeting.id;
    const [p1, p2] = [person(), person()];
    const minutes = {
      meetingId: held,
      minutesRef: "https://www.siunsote.fi/poytakirjat/keskinen-2024-03-12.pdf",
      decisions: ["Kumppanuusryhmän toimintasuunnitelma 2024 hyväksyttiin.", "Seuraava kokous 4.6.2024."],
      attendance: [
        { personId: p1, organisationId: "org-municipality-167", present: true },
        { personId: p2, present: false },
      ],
    };
    expectForbidden(await q(MINUTES, { input: minutes }, coordinator08), "14");
    expectBadInput(await q(MINUTES, { input: { ...minutes, meetingId: future } }, coordinator14), "input.meetingId", "once it has been held");
    expectBadInput(await q(MINUTES, { input: { ...minutes, attendance: [...minutes.attendance, { personId: p1, present: false }] } }, coordinator14), "input.attendance", `person ${p1} is listed more than once`);
    expectBadInput(await q(MINUTES, { input: { ...minutes, attendance: [{ personId: "person-nope", present: true }] } }, coordinator14), "input.attendance", "person-nope");
    expect(await meeting(held)).toMatchObject({ minutesRef: null, decisions: [], minutesRecordedAt: null, attendance: [] });
    expect((await meeting(future)).minutesRecordedAt).toBeNull();

    const recorded = (await ok(MINUTES, { input: minutes }, coordinator14)).recordMeetingMinutes;
    expect(recorded.decisions).toEqual(minutes.decisions);
    expect(await meeting(held)).toEqual({
      id: held,
      minutesRef: minutes.minutesRef,
      decisions: minutes.decisions,
      minutesRecordedAt: recorded.minutesRecordedAt,
      attendance: [
        { person: { id: p1 }, organisation: { id: "org-municipality-167" }, present: true },
        { person: { id: p2 }, organisation: null, present: false },
      ],
    });
    // A second record replaces the attendance list it gives and keeps what it omits.
    await ok(MINUTES, { input: { meetingId: held, attendance: [{ personId: p2, present: true }] } }, coordinator14);
    const again = await meeting(held);
    expect(again.attendance).toEqual([{ person: { id: p2 }, organisation: null, present: true }]);
    expect(again.decisions).toEqual(minutes.decisions);
  });
});
