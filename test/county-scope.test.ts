import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, mintUserToken, OrganisationKeys } from "@yhdyspinta/core";
import { bearer, serviceSql, startTestStack, type TestStack } from "./support.ts";

/**
 * Issue 24 item 2: a coordinator writes only within their county, references
 * included. Every municipality, organisation, category or group a write names
 * must belong to a county the caller may write, else FORBIDDEN naming the
 * county and the field, with nothing written; the same on edits; admins may
 * refer to any county, and anyone to a national organisation (no county).
 * Municipality 837 is Tampere (county 08), 167 Joensuu (county 14).
 */

let stack: TestStack;
let admin: Record<string, string>;
let coordinator14: Record<string, string>;

interface Result {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data?: any;
  errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
}

beforeAll(async () => {
  stack = await startTestStack("scope");
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "admin-scope", scope: "data:write", role: "admin" }));
  coordinator14 = bearer(await mintUserToken(stack.authSecret, { sub: "coordinator-scope-14", scope: "data:write", role: "coordinator", counties: ["14"] }));
});

afterAll(async () => {
  await stack?.stop();
});

const q = (query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<Result> => stack.query(query, variables, headers);

async function ok(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const res = await q(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

function expectOutOfScope(res: Result, county: string, field: string): void {
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", county, field });
  expect(res.errors![0]!.message).toContain(`county ${county}`);
  expect(res.errors![0]!.message).toContain(field);
}

const CREATE_GROUP = `mutation($input: CreateCooperationGroupInput!) { createCooperationGroup(input: $input) { id municipalities { code } } }`;
const EDIT_GROUP = `mutation($input: EditCooperationGroupInput!) { editCooperationGroup(input: $input) { id municipalities { code } } }`;
const CREATE_ORG = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id municipalities { code } } }`;
const UPDATE_ORG = `mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id municipalities { code } parent { id } } }`;

const groupsNamed = async (name: string) =>
  (await serviceSql<{ id: string }>(stack, "groups", "select id from cooperation_group where name = $1", [name])).length;
const organisationsNamed = async (name: string) =>
  (await serviceSql<{ id: string }>(stack, "organisations", "select id from organisation where name = $1", [name])).length;

describe("county scope of references in writes", () => {
  it("refuses a county-14 coordinator a group covering Tampere (county 08), on creation and on edits; an admin may", async () => {
    const name = "Rajat ylittävä ryhmä";
    const refused = await q(CREATE_GROUP, { input: { countyCode: "14", name, kind: "PARTNERSHIP_GROUP", municipalityCodes: ["837"] } }, coordinator14);
    expectOutOfScope(refused, "08", "input.municipalityCodes");
    expect(await groupsNamed(name)).toBe(0);
    const tampere = await ok(`{ municipality(code: "837") { cooperationGroups { name } } }`, {}, admin);
    expect(tampere.municipality.cooperationGroups.map((g: { name: string }) => g.name)).not.toContain(name);

    const own = (await ok(CREATE_GROUP, { input: { countyCode: "14", name: "Joensuun oma ryhmä", kind: "PARTNERSHIP_GROUP", municipalityCodes: ["167"] } }, coordinator14))
      .createCooperationGroup;
    expect(own.municipalities).toEqual([{ code: "167" }]);
    expectOutOfScope(await q(EDIT_GROUP, { input: { groupId: own.id, municipalityCodes: ["167", "837"] } }, coordinator14), "08", "input.municipalityCodes");
    const after = await ok(`query($id: ID!) { cooperationGroup(id: $id) { municipalities { code } } }`, { id: own.id }, admin);
    expect(after.cooperationGroup.municipalities).toEqual([{ code: "167" }]);

    const byAdmin = (await ok(CREATE_GROUP, { input: { countyCode: "14", name: "Ylläpidon rajaryhmä", kind: "PARTNERSHIP_GROUP", municipalityCodes: ["167", "837"] } }, admin))
      .createCooperationGroup;
    expect(byAdmin.municipalities.map((m: { code: string }) => m.code).sort()).toEqual(["167", "837"]);
  });

  it("refuses a county-14 coordinator an organisation working in Tampere or under a county-08 parent, on creation and on edits; an admin may", async () => {
    const name = "Rajan yli toimiva ry";
    expectOutOfScope(await q(CREATE_ORG, { input: { name, kind: "ASSOCIATION", countyCode: "14", municipalityCodes: ["837"] } }, coordinator14), "08", "input.municipalityCodes");
    expect(await organisationsNamed(name)).toBe(0);

    const own = (await ok(CREATE_ORG, { input: { name: "Joensuun oma ry", kind: "ASSOCIATION", countyCode: "14", municipalityCodes: ["167"] } }, coordinator14)).createOrganisation;
    expectOutOfScope(await q(UPDATE_ORG, { id: own.id, input: { municipalityCodes: ["837"] } }, coordinator14), "08", "input.municipalityCodes");
    expectOutOfScope(await q(UPDATE_ORG, { id: own.id, input: { parentId: OrganisationKeys.pirha } }, coordinator14), "08", "input.parentId");
    const after = await ok(`query($id: ID!) { organisation(id: $id) { municipalities { code } parent { id } } }`, { id: own.id }, admin);
    expect(after.organisation).toEqual({ municipalities: [{ code: "167" }], parent: null });

    const byAdmin = (await ok(CREATE_ORG, { input: { name: "Ylläpidon rajayhdistys ry", kind: "ASSOCIATION", countyCode: "14", municipalityCodes: ["837"] } }, admin)).createOrganisation;
    expect(byAdmin.municipalities).toEqual([{ code: "837" }]);
  });

  it("refuses a county-14 coordinator seats, members and measures naming county-08 municipalities, organisations or groups", async () => {
    const SEAT = `mutation($input: CreateGroupSeatInput!) { createGroupSeat(input: $input) { id } }`;
    expectOutOfScope(
      await q(SEAT, { input: { groupId: GroupKeys.pkKeskinen, constituency: "MUNICIPALITY", label: "Tampere", municipalityCode: "837" } }, coordinator14),
      "08",
      "input.municipalityCode",
    );
    expectOutOfScope(
      await q(SEAT, { input: { groupId: GroupKeys.pkKeskinen, constituency: "SECTOR", label: "Artteli", organisationId: OrganisationKeys.artteli } }, coordinator14),
      "08",
      "input.organisationId",
    );
    const seats = await serviceSql(stack, "groups", "select id from group_seat where group_id = $1 and label in ('Tampere', 'Artteli')", [GroupKeys.pkKeskinen]);
    expect(seats).toEqual([]);

    const [person] = await serviceSql<{ id: string }>(stack, "organisations", "select id from person order by id limit 1");
    const RECORD = `mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`;
    const member = { groupId: GroupKeys.pkKeskinen, personId: person!.id, role: "SECRETARY", startsOn: "2024-01-01" };
    expectOutOfScope(await q(RECORD, { input: { ...member, organisationId: OrganisationKeys.artteli } }, coordinator14), "08", "input.organisationId");

    const MEASURE = `mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`;
    expectOutOfScope(await q(MEASURE, { input: { countyCode: "14", title: "Rajaton kerho", organisationIds: [OrganisationKeys.artteli] } }, coordinator14), "08", "input.organisationIds");
    expectOutOfScope(await q(MEASURE, { input: { countyCode: "14", title: "Rajaton kerho", groupIds: [GroupKeys.pirhaJyry] } }, coordinator14), "08", "input.groupIds");
    expect(await serviceSql(stack, "planning", "select id from measure where title = 'Rajaton kerho'")).toEqual([]);

    const own = (await ok(MEASURE, { input: { countyCode: "14", title: "Oma kerho", organisationIds: ["org-municipality-167"] } }, coordinator14)).createMeasure;
    const UPDATE = `mutation($input: UpdateMeasureInput!) { updateMeasure(input: $input) { id } }`;
    expectOutOfScope(await q(UPDATE, { input: { measureId: own.id, organisationIds: [OrganisationKeys.artteli] } }, coordinator14), "08", "input.organisationIds");
    const [kept] = await serviceSql<{ organisation_ids: string[] }>(stack, "planning", "select organisation_ids from measure where id = $1", [own.id]);
    expect(kept!.organisation_ids).toEqual(["org-municipality-167"]);

    // A national organisation (no county) may be named by any county; an admin names any county's.
    await ok(MEASURE, { input: { countyCode: "14", title: "Kelan kanssa", organisationIds: [OrganisationKeys.kela], groupIds: [GroupKeys.pkKeskinen] } }, coordinator14);
    await ok(MEASURE, { input: { countyCode: "14", title: "Ylläpidon rajaton kerho", organisationIds: [OrganisationKeys.artteli] } }, admin);
  });

  it("refuses a county-14 coordinator a round asking Tampere (county 08) to nominate, on opening and on edits", async () => {
    const OPEN = `mutation($input: OpenNominationRoundInput!) { openNominationRound(input: $input) { id } }`;
    const round = { countyCode: "14", kind: "NOMINATION_REQUEST", closesOn: "2024-02-28", groupIds: [GroupKeys.pkKeskinen] };
    expectOutOfScope(await q(OPEN, { input: { ...round, name: "Rajaton kierros", nominators: [{ municipalityCode: "837" }] } }, coordinator14), "08", "input.nominators");
    expect(await serviceSql(stack, "groups", "select id from nomination_round where name = 'Rajaton kierros'")).toEqual([]);
    const id = (await ok(OPEN, { input: { ...round, name: "Oma kierros", nominators: [{ municipalityCode: "167" }] } }, coordinator14)).openNominationRound.id;
    const EDIT = `mutation($input: EditNominationRoundInput!) { editNominationRound(input: $input) { id } }`;
    expectOutOfScope(await q(EDIT, { input: { roundId: id, addNominators: [{ municipalityCode: "837" }] } }, coordinator14), "08", "input.addNominators");
    expect(await serviceSql(stack, "groups", "select municipality_code from nominator where round_id = $1", [id])).toEqual([{ municipality_code: "167" }]);
  });
});
