import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, mintUserToken } from "@yhdyspinta/core";
import { bearer, seedPeople, serviceSql, startTestStack, type TestStack } from "./support.ts";

// The audit trail of the coordinator workflows, through the gateway: each mutation appears in the
// `changes` of the record it changed, with before/after values and the caller's subject and role.
// test/audit.test.ts reads this file too when it checks that every mutation has an audit check.

let stack: TestStack;
let admin: Record<string, string>;
let coordinator: Record<string, string>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

const COORDINATOR = { actorSubject: "audit-flows-coord-14", actorRole: "coordinator" };
const ADMIN = { actorSubject: "audit-flows-admin", actorRole: "admin" };
const CHANGES = `changes { totalCount edges { node { actorSubject actorRole entityType entityId operation before after changedFields } } }`;

const sql = <T = Data>(service: "organisations" | "groups" | "planning", query: string, params: unknown[] = []) =>
  serviceSql<T>(stack, service, query, params);

async function ok(query: string, variables: Record<string, unknown>, headers = coordinator): Promise<Data> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

/** The changes of a connection, newest first. */
const nodes = (changes: Data): Data[] => changes.edges.map((e: Data) => e.node);

/** The newest change of `operation` that names `field` among its changed fields. */
function changeOf(changes: Data, operation: string, field: string): Data {
  const found = nodes(changes).find((n) => n.operation === operation && n.changedFields.includes(field));
  expect(found, `no ${operation} changing ${field} in ${JSON.stringify(nodes(changes))}`).toBeDefined();
  return found;
}

const upper = (v: unknown) => String(v).toUpperCase();

let person: () => string;

beforeAll(async () => {
  stack = await startTestStack("audit-flows");
  admin = bearer(await mintUserToken(stack.authSecret, { sub: ADMIN.actorSubject, scope: "data:write", role: "admin" }));
  coordinator = bearer(
    await mintUserToken(stack.authSecret, { sub: COORDINATOR.actorSubject, scope: "data:write", role: "coordinator", counties: ["14"] }),
  );
  // People written straight into the organisations database (references are checked on write).
  person = await seedPeople(stack, "audit-flows", 20);
});

afterAll(async () => {
  await stack?.stop();
});

const ROUND = `query($id: ID!) { nominationRound(id: $id) { ${CHANGES} nominations { id ${CHANGES} } } }`;
const SUBMIT = `mutation($input: SubmitNominationInput!) { submitNomination(input: $input) { id } }`;
const DECIDE = {
  accept: `mutation($input: DecideNominationInput!) { acceptNomination(input: $input) { id } }`,
  reject: `mutation($input: DecideNominationInput!) { rejectNomination(input: $input) { id } }`,
  withdraw: `mutation($input: DecideNominationInput!) { withdrawNomination(input: $input) { id } }`,
};

describe("nomination rounds", () => {
  it("openNominationRound, editNominationRound and closeNominationRound are in the round's changes", async () => {
    const id = (
      await ok(`mutation($input: OpenNominationRoundInput!) { openNominationRound(input: $input) { id } }`, {
        input: {
          countyCode: "14",
          name: "Auditoitu nimeämiskierros",
          kind: "NOMINATION_REQUEST",
          opensOn: "2024-01-01",
          closesOn: "2024-02-28",
          maxPerNominator: 3,
          groupIds: [GroupKeys.pkKeskinen],
          nominators: [{ municipalityCode: "167" }],
        },
      })
    ).openNominationRound.id;
    await ok(`mutation($input: EditNominationRoundInput!) { editNominationRound(input: $input) { id } }`, {
      input: { roundId: id, closesOn: "2024-03-15", maxPerNominator: 4 },
    });
    await ok(`mutation($id: ID!) { closeNominationRound(roundId: $id) { round { id } } }`, { id }, admin);

    const changes = (await ok(ROUND, { id })).nominationRound.changes;
    const created = nodes(changes).find((n) => n.operation === "CREATE");
    expect(created).toMatchObject({ ...COORDINATOR, entityType: "NominationRound", entityId: id, before: null });
    expect(created.after).toMatchObject({ name: "Auditoitu nimeämiskierros", countyCode: "14", closesOn: "2024-02-28", maxPerNominator: 3 });

    const edited = changeOf(changes, "UPDATE", "closesOn");
    expect(edited).toMatchObject({ ...COORDINATOR, entityId: id });
    expect(edited.before).toMatchObject({ closesOn: "2024-02-28", maxPerNominator: 3 });
    expect(edited.after).toMatchObject({ closesOn: "2024-03-15", maxPerNominator: 4 });
    expect(edited.changedFields).toEqual(expect.arrayContaining(["closesOn", "maxPerNominator"]));

    const closed = changeOf(changes, "UPDATE", "closedAt");
    expect(closed).toMatchObject({ ...ADMIN, entityId: id });
    expect(closed.before.closedAt).toBeNull();
    expect(closed.after.closedAt).not.toBeNull();
    // Newest first: the close after the edit.
    expect(nodes(changes).indexOf(closed)).toBeLessThan(nodes(changes).indexOf(edited));
  });

  it("acceptNomination, rejectNomination, withdrawNomination and appointNomination are in the nomination's changes with the status", async () => {
    const round = (
      await ok(`mutation($input: OpenNominationRoundInput!) { openNominationRound(input: $input) { id } }`, {
        input: { countyCode: "14", name: "Päätöskierros", kind: "NOMINATION_REQUEST", opensOn: "2024-01-01", closesOn: "2024-02-28", maxPerNominator: 5, groupIds: [GroupKeys.pkKeskinen], nominators: [{ municipalityCode: "167" }] },
      })
    ).openNominationRound.id;
    const submit = async () =>
      (await ok(SUBMIT, { input: { roundId: round, municipalityCode: "167", personId: person(), organisationId: "org-municipality-167", submittedOn: "2024-02-01" } })).submitNomination.id;
    const [accepted, rejected, withdrawn] = [await submit(), await submit(), await submit()];
    await ok(DECIDE.accept, { input: { nominationId: accepted, note: "Päätös 12/2024" } });
    await ok(DECIDE.reject, { input: { nominationId: rejected, note: "Ei työntekijä" } }, admin);
    await ok(DECIDE.withdraw, { input: { nominationId: withdrawn } });
    const seatId = (
      await ok(`mutation($input: CreateGroupSeatInput!) { createGroupSeat(input: $input) { id } }`, {
        input: { groupId: GroupKeys.pkKeskinen, constituency: "SECTOR", label: "Nimitetyt", maxMembers: 1 },
      })
    ).createGroupSeat.id;
    const membershipId = (
      await ok(`mutation($input: AppointNominationInput!) { appointNomination(input: $input) { id } }`, {
        input: { nominationId: accepted, startsOn: "2024-03-01", seatId },
      })
    ).appointNomination.id;

    const nominations = (await ok(ROUND, { id: round })).nominationRound.nominations;
    const changesOf = (id: string) => nominations.find((n: Data) => n.id === id).changes;
    const status = (id: string, to: string, actor: Data) => {
      const change = changeOf(changesOf(id), "UPDATE", "status");
      expect(change).toMatchObject({ ...actor, entityType: "Nomination", entityId: id });
      expect(upper(change.before.status)).toBe("SUBMITTED");
      expect(upper(change.after.status)).toBe(to);
      return change;
    };
    status(accepted, "ACCEPTED", COORDINATOR);
    status(rejected, "REJECTED", ADMIN);
    status(withdrawn, "WITHDRAWN", COORDINATOR);

    // Appointing links the nomination to its new membership, and creates that membership.
    const appointed = changeOf(changesOf(accepted), "UPDATE", "membershipId");
    expect(appointed).toMatchObject(COORDINATOR);
    expect(appointed.before.membershipId).toBeNull();
    expect(appointed.after.membershipId).toBe(membershipId);
    const memberships = (await ok(`query($id: ID!) { cooperationGroup(id: $id) { memberships(history: true) { id ${CHANGES} } } }`, { id: GroupKeys.pkKeskinen })).cooperationGroup.memberships;
    const membership = memberships.find((m: Data) => m.id === membershipId);
    const created = nodes(membership.changes).find((n) => n.operation === "CREATE");
    expect(created).toMatchObject({ ...COORDINATOR, entityType: "GroupMembership", before: null });
    expect(created.after).toMatchObject({ seatId, groupId: GroupKeys.pkKeskinen, startsOn: "2024-03-01" });
  });
});

describe("groups and seats", () => {
  const GROUP = `query($id: ID!) { cooperationGroup(id: $id) { ${CHANGES} seats { id ${CHANGES} } } }`;

  it("createCooperationGroup, editCooperationGroup and endCooperationGroup are in the group's changes", async () => {
    const id = (
      await ok(`mutation($input: CreateCooperationGroupInput!) { createCooperationGroup(input: $input) { id } }`, {
        input: { countyCode: "14", name: "Auditoitu kumppanuusryhmä", kind: "PARTNERSHIP_GROUP", startsOn: "2024-01-01", municipalityCodes: ["167"] },
      })
    ).createCooperationGroup.id;
    await ok(`mutation($input: EditCooperationGroupInput!) { editCooperationGroup(input: $input) { id } }`, {
      input: { groupId: id, name: "Auditoitu kumppanuusryhmä (uusi nimi)", shortName: "AKR" },
    });
    await ok(`mutation($input: EndCooperationGroupInput!) { endCooperationGroup(input: $input) { id } }`, { input: { groupId: id, endsOn: "2024-12-31" } }, admin);

    const changes = (await ok(GROUP, { id })).cooperationGroup.changes;
    const created = nodes(changes).find((n) => n.operation === "CREATE");
    expect(created).toMatchObject({ ...COORDINATOR, entityType: "CooperationGroup", entityId: id, before: null });
    expect(created.after).toMatchObject({ name: "Auditoitu kumppanuusryhmä", countyCode: "14", startsOn: "2024-01-01", endsOn: null });
    const edited = changeOf(changes, "UPDATE", "name");
    expect(edited).toMatchObject(COORDINATOR);
    expect(edited.before).toMatchObject({ name: "Auditoitu kumppanuusryhmä", shortName: null });
    expect(edited.after).toMatchObject({ name: "Auditoitu kumppanuusryhmä (uusi nimi)", shortName: "AKR" });
    const ended = changeOf(changes, "UPDATE", "endsOn");
    expect(ended).toMatchObject(ADMIN);
    expect(ended.before.endsOn).toBeNull();
    expect(ended.after.endsOn).toBe("2024-12-31");
  });

  it("createGroupSeat, editGroupSeat and endGroupSeat are in the seat's changes", async () => {
    const seatId = (
      await ok(`mutation($input: CreateGroupSeatInput!) { createGroupSeat(input: $input) { id } }`, {
        input: { groupId: GroupKeys.pkKeskinen, constituency: "SECTOR", label: "Nuorisoseurat", maxMembers: 2 },
      })
    ).createGroupSeat.id;
    await ok(`mutation($input: EditGroupSeatInput!) { editGroupSeat(input: $input) { id } }`, { input: { seatId, label: "Nuorisoseurojen edustajat", maxMembers: 3 } });
    await ok(`mutation($input: EndGroupSeatInput!) { endGroupSeat(input: $input) { id } }`, { input: { seatId, endsOn: "2024-12-31" } }, admin);

    const seat = (await ok(GROUP, { id: GroupKeys.pkKeskinen })).cooperationGroup.seats.find((s: Data) => s.id === seatId);
    const created = nodes(seat.changes).find((n) => n.operation === "CREATE");
    expect(created).toMatchObject({ ...COORDINATOR, entityType: "GroupSeat", entityId: seatId, before: null });
    expect(created.after).toMatchObject({ groupId: GroupKeys.pkKeskinen, label: "Nuorisoseurat", maxMembers: 2 });
    const edited = changeOf(seat.changes, "UPDATE", "label");
    expect(edited).toMatchObject(COORDINATOR);
    expect(edited.before).toMatchObject({ label: "Nuorisoseurat", maxMembers: 2 });
    expect(edited.after).toMatchObject({ label: "Nuorisoseurojen edustajat", maxMembers: 3 });
    const ended = changeOf(seat.changes, "UPDATE", "endsOn");
    expect(ended).toMatchObject(ADMIN);
    expect(ended.before.endsOn).toBeNull();
    expect(ended.after.endsOn).toBe("2024-12-31");
  });

  it("correctMembership is in the membership's changes with the correction", async () => {
    const membershipId = (
      await ok(`mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`, {
        input: { groupId: GroupKeys.pkKeskinen, personId: person(), organisationId: "org-municipality-167", role: "MEMBER", startsOn: "2024-01-01" },
      })
    ).recordMembership.id;
    await ok(`mutation($input: CorrectMembershipInput!) { correctMembership(input: $input) { id } }`, { input: { membershipId, note: "Kirjattu väärään ryhmään" } });

    const memberships = (await ok(`query($id: ID!) { cooperationGroup(id: $id) { memberships(history: true) { id ${CHANGES} } } }`, { id: GroupKeys.pkKeskinen })).cooperationGroup.memberships;
    const corrected = changeOf(memberships.find((m: Data) => m.id === membershipId).changes, "UPDATE", "correctedAt");
    expect(corrected).toMatchObject({ ...COORDINATOR, entityType: "GroupMembership", entityId: membershipId });
    expect(corrected.before).toMatchObject({ correctedAt: null, correctionNote: null });
    expect(corrected.after.correctedAt).not.toBeNull();
    expect(corrected.after.correctionNote).toBe("Kirjattu väärään ryhmään");
    expect(corrected.changedFields).toEqual(expect.arrayContaining(["correctedAt", "correctionNote"]));
  });
});

describe("meetings", () => {
  it("recordMeetingMinutes is in the meeting's changes with the minutes and decisions", async () => {
    const meetingId = (
      await ok(`mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`, {
        input: { groupId: GroupKeys.pkKeskinen, kind: "REGULAR", startsAt: "2024-03-12T13:00:00+02:00" },
      })
    ).scheduleMeeting.id;
    const minutes = {
      meetingId,
      minutesRef: "https://www.siunsote.fi/poytakirjat/auditoitu-2024-03-12.pdf",
      decisions: ["Toimintasuunnitelma hyväksyttiin."],
      attendance: [{ personId: person(), present: true }],
    };
    await ok(`mutation($input: RecordMeetingMinutesInput!) { recordMeetingMinutes(input: $input) { id } }`, { input: minutes });

    const meetings = (await ok(`query($id: ID!) { cooperationGroup(id: $id) { meetings { id ${CHANGES} } } }`, { id: GroupKeys.pkKeskinen })).cooperationGroup.meetings;
    const recorded = changeOf(meetings.find((m: Data) => m.id === meetingId).changes, "UPDATE", "minutesRef");
    expect(recorded).toMatchObject({ ...COORDINATOR, entityType: "GroupMeeting", entityId: meetingId });
    expect(recorded.before).toMatchObject({ minutesRef: null, minutesRecordedAt: null });
    expect(recorded.after).toMatchObject({ minutesRef: minutes.minutesRef, decisions: minutes.decisions });
    expect(recorded.after.minutesRecordedAt).not.toBeNull();
    // The attendance rows have no `changes` field; their audit rows share the meeting's transaction.
    const attendance = await sql("groups", `select actor_subject, operation, after from change_record where entity_type = 'MeetingAttendance' and after->>'meetingId' = $1`, [meetingId]);
    expect(attendance).toEqual([{ actor_subject: COORDINATOR.actorSubject, operation: "CREATE", after: expect.objectContaining({ personId: minutes.attendance[0]!.personId, present: true }) }]);
  });
});

describe("measures", () => {
  const CREATE = `mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`;

  it("updateMeasure is in the measure's changes", async () => {
    const id = (await ok(CREATE, { input: { countyCode: "14", title: "Kerhotoiminta", startsOn: "2024-01-01" } })).createMeasure.id;
    await ok(`mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { id } }`, {
      input: { measureId: id, title: "Kerhotoiminta kouluilla", endsOn: "2024-12-31", groupIds: [GroupKeys.pkKeskinen] },
    });
    const changes = (await ok(`query($id: ID!) { measure(id: $id) { ${CHANGES} } }`, { id })).measure.changes;
    const updated = changeOf(changes, "UPDATE", "title");
    expect(updated).toMatchObject({ ...COORDINATOR, entityType: "Measure", entityId: id });
    expect(updated.before).toMatchObject({ title: "Kerhotoiminta", endsOn: null, groupIds: [] });
    expect(updated.after).toMatchObject({ title: "Kerhotoiminta kouluilla", endsOn: "2024-12-31", groupIds: [GroupKeys.pkKeskinen] });
    expect(updated.changedFields).toEqual(expect.arrayContaining(["title", "endsOn", "groupIds"]));
  });

  it("removeMeasure records the DELETE of the measure and its notes", async () => {
    const id = (await ok(CREATE, { input: { countyCode: "14", title: "Liikuntaryhmät" } })).createMeasure.id;
    const noteId = (
      await ok(`mutation($input: AddMeasureProgressNoteInput!) { addMeasureProgressNote(input: $input) { id } }`, {
        input: { measureId: id, notedOn: "2024-02-01", text: "Aloitettu" },
      })
    ).addMeasureProgressNote.id;
    expect((await ok(`mutation($id: ID!) { removeMeasure(measureId: $id) }`, { id })).removeMeasure).toBe(id);
    // A removed measure no longer resolves, so its `changes` field cannot be reached through
    // GraphQL: the DELETE rows are read from the planning database's change_record.
    const rows = await sql(
      "planning",
      `select entity_type, entity_id, actor_subject, actor_role, before, after from change_record where operation = 'DELETE' and entity_id = any($1) order by entity_type`,
      [[id, noteId]],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ entity_type: "Measure", entity_id: id, actor_subject: COORDINATOR.actorSubject, actor_role: "coordinator", after: null });
    expect(rows[0].before).toMatchObject({ title: "Liikuntaryhmät", countyCode: "14" });
    expect(rows[1]).toMatchObject({ entity_type: "MeasureProgressNote", entity_id: noteId, actor_subject: COORDINATOR.actorSubject, after: null });
    expect(rows[1].before).toMatchObject({ measureId: id, text: "Aloitettu" });
  });
});

describe("reminders", () => {
  it("generateReminders and markReminderHandled are in the reminder's changes", async () => {
    await sql("groups", `insert into cooperation_group (id, county_code, name, kind) values ('audit-rem-group', '14', 'Muistutusten auditointi', 'partnership_group')`);
    await sql("groups", `insert into group_seat (id, group_id, ordinal, constituency, label, max_members) values ('audit-rem-seat', 'audit-rem-group', 1, 'sector', 'Vapaa paikka', 1)`);
    const created = (await ok(`mutation { generateReminders(countyCode: "14", activeOn: "2026-06-01", withinDays: 0) { id subjectId } }`, {})).generateReminders;
    const id = created.find((r: Data) => r.subjectId === "audit-rem-seat")?.id;
    expect(id).toBeDefined();
    await ok(`mutation($id: ID!) { markReminderHandled(id: $id, note: "Täytetty") { id } }`, { id }, admin);
    const all = (await ok(`{ groupReminders(countyCode: "14", first: 500) { edges { node { id ${CHANGES} } } } }`, {})).groupReminders.edges;
    const reminder = all.map((e: Data) => e.node).find((n: Data) => n.id === id);
    const generated = nodes(reminder.changes).find((n) => n.operation === "CREATE");
    expect(generated).toMatchObject({ ...COORDINATOR, entityType: "GroupReminder", entityId: id, before: null });
    expect(generated.after).toMatchObject({ countyCode: "14", kind: "vacant_seat", subjectId: "audit-rem-seat", handledAt: null });
    const handled = changeOf(reminder.changes, "UPDATE", "handledAt");
    expect(handled).toMatchObject(ADMIN);
    expect(handled.after).toMatchObject({ handledBy: ADMIN.actorSubject, handledNote: "Täytetty" });
  });
});
