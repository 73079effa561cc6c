import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, mintUserToken, PersonKeys } from "@yhdyspinta/core";
import { bearer, QUEUED_WRITE_BOUNDS, serviceSql, startTestStack, type TestStack } from "./support.ts";

/**
 * Natural keys (docs/NATURAL-KEYS.md) through the gateway: the same create
 * sent 20 times in parallel leaves exactly one record and answers every other
 * call with BAD_USER_INPUT naming the field (never a 5xx or SQL text, nothing
 * half-written); a later duplicate and a rename onto an existing name get the
 * same clear answer.
 */

const PARALLEL = 20;

let stack: TestStack;
let coordinator14: Record<string, string>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;
interface Answer {
  status: number;
  data?: Data;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

beforeAll(async () => {
  stack = await startTestStack("natural_keys", { env: { ...QUEUED_WRITE_BOUNDS } });
  coordinator14 = bearer(
    await mintUserToken(stack.authSecret, { sub: "coordinator-14", scope: "data:write", role: "coordinator", counties: ["14"] }),
  );
});

afterAll(async () => {
  await stack?.stop();
});

/** One operation through the gateway as county 14's coordinator, with the HTTP status. */
async function send(query: string, variables: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(stack.gatewayUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...coordinator14 },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<Answer, "status">) };
}

async function ok(query: string, variables: Record<string, unknown>): Promise<Data> {
  const answer = await send(query, variables);
  expect(answer.errors).toBeUndefined();
  return answer.data;
}

function expectRefused(answer: Answer, field: string, rule: string): void {
  expect(answer.status).toBeLessThan(500);
  expect(answer.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
  expect(answer.errors![0]!.extensions!["field"]).toBe(field);
  expect(answer.errors![0]!.message).toContain(rule);
  expect(answer.errors![0]!.message).not.toMatch(/duplicate key|unique constraint|insert into|23505/i);
}

/** Sends the same mutation 20 times at once; expects one record created and 19 refusals naming the field. Returns the created id. */
async function createInParallel(mutation: string, name: string, variables: Record<string, unknown>, field: string, rule: string): Promise<string> {
  const answers = await Promise.all(Array.from({ length: PARALLEL }, () => send(mutation, variables)));
  const created = answers.filter((a) => !a.errors);
  expect(created, JSON.stringify(answers.find((a) => a.errors && a.errors[0]?.extensions?.["code"] !== "BAD_USER_INPUT"))).toHaveLength(1);
  const refused = answers.filter((a) => a.errors);
  expect(refused).toHaveLength(PARALLEL - 1);
  for (const answer of refused) {
    expectRefused(answer, field, rule);
    expect(answer.data?.[name] ?? null).toBeNull();
  }
  return created[0]!.data[name].id;
}

const count = async (service: "groups" | "organisations", sql: string, params: unknown[]): Promise<number> =>
  (await serviceSql<{ n: number }>(stack, service, sql, params))[0]!.n;

/** Audit records of creations of a type: one per record written, none for a refused write. */
const createRecords = (service: "groups" | "organisations", entityType: string): Promise<number> =>
  count(service, `select count(*)::int as n from change_record where entity_type = $1 and operation = 'CREATE'`, [entityType]);

describe("an active group's name is unique in its county", () => {
  const CREATE = `mutation($input: CreateCooperationGroupInput!) { createCooperationGroup(input: $input) { id name } }`;
  const EDIT = `mutation($input: EditCooperationGroupInput!) { editCooperationGroup(input: $input) { id name } }`;
  const END = `mutation($input: EndCooperationGroupInput!) { endCooperationGroup(input: $input) { id endsOn } }`;
  const RULE = "a cooperation group with this name already exists in the county";
  const named = (name: string) =>
    count("groups", `select count(*)::int as n from cooperation_group where county_code = '14' and lower(name) = lower($1)`, [name]);

  it("creates one of 20 identical parallel creates, refuses the others naming input.name, and leaves no link or audit record of them", async () => {
    const audited = await createRecords("groups", "CooperationGroup");
    const input = { countyCode: "14", name: "Rinnakkainen kumppanuusryhmä", kind: "PARTNERSHIP_GROUP", startsOn: "2025-01-01", municipalityCodes: ["167", "276"] };
    const id = await createInParallel(CREATE, "createCooperationGroup", { input }, "input.name", RULE);
    expect(await named(input.name)).toBe(1);
    expect(await count("groups", `select count(*)::int as n from group_municipality where group_id like 'group-%' and group_id not in (select id from cooperation_group)`, [])).toBe(0);
    expect(await count("groups", `select count(*)::int as n from group_municipality where group_id = $1`, [id])).toBe(2);
    expect(await createRecords("groups", "CooperationGroup")).toBe(audited + 1);
  });

  it("refuses a later duplicate (letter case aside) and a rename onto an active group's name; the name is free again once that group ended", async () => {
    const input = { countyCode: "14", name: "Ikäihmisten kumppanuusryhmä", kind: "PARTNERSHIP_GROUP", startsOn: "2025-01-01" };
    const first = (await ok(CREATE, { input })).createCooperationGroup.id;
    const again = await send(CREATE, { input: { ...input, name: "IKÄIHMISTEN kumppanuusryhmä" } });
    expectRefused(again, "input.name", RULE);
    expect(again.errors![0]!.message).toContain(`group ${first} in county 14`);
    // Another county may use the name.
    expect((await send(CREATE, { input: { ...input, countyCode: "08" } })).errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");

    const other = (await ok(CREATE, { input: { ...input, name: "Lasten ja nuorten kumppanuusryhmä" } })).createCooperationGroup.id;
    expectRefused(await send(EDIT, { input: { groupId: other, name: "ikäihmisten kumppanuusryhmä" } }), "input.name", RULE);
    expect(await named("Lasten ja nuorten kumppanuusryhmä")).toBe(1);
    // Renaming a group onto its own name (another letter case) is no duplicate.
    expect((await ok(EDIT, { input: { groupId: other, name: "Lasten ja Nuorten kumppanuusryhmä" } })).editCooperationGroup.name).toBe("Lasten ja Nuorten kumppanuusryhmä");

    await ok(END, { input: { groupId: first, endsOn: "2025-06-30" } });
    const successor = (await ok(CREATE, { input })).createCooperationGroup.id;
    expect(successor).not.toBe(first);
    expect(await named(input.name)).toBe(2);
  });
});

describe("an active seat's label is unique in its group for its constituency", () => {
  const CREATE = `mutation($input: CreateGroupSeatInput!) { createGroupSeat(input: $input) { id label } }`;
  const EDIT = `mutation($input: EditGroupSeatInput!) { editGroupSeat(input: $input) { id label } }`;
  const RULE = "the group already has a seat with this label for the same municipality, organisation and category";
  const labelled = (label: string) =>
    count("groups", `select count(*)::int as n from group_seat where group_id = $1 and lower(label) = lower($2)`, [GroupKeys.pkKeskinen, label]);

  it("creates one of 20 identical parallel creates and refuses the others naming input.label", async () => {
    const audited = await createRecords("groups", "GroupSeat");
    const input = { groupId: GroupKeys.pkKeskinen, constituency: "SECTOR", label: "Kokemusasiantuntijat", maxMembers: 2 };
    await createInParallel(CREATE, "createGroupSeat", { input }, "input.label", RULE);
    expect(await labelled(input.label)).toBe(1);
    expect(await createRecords("groups", "GroupSeat")).toBe(audited + 1);
  });

  it("refuses a later duplicate and a rename onto another seat's label; the same label for another municipality is a different seat", async () => {
    // The seeded group has a "Kunnan työntekijät" seat for Joensuu (167), Kontiolahti (276) and Ilomantsi (146).
    const municipalitySeat = { groupId: GroupKeys.pkKeskinen, constituency: "MUNICIPALITY", label: "Kunnan työntekijät", organisationId: "org-municipality-167" };
    const again = await send(CREATE, { input: { ...municipalitySeat, municipalityCode: "167" } });
    expectRefused(again, "input.label", RULE);
    expect(again.errors![0]!.message).toContain(`seat ${GroupKeys.pkKeskinen}-seat-167 of group ${GroupKeys.pkKeskinen}`);
    const juuka = (await ok(CREATE, { input: { ...municipalitySeat, municipalityCode: "176", organisationId: "org-municipality-176" } })).createGroupSeat;
    expect(juuka.label).toBe("Kunnan työntekijät");
    expect(await labelled("Kunnan työntekijät")).toBe(4);

    const seat = (await ok(CREATE, { input: { groupId: GroupKeys.pkKeskinen, constituency: "SECTOR", label: "Urheiluseurat" } })).createGroupSeat.id;
    expectRefused(await send(EDIT, { input: { seatId: seat, label: "seurakunnat" } }), "input.label", RULE);
    expect(await labelled("Urheiluseurat")).toBe(1);
    expect((await ok(EDIT, { input: { seatId: seat, label: "Liikuntaseurat" } })).editGroupSeat.label).toBe("Liikuntaseurat");
  });
});

describe("a group holds one meeting per start time", () => {
  const SCHEDULE = `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`;
  const RULE = "the group already has a meeting starting at this time";
  const at = (startsAt: string) =>
    count("groups", `select count(*)::int as n from meeting where group_id = $1 and starts_at = $2::timestamptz`, [GroupKeys.pkPohjoinen, startsAt]);

  it("schedules one of 20 identical parallel meetings and refuses the others naming input.startsAt", async () => {
    const audited = await createRecords("groups", "GroupMeeting");
    const input = { groupId: GroupKeys.pkPohjoinen, kind: "REGULAR", title: "Kevään kokous", startsAt: "2025-03-12T13:00:00+02:00" };
    await createInParallel(SCHEDULE, "scheduleMeeting", { input }, "input.startsAt", RULE);
    expect(await at(input.startsAt)).toBe(1);
    expect(await createRecords("groups", "GroupMeeting")).toBe(audited + 1);
  });

  it("refuses a later meeting at the same instant written in another offset; another time or another group is fine", async () => {
    const refused = await send(SCHEDULE, { input: { groupId: GroupKeys.pkPohjoinen, kind: "REGULAR", startsAt: "2025-03-12T11:00:00Z" } });
    expectRefused(refused, "input.startsAt", RULE);
    expect(refused.errors![0]!.message).toContain("at 2025-03-12T13:00:00+02:00");
    await ok(SCHEDULE, { input: { groupId: GroupKeys.pkPohjoinen, kind: "REGULAR", startsAt: "2025-03-12T15:00:00+02:00" } });
    await ok(SCHEDULE, { input: { groupId: GroupKeys.pkKeskinen, kind: "REGULAR", startsAt: "2025-03-12T13:00:00+02:00" } });
    expect(await at("2025-03-12T13:00:00+02:00")).toBe(1);
  });
});

describe("a nominator names a person once per round while the nomination stands", () => {
  const OPEN = `mutation($input: OpenNominationRoundInput!) { openNominationRound(input: $input) { id } }`;
  const SUBMIT = `mutation($input: SubmitNominationInput!) { submitNomination(input: $input) { id } }`;
  const WITHDRAW = `mutation($input: DecideNominationInput!) { withdrawNomination(input: $input) { id status } }`;
  const RULE = "the nominator has already nominated this person in this round";
  let roundId: string;
  const nominations = (status: string | null) =>
    count("groups", `select count(*)::int as n from nomination where round_id = $1 and person_id = $2 and ($3::text is null or status = $3)`, [roundId, PersonKeys.maaritaMannelin, status]);
  const input = () => ({ roundId, municipalityCode: "167", personId: PersonKeys.maaritaMannelin, organisationId: "org-municipality-167", submittedOn: "2025-02-01" });

  beforeAll(async () => {
    roundId = (
      await ok(OPEN, {
        input: { countyCode: "14", name: "Edustajien nimeäminen", kind: "NOMINATION_REQUEST", closesOn: "2025-02-28", groupIds: [GroupKeys.pkKeskinen], nominators: [{ municipalityCode: "167" }, { municipalityCode: "276" }] },
      })
    ).openNominationRound.id;
  });

  it("records one of 20 identical parallel submissions and refuses the others naming input.personId", async () => {
    const audited = await createRecords("groups", "Nomination");
    await createInParallel(SUBMIT, "submitNomination", { input: input() }, "input.personId", RULE);
    expect(await nominations(null)).toBe(1);
    expect(await createRecords("groups", "Nomination")).toBe(audited + 1);
  });

  it("refuses a later duplicate; another nominator may name the person, and after a withdrawal the nominator may name them again", async () => {
    const standing = await nominations("submitted");
    expect(standing).toBe(1);
    const again = await send(SUBMIT, { input: { ...input(), asDeputy: true } });
    expectRefused(again, "input.personId", RULE);
    expect(again.errors![0]!.message).toContain("(SUBMITTED)");
    await ok(SUBMIT, { input: { ...input(), municipalityCode: "276", organisationId: "org-municipality-276" } });
    const [first] = await serviceSql<{ id: string }>(stack, "groups", `select n.id from nomination n join nominator r on r.id = n.nominator_id where n.round_id = $1 and r.municipality_code = '167'`, [roundId]);
    await ok(WITHDRAW, { input: { nominationId: first!.id } });
    await ok(SUBMIT, { input: input() });
    expect(await nominations(null)).toBe(3);
    expect(await nominations("withdrawn")).toBe(1);
  });
});

describe("a business ID names one organisation", () => {
  const CREATE = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id businessId } }`;
  const UPDATE = `mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id businessId } }`;
  const RULE = "an organisation with this business ID already exists";
  const holders = (businessId: string) => count("organisations", `select count(*)::int as n from organisation where business_id = $1`, [businessId]);

  it("creates one of 20 identical parallel creates and refuses the others naming input.businessId", async () => {
    const audited = await createRecords("organisations", "Organisation");
    const input = { name: "Rinnakkaisyhdistys ry", kind: "ASSOCIATION", businessId: "0112038-9", countyCode: "14", municipalityCodes: ["167"] };
    const id = await createInParallel(CREATE, "createOrganisation", { input }, "input.businessId", RULE);
    expect(await holders(input.businessId)).toBe(1);
    expect(await count("organisations", `select count(*)::int as n from organisation where name = $1`, [input.name])).toBe(1);
    expect(await count("organisations", `select count(*)::int as n from organisation_municipality where organisation_id not in (select id from organisation)`, [])).toBe(0);
    expect(await count("organisations", `select count(*)::int as n from organisation_municipality where organisation_id = $1`, [id])).toBe(1);
    expect(await createRecords("organisations", "Organisation")).toBe(audited + 1);
  });

  it("refuses a later duplicate and an update onto another organisation's business ID", async () => {
    const refused = await send(CREATE, { input: { name: "Toinen yhdistys ry", kind: "ASSOCIATION", businessId: "0112038-9", countyCode: "14" } });
    expectRefused(refused, "input.businessId", RULE);
    const other = (await ok(CREATE, { input: { name: "Kolmas yhdistys ry", kind: "ASSOCIATION", countyCode: "14" } })).createOrganisation.id;
    expectRefused(await send(UPDATE, { id: other, input: { businessId: "0112038-9" } }), "input.businessId", RULE);
    expect(await holders("0112038-9")).toBe(1);
  });
});

describe("the database enforces each natural key behind the resolvers", () => {
  it("refuses a duplicate written straight into the tables with the index the rule is keyed by", async () => {
    const attempts: [service: "groups" | "organisations", sql: string, index: string][] = [
      ["groups", `insert into cooperation_group (id, county_code, name, kind, legal_basis, convener_ids, secretariat_ids, annual_negotiation, tasks)
        select 'group-direct', county_code, upper(name), kind, legal_basis, convener_ids, secretariat_ids, annual_negotiation, tasks from cooperation_group where id = '${GroupKeys.pkKeskinen}'`, "cooperation_group_active_name_unique"],
      ["groups", `insert into group_seat (id, group_id, ordinal, constituency, label, category_id, municipality_code, organisation_id, deputies_optional_when_several_members, speaking_right_only)
        select 'seat-direct', group_id, 99, constituency, label, category_id, municipality_code, organisation_id, false, false from group_seat where id = '${GroupKeys.pkKeskinen}-seat-167'`, "group_seat_active_label_unique"],
      ["groups", `insert into meeting (id, group_id, kind, starts_at, agenda, decisions)
        select 'meeting-direct', group_id, kind, starts_at, agenda, decisions from meeting order by id limit 1`, "meeting_group_starts_at_unique"],
      ["groups", `insert into nomination (id, round_id, nominator_id, person_id, organisation_id, group_id, as_deputy, status, submitted_on)
        select 'nomination-direct', round_id, nominator_id, person_id, organisation_id, group_id, not as_deputy, 'accepted', submitted_on from nomination where status = 'submitted' limit 1`, "nomination_nominator_person_unique"],
    ];
    for (const [service, sql, index] of attempts) {
      const error = await serviceSql(stack, service, sql).then(
        () => null,
        (e: { code?: string; constraint?: string }) => e,
      );
      expect(error, index).toMatchObject({ code: "23505", constraint: index });
    }
  });
});
