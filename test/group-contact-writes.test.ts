import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, mintUserToken } from "@yhdyspinta/core";
import { bearer, seedPeople, serviceSql, startTestStack, type TestStack } from "./support.ts";

// A group's named contacts (lisätiedot) through the gateway: set, edit and
// remove, county-scoped, refused with the field named, and audited.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

let stack: TestStack;
let coordinator14: Record<string, string>;
let coordinator08: Record<string, string>;
let nextPerson: () => string;

const SET = `mutation($input: SetGroupContactInput!) { setGroupContact(input: $input) { title person { id } organisation { id } } }`;
const REMOVE = `mutation($input: RemoveGroupContactInput!) { removeGroupContact(input: $input) }`;
const CONTACTS = `query($id: ID!) { cooperationGroup(id: $id) { contacts { title person { id } } } }`;

const contactRows = async (personId: string) =>
  await serviceSql<{ title: string | null }>(stack, "groups", `select title from group_contact where group_id = $1 and person_id = $2`, [GroupKeys.pkKeskinen, personId]);
const changes = async (personId: string) =>
  await serviceSql<{ operation: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null; actor_subject: string }>(
    stack,
    "groups",
    `select operation, before, after, actor_subject from change_record where entity_type = 'GroupContact' and entity_id like '%' || $1 || '%' order by changed_at, id`,
    [personId],
  );

beforeAll(async () => {
  stack = await startTestStack("group-contacts");
  coordinator14 = bearer(await mintUserToken(stack.authSecret, { sub: "contacts-coord-14", scope: "data:write contacts:read", role: "coordinator", counties: ["14"] }));
  coordinator08 = bearer(await mintUserToken(stack.authSecret, { sub: "contacts-coord-08", scope: "data:write", role: "coordinator", counties: ["08"] }));
  nextPerson = await seedPeople(stack, "contacts", 4);
});

afterAll(async () => {
  await stack?.stop();
});

describe("group contacts", () => {
  it("names, edits and removes a contact, each audited with before and after", async () => {
    const personId = nextPerson();
    const set = await stack.query<Data>(SET, { input: { groupId: GroupKeys.pkKeskinen, personId, title: "suunnittelija", organisationId: "org-municipality-167" } }, coordinator14);
    expect(set.errors).toBeUndefined();
    expect(set.data.setGroupContact).toEqual({ title: "suunnittelija", person: { id: personId }, organisation: { id: "org-municipality-167" } });
    const listed = await stack.query<Data>(CONTACTS, { id: GroupKeys.pkKeskinen }, coordinator14);
    expect(listed.data.cooperationGroup.contacts).toContainEqual({ title: "suunnittelija", person: { id: personId } });

    const edited = await stack.query<Data>(SET, { input: { groupId: GroupKeys.pkKeskinen, personId, title: "suunnittelupäällikkö" } }, coordinator14);
    expect(edited.data.setGroupContact.title).toBe("suunnittelupäällikkö");
    expect(edited.data.setGroupContact.organisation).toEqual({ id: "org-municipality-167" });

    const removed = await stack.query<Data>(REMOVE, { input: { groupId: GroupKeys.pkKeskinen, personId } }, coordinator14);
    expect(removed.data.removeGroupContact).toBe(personId);
    expect(await contactRows(personId)).toEqual([]);

    const trail = await changes(personId);
    expect(trail.map((c) => c.operation)).toEqual(["CREATE", "UPDATE", "DELETE"]);
    expect(trail.every((c) => c.actor_subject === "contacts-coord-14")).toBe(true);
    expect(trail[0]!.after).toMatchObject({ title: "suunnittelija", organisationId: "org-municipality-167" });
    expect(trail[1]!.before).toMatchObject({ title: "suunnittelija" });
    expect(trail[1]!.after).toMatchObject({ title: "suunnittelupäällikkö" });
    expect(trail[2]!.before).toMatchObject({ title: "suunnittelupäällikkö" });
  });

  it("refuses another county's coordinator with FORBIDDEN and writes nothing", async () => {
    const personId = nextPerson();
    const res = await stack.query<Data>(SET, { input: { groupId: GroupKeys.pkKeskinen, personId, title: "x" } }, coordinator08);
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await contactRows(personId)).toEqual([]);
    expect(await changes(personId)).toEqual([]);
  });

  it("refuses bad input with BAD_USER_INPUT naming the field, and changes nothing", async () => {
    const personId = nextPerson();
    const cases: [Record<string, unknown>, string][] = [
      [{ groupId: GroupKeys.pkKeskinen, personId: "person-nobody" }, "input.personId"],
      [{ groupId: "group-nobody", personId }, "input.groupId"],
      [{ groupId: GroupKeys.pkKeskinen, personId, title: "" }, "input.title"],
      [{ groupId: GroupKeys.pkKeskinen, personId, ordinal: 5000 }, "input.ordinal"],
      [{ groupId: GroupKeys.pkKeskinen, personId, organisationId: "org-nobody" }, "input.organisationId"],
    ];
    for (const [input, field] of cases) {
      const res = await stack.query<Data>(SET, { input }, coordinator14);
      expect(res.errors?.[0]?.extensions?.code, field).toBe("BAD_USER_INPUT");
      expect(res.errors?.[0]?.extensions?.field, field).toBe(field);
    }
    const missing = await stack.query<Data>(REMOVE, { input: { groupId: GroupKeys.pkKeskinen, personId } }, coordinator14);
    expect(missing.errors?.[0]?.extensions?.field).toBe("input.personId");
    expect(await contactRows(personId)).toEqual([]);
    expect(await changes(personId)).toEqual([]);
  });
});
