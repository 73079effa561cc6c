import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, mintUserToken, PersonKeys } from "@yhdyspinta/core";
import { bearer, QUEUED_WRITE_BOUNDS, seedPeople, startTestStack, type TestStack } from "./support.ts";

let stack: TestStack;
let admin: Record<string, string>;
let coordinator14: Record<string, string>;
let analyst: Record<string, string>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

/** People of Artteli (county 08) for the writes: references are checked on write. */
let person: () => string;

beforeAll(async () => {
  stack = await startTestStack("writes", { env: { ...QUEUED_WRITE_BOUNDS } });
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "admin-1", scope: "data:write", role: "admin" }));
  coordinator14 = bearer(
    await mintUserToken(stack.authSecret, { sub: "coordinator-14", scope: "data:write", role: "coordinator", counties: ["14"] }),
  );
  analyst = bearer(await mintUserToken(stack.authSecret, { sub: "analyst-1", scope: "data:write contacts:read", role: "analyst" }));
  person = await seedPeople(stack, "writes", 150, "org-artteli");
});

afterAll(async () => {
  await stack?.stop();
});

const PK_ROUND = "round-pk-kumppanuusryhmat-2023";
const SUBMIT = `mutation($input: SubmitNominationInput!) { submitNomination(input: $input) { id status } }`;
const RECORD = `mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id role seat { id } } }`;

function codeOf(res: { errors?: readonly { extensions?: Record<string, unknown> }[] }): unknown {
  return res.errors?.[0]?.extensions?.["code"];
}

describe("rules enforced under concurrency", () => {
  for (const [attempt, municipalityCode] of [[1, "167"], [2, "276"], [3, "146"]] as const) {
    it(`accepts exactly 4 of 20 parallel nominations by one nominator with maximum 4 (try ${attempt})`, async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          stack.query<Data>(
            SUBMIT,
            { input: { roundId: PK_ROUND, municipalityCode, personId: person(), submittedOn: "2023-11-15" } },
            admin,
          ),
        ),
      );
      const accepted = results.filter((r) => !r.errors);
      expect(accepted).toHaveLength(4);
      const refused = results.filter((r) => r.errors);
      expect(refused).toHaveLength(16);
      for (const r of refused) {
        expect(codeOf(r)).toBe("BAD_USER_INPUT");
        expect(r.errors![0]!.message).toContain(`nominator ${municipalityCode} has already named 4 of 4 members`);
      }
      const round = await stack.query<Data>(`query($id: ID!) { nominationRound(id: $id) { nominations { id } } }`, { id: PK_ROUND });
      const ids = new Set(round.data.nominationRound.nominations.map((n: Data) => n.id));
      for (const a of accepted) expect(ids.has(a.data.submitNomination.id)).toBe(true);
    });
  }

  it("refuses a nomination outside the round's window", async () => {
    const late = await stack.query(SUBMIT, { input: { roundId: PK_ROUND, municipalityCode: "090", personId: person(), submittedOn: "2023-12-01" } }, admin);
    expect(codeOf(late)).toBe("BAD_USER_INPUT");
    expect(late.errors![0]!.message).toContain("the round closed on 2023-11-30");
  });

  for (const attempt of [1, 2, 3]) {
    it(`records exactly 1 of 20 parallel members on a one-member seat (try ${attempt})`, async () => {
      const seatId = `${GroupKeys.pirhaJyry}-seat-${attempt}`;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          stack.query<Data>(
            RECORD,
            {
              input: {
                groupId: GroupKeys.pirhaJyry,
                seatId,
                personId: person(),
                organisationId: "org-artteli",
                role: "MEMBER",
                startsOn: "2024-01-01",
              },
            },
            admin,
          ),
        ),
      );
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      const refused = results.filter((r) => r.errors);
      expect(refused).toHaveLength(19);
      for (const r of refused) {
        expect(codeOf(r)).toBe("BAD_USER_INPUT");
        expect(r.errors![0]!.extensions!["field"]).toBe("input.seatId");
        expect(r.errors![0]!.message).toMatch(/seat .+ already has 1 of 1 members/);
      }
    });
  }

  it("records one of 20 identical parallel calls for one person: one active role per person per group", async () => {
    const input = { groupId: GroupKeys.pkKeskinen, personId: person(), organisationId: "org-municipality-167", role: "MEMBER", startsOn: "2024-01-01" };
    const results = await Promise.all(Array.from({ length: 20 }, () => stack.query<Data>(RECORD, { input }, admin)));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of results.filter((x) => x.errors)) {
      expect(r.errors![0]!.message).toContain("one active role per person per group");
    }
    const other = await stack.query(RECORD, { input: { ...input, role: "SECRETARY", startsOn: "2024-06-01" } }, admin);
    expect(codeOf(other)).toBe("BAD_USER_INPUT");
  });

  it("pairs a deputy with a named member of the same seat, one deputy per member", async () => {
    const seatId = `${GroupKeys.pirhaJyry}-seat-10`;
    const base = { groupId: GroupKeys.pirhaJyry, organisationId: "org-artteli", startsOn: "2024-01-01" };
    const member = await stack.query<Data>(RECORD, { input: { ...base, seatId, personId: person(), role: "MEMBER" } }, admin);
    expect(member.errors).toBeUndefined();
    const unnamed = await stack.query(RECORD, { input: { ...base, seatId, personId: person(), role: "DEPUTY" } }, admin);
    expect(codeOf(unnamed)).toBe("BAD_USER_INPUT");
    expect(unnamed.errors![0]!.extensions!["field"]).toBe("input.deputyOfId");
    const deputy = await stack.query<Data>(
      RECORD,
      { input: { ...base, personId: person(), role: "DEPUTY", deputyOfId: member.data.recordMembership.id } },
      admin,
    );
    expect(deputy.errors).toBeUndefined();
    expect(deputy.data.recordMembership.seat.id).toBe(seatId);
    const second = await stack.query(
      RECORD,
      { input: { ...base, personId: person(), role: "DEPUTY", deputyOfId: member.data.recordMembership.id } },
      admin,
    );
    expect(codeOf(second)).toBe("BAD_USER_INPUT");
    expect(second.errors![0]!.message).toContain("the member already has a deputy");
    const speaking = await stack.query(RECORD, { input: { ...base, seatId: `${GroupKeys.pirhaJyry}-seat-speaking-1`, personId: person(), role: "MEMBER" } }, admin);
    expect(codeOf(speaking)).toBe("BAD_USER_INPUT");
    expect(speaking.errors![0]!.message).toContain("speaking right only");
    const backwards = await stack.query(RECORD, { input: { ...base, personId: person(), role: "SECRETARY", endsOn: "2023-01-01" } }, admin);
    expect(backwards.errors![0]!.extensions!["field"]).toBe("input.endsOn");
  });
});

describe("references across services checked on write", () => {
  it("refuses an unknown person, organisation or group with BAD_USER_INPUT naming the field, and changes no row", async () => {
    const history = async () =>
      (await stack.query<Data>(`query($id: ID!) { cooperationGroup(id: $id) { memberships(history: true) { id } } }`, { id: GroupKeys.pkLantinen }))
        .data.cooperationGroup.memberships.length;
    const before = await history();
    const input = { groupId: GroupKeys.pkLantinen, personId: person(), organisationId: "org-municipality-167", role: "SECRETARY", startsOn: "2024-01-01" };
    const unknownPerson = await stack.query(RECORD, { input: { ...input, personId: "person-nope" } }, admin);
    expect(codeOf(unknownPerson)).toBe("BAD_USER_INPUT");
    expect(unknownPerson.errors![0]!.extensions!["field"]).toBe("input.personId");
    const unknownOrganisation = await stack.query(RECORD, { input: { ...input, organisationId: "org-nope" } }, admin);
    expect(unknownOrganisation.errors![0]!.extensions!["field"]).toBe("input.organisationId");
    expect(await history()).toBe(before);

    const createMeasure = `mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`;
    const measures = async () =>
      (await stack.query<Data>(`query($id: ID!) { cooperationGroup(id: $id) { measures { id } } }`, { id: GroupKeys.pkLantinen })).data.cooperationGroup
        .measures.length;
    const measuresBefore = await measures();
    const badOrg = await stack.query(createMeasure, { input: { countyCode: "14", title: "Kerhot", organisationIds: ["org-nope"], groupIds: [GroupKeys.pkLantinen] } }, admin);
    expect(badOrg.errors![0]!.extensions!["field"]).toBe("input.organisationIds");
    const badGroup = await stack.query(createMeasure, { input: { countyCode: "14", title: "Kerhot", groupIds: [GroupKeys.pkLantinen, "group-nope"] } }, admin);
    expect(badGroup.errors![0]!.extensions!["field"]).toBe("input.groupIds");
    expect(badGroup.errors![0]!.message).toContain("group-nope");
    expect(await measures()).toBe(measuresBefore);
    const good = await stack.query(createMeasure, { input: { countyCode: "14", title: "Kerhot", organisationIds: ["org-municipality-167"], groupIds: [GroupKeys.pkLantinen] } }, admin);
    expect(good.errors).toBeUndefined();
    expect(await measures()).toBe(measuresBefore + 1);
    expect((await stack.query(RECORD, { input }, admin)).errors).toBeUndefined();
    expect(await history()).toBe(before + 1);
  });
});

describe("roles from the verified token", () => {
  it("lets a coordinator of county 14 write there and refuses county 08 with FORBIDDEN naming the county; an admin writes both", async () => {
    const pirha = { groupId: GroupKeys.pirhaJyry, personId: person(), organisationId: "org-artteli", role: "SECRETARY", startsOn: "2024-01-01" };
    const refused = await stack.query(RECORD, { input: pirha }, coordinator14);
    expect(codeOf(refused)).toBe("FORBIDDEN");
    expect(refused.errors![0]!.message).toContain("county 08");
    const pk = { groupId: GroupKeys.pkKeskinen, personId: person(), organisationId: "org-municipality-167", role: "SECRETARY", startsOn: "2024-01-01" };
    expect((await stack.query(RECORD, { input: pk }, coordinator14)).errors).toBeUndefined();
    expect((await stack.query(RECORD, { input: pirha }, admin)).errors).toBeUndefined();
    const byAnalyst = await stack.query(RECORD, { input: { ...pk, personId: person() } }, analyst);
    expect(codeOf(byAnalyst)).toBe("FORBIDDEN");
  });

  it("refuses a coordinator of county 14 a county 08 person, round and measure with FORBIDDEN; an admin succeeds", async () => {
    const updatePerson = `mutation($id: ID!) { updatePerson(id: $id, input: { title: "Koordinaattori" }) { id title } }`;
    const personRes = await stack.query(updatePerson, { id: PersonKeys.iirisAholainen }, coordinator14);
    expect(codeOf(personRes)).toBe("FORBIDDEN");
    expect(personRes.errors![0]!.message).toContain("county 08");
    const round = await stack.query(
      SUBMIT,
      { input: { roundId: "round-pirha-jyry-2023", categoryId: "category-08-liikunta", personId: person(), submittedOn: "2023-11-01" } },
      coordinator14,
    );
    expect(codeOf(round)).toBe("FORBIDDEN");
    expect(round.errors![0]!.message).toContain("county 08");
    const createMeasure = `mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`;
    const measure = await stack.query(createMeasure, { input: { countyCode: "08", title: "Liikuntaryhmät" } }, coordinator14);
    expect(codeOf(measure)).toBe("FORBIDDEN");
    expect(measure.errors![0]!.message).toContain("county 08");
    const created = await stack.query<Data>(createMeasure, { input: { countyCode: "08", title: "Liikuntaryhmät" } }, admin);
    expect(created.errors).toBeUndefined();
    const note = await stack.query(
      `mutation($input: AddMeasureProgressNoteInput!) { addMeasureProgressNote(input: $input) { id } }`,
      { input: { measureId: created.data.createMeasure.id, notedOn: "2024-02-01", text: "Aloitettu" } },
      coordinator14,
    );
    expect(codeOf(note)).toBe("FORBIDDEN");
    const byAdmin = await stack.query<Data>(updatePerson, { id: PersonKeys.iirisAholainen }, admin);
    expect(byAdmin.errors).toBeUndefined();
    expect(byAdmin.data.updatePerson.title).toBe("Koordinaattori");
  });
});
