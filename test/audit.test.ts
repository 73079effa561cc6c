import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, mintUserToken } from "@yhdyspinta/core";
import { bearer, serviceSql, startTestStack, type TestStack } from "./support.ts";

// The audit trail and reads that survive dangling references, through the gateway.

let stack: TestStack;
let admin: Record<string, string>;
let coordinator14: Record<string, string>;
let coordinator08: Record<string, string>;
let analyst: Record<string, string>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

const PK_ROUND = "round-pk-kumppanuusryhmat-2023";
const ORG_167 = "org-municipality-167";
const EMAIL = "audit.testaaja@example.invalid";
const PHONE = "+358 000 123 4567";

const CHANGES = `changes { totalCount edges { cursor node { id changedAt actorSubject actorRole entityType entityId operation before after changedFields } } pageInfo { hasNextPage endCursor } }`;

const sql = <T = Data>(service: "organisations" | "groups" | "planning", query: string, params: unknown[] = []) =>
  serviceSql<T>(stack, service, query, params);

async function ok(query: string, variables: Record<string, unknown>, headers = admin): Promise<Data> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

/** The one change of `operation` in a `changes` connection. */
function only(changes: Data, operation: string): Data {
  const nodes = changes.edges.map((e: Data) => e.node).filter((n: Data) => n.operation === operation);
  expect(nodes).toHaveLength(1);
  return nodes[0];
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await startTestStack("audit");
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "audit-admin", scope: "data:write contacts:read", role: "admin" }));
  coordinator14 = bearer(await mintUserToken(stack.authSecret, { sub: "audit-coord-14", scope: "data:write contacts:read", role: "coordinator", counties: ["14"] }));
  coordinator08 = bearer(await mintUserToken(stack.authSecret, { sub: "audit-coord-08", scope: "data:write contacts:read", role: "coordinator", counties: ["08"] }));
  analyst = bearer(await mintUserToken(stack.authSecret, { sub: "audit-analyst", scope: "contacts:read", role: "analyst" }));

  // Every mutation of the supergraph once (schema/*.graphql, type Mutation).
  ids["organisation"] = (
    await ok(`mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`, {
      input: { name: "Auditointiyhdistys ry", kind: "ASSOCIATION", countyCode: "14" },
    })
  ).createOrganisation.id;
  await ok(`mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id } }`, {
    id: ids["organisation"],
    input: { name: "Auditointiyhdistys ry (uusi nimi)" },
  });
  ids["person"] = (
    await ok(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, {
      input: { name: "Audit Testaaja", organisationId: ORG_167, email: EMAIL, phone: PHONE },
    })
  ).createPerson.id;
  await ok(`mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }`, {
    id: ids["person"],
    input: { email: "toinen.osoite@example.invalid", title: "Koordinaattori" },
  });
  ids["membership"] = (
    await ok(`mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`, {
      input: { groupId: GroupKeys.pkKeskinen, personId: ids["person"], organisationId: ORG_167, role: "CHAIR", startsOn: "2024-01-01" },
    })
  ).recordMembership.id;
  await ok(`mutation($id: ID!) { endMembership(input: { membershipId: $id, endsOn: "2024-06-30" }) { id } }`, { id: ids["membership"] });
  ids["meeting"] = (
    await ok(`mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`, {
      input: { groupId: GroupKeys.pkKeskinen, kind: "REGULAR", title: "Auditoitu kokous", startsAt: "2025-02-03T10:00:00+02:00" },
    })
  ).scheduleMeeting.id;
  ids["nomination"] = (
    await ok(`mutation($input: SubmitNominationInput!) { submitNomination(input: $input) { id } }`, {
      input: { roundId: PK_ROUND, municipalityCode: "167", personId: ids["person"], organisationId: ORG_167, submittedOn: "2023-11-15" },
    })
  ).submitNomination.id;
  ids["measure"] = (
    await ok(`mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`, {
      input: { countyCode: "14", title: "Auditoitu toimenpide", organisationIds: [ORG_167], groupIds: [GroupKeys.pkKeskinen] },
    })
  ).createMeasure.id;
  ids["note"] = (
    await ok(`mutation($input: AddMeasureProgressNoteInput!) { addMeasureProgressNote(input: $input) { id } }`, {
      input: { measureId: ids["measure"], notedOn: "2025-03-01", text: "Käynnistetty" },
    })
  ).addMeasureProgressNote.id;
  ids["grant"] = (
    await ok(`mutation($input: AwardGrantInput!) { awardGrant(input: $input) { id } }`, {
      input: { programmeId: "grant-programme-16-jarjestoavustukset", organisationId: "org-jarjestotalo", amount: "1500.00", year: 2025, purpose: "auditointi" },
    })
  ).awardGrant.id;
});

afterAll(async () => {
  await stack?.stop();
});

describe("changes: every mutation is recorded with before and after", () => {
  it("lists the mutations this test covers: all of the supergraph's", () => {
    const supergraph = readFileSync(new URL("../schema/supergraph.graphql", import.meta.url), "utf8");
    const block = /type Mutation[^{]*\{([\s\S]*?)\n\}/.exec(supergraph)?.[1] ?? "";
    const mutations = [...block.matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]).sort();
    // The checks live in the test files of the workflows (this one, audit-workflows, organisation-lifecycle, the register and planning writes …): every test file is read.
    const dir = new URL("./", import.meta.url);
    const covered = readdirSync(dir).filter((f) => f.endsWith(".test.ts")).map((f) => readFileSync(new URL(f, dir), "utf8")).join("\n");
    expect(mutations.length).toBeGreaterThan(0);
    // Webhook endpoints are delivery settings, not register data: they are kept out of the audit
    // trail so that managing them does not feed the change feed they deliver (docs/WEBHOOKS.md).
    const notAudited = new Set(["registerWebhookEndpoint", "updateWebhookEndpoint", "deleteWebhookEndpoint", "replayWebhookDeadLetters"]);
    for (const name of notAudited) expect(mutations, `${name} is listed as not audited but is no mutation`).toContain(name);
    for (const name of mutations.filter((m) => !notAudited.has(m!))) expect(covered, `mutation ${name} has no audit check`).toContain(`{ ${name}(`);
  });

  it("organisation: createOrganisation and updateOrganisation, newest first", async () => {
    const data = await ok(`query($id: ID!) { organisation(id: $id) { ${CHANGES} } }`, { id: ids["organisation"] });
    const changes = data.organisation.changes;
    expect(changes.totalCount).toBe(2);
    expect(changes.edges.map((e: Data) => e.node.operation)).toEqual(["UPDATE", "CREATE"]);
    const created = only(changes, "CREATE");
    expect(created).toMatchObject({ entityType: "Organisation", entityId: ids["organisation"], actorSubject: "audit-admin", actorRole: "admin", before: null });
    expect(created.after).toMatchObject({ name: "Auditointiyhdistys ry", countyCode: "14", kind: "association" });
    const updated = only(changes, "UPDATE");
    expect(updated.before.name).toBe("Auditointiyhdistys ry");
    expect(updated.after.name).toBe("Auditointiyhdistys ry (uusi nimi)");
    expect(updated.changedFields).toContain("name");
    expect(Date.parse(updated.changedAt)).toBeGreaterThanOrEqual(Date.parse(created.changedAt));
  });

  it("organisation: its municipality and category lists, in the record of the write that changed them", async () => {
    // Pirkanmaa ("08") has a classification of its own.
    const category = (await ok(`{ organisationCategories(countyCode: "08") { id } }`, {})).organisationCategories[0].id as string;
    const changesOf = async (id: string) => (await ok(`query($id: ID!) { organisation(id: $id) { ${CHANGES} } }`, { id })).organisation.changes;
    const update = (id: string, input: Record<string, unknown>) =>
      ok(`mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id } }`, { id, input });
    const id = (
      await ok(`mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`, {
        input: { name: "Linkkiyhdistys ry", kind: "ASSOCIATION", countyCode: "08", municipalityCodes: ["837", "837"] },
      })
    ).createOrganisation.id as string;
    const created = only(await changesOf(id), "CREATE");
    expect(created.after.municipalityCodes).toEqual(["837"]);
    expect(created.changedFields).toContain("municipalityCodes");

    // Only the lists change: a change of their own.
    await update(id, { municipalityCodes: ["853", "837"], categoryIds: [category] });
    let changes = await changesOf(id);
    expect(changes.totalCount).toBe(2);
    const links = changes.edges[0].node;
    expect(links).toMatchObject({ operation: "UPDATE", actorSubject: "audit-admin" });
    // Over the organisation's whole (unchanged) row, as every entry holds it: knownAt rebuilds the row from `before`.
    expect(links.before).toMatchObject({ id, name: "Linkkiyhdistys ry", kind: "association", countyCode: "08", municipalityCodes: ["837"], categoryIds: [] });
    expect(links.after).toMatchObject({ id, name: "Linkkiyhdistys ry", kind: "association", countyCode: "08", municipalityCodes: ["837", "853"], categoryIds: [category] });
    expect(links.changedFields).toEqual(["categoryIds", "municipalityCodes"]);

    // A name and a list together: one change naming both.
    await update(id, { name: "Linkkiyhdistys ry (uusi nimi)", municipalityCodes: ["853"], categoryIds: [category] });
    changes = await changesOf(id);
    expect(changes.totalCount).toBe(3);
    const both = changes.edges[0].node;
    expect(both.changedFields).toEqual(expect.arrayContaining(["municipalityCodes", "name"]));
    expect(both.changedFields).not.toContain("categoryIds");
    expect(both.before).toMatchObject({ name: "Linkkiyhdistys ry", municipalityCodes: ["837", "853"], categoryIds: [category] });
    expect(both.after).toMatchObject({ name: "Linkkiyhdistys ry (uusi nimi)", municipalityCodes: ["853"], categoryIds: [category] });

    // The same lists again: nothing changed, nothing recorded.
    await update(id, { municipalityCodes: ["853"], categoryIds: [category] });
    expect((await changesOf(id)).totalCount).toBe(3);
  });

  it("person: createPerson and updatePerson with e-mail and phone masked, also for a caller with contacts:read", async () => {
    const data = await ok(`query($id: ID!) { person(id: $id) { email ${CHANGES} } }`, { id: ids["person"] });
    expect(data.person.email).toBe("toinen.osoite@example.invalid");
    const created = only(data.person.changes, "CREATE");
    expect(created.after).toMatchObject({ name: "Audit Testaaja", email: "***", phone: "***", organisationId: ORG_167 });
    const updated = only(data.person.changes, "UPDATE");
    expect(updated.before).toMatchObject({ email: "***", title: null });
    expect(updated.after).toMatchObject({ email: "***", title: "Koordinaattori" });
    // The e-mail changed: the field is named although its values are masked.
    expect(updated.changedFields).toEqual(expect.arrayContaining(["email", "title"]));
    expect(updated.changedFields).not.toContain("phone");
    // Nothing personal reached the audit table.
    const stored = JSON.stringify(await sql("organisations", `select * from change_record`));
    expect(stored).toContain(ids["person"]);
    for (const secret of [EMAIL, "toinen.osoite", PHONE, "123 4567"]) expect(stored).not.toContain(secret);
  });

  it("membership: recordMembership and endMembership", async () => {
    const data = await ok(`query($id: ID!) { person(id: $id) { memberships(history: true) { id ${CHANGES} } } }`, { id: ids["person"] });
    const membership = data.person.memberships.find((m: Data) => m.id === ids["membership"]);
    expect(membership.changes.edges.map((e: Data) => e.node.operation)).toEqual(["UPDATE", "CREATE"]);
    const created = only(membership.changes, "CREATE");
    expect(created).toMatchObject({ entityType: "GroupMembership", entityId: ids["membership"], actorSubject: "audit-admin" });
    expect(created.after).toMatchObject({ groupId: GroupKeys.pkKeskinen, personId: ids["person"], role: "chair", startsOn: "2024-01-01", endsOn: null });
    const ended = only(membership.changes, "UPDATE");
    expect(ended.before.endsOn).toBeNull();
    expect(ended.after.endsOn).toBe("2024-06-30");
    expect(ended.changedFields).toEqual(["endsOn"]);
  });

  it("meeting: scheduleMeeting", async () => {
    const data = await ok(`query($id: ID!) { cooperationGroup(id: $id) { meetings { id ${CHANGES} } } }`, { id: GroupKeys.pkKeskinen });
    const meeting = data.cooperationGroup.meetings.find((m: Data) => m.id === ids["meeting"]);
    const created = only(meeting.changes, "CREATE");
    expect(created).toMatchObject({ entityType: "GroupMeeting", before: null });
    expect(created.after).toMatchObject({ title: "Auditoitu kokous", kind: "regular", groupId: GroupKeys.pkKeskinen });
  });

  it("nomination: submitNomination", async () => {
    const data = await ok(`query($id: ID!) { nominationRound(id: $id) { nominations { id ${CHANGES} } } }`, { id: PK_ROUND });
    const nomination = data.nominationRound.nominations.find((n: Data) => n.id === ids["nomination"]);
    const created = only(nomination.changes, "CREATE");
    expect(created).toMatchObject({ entityType: "Nomination", entityId: ids["nomination"] });
    expect(created.after).toMatchObject({ personId: ids["person"], roundId: PK_ROUND, submittedOn: "2023-11-15" });
  });

  it("measure: createMeasure and addMeasureProgressNote", async () => {
    const data = await ok(`query($id: ID!) { measure(id: $id) { ${CHANGES} progressNotes { id ${CHANGES} } } }`, { id: ids["measure"] });
    const created = only(data.measure.changes, "CREATE");
    expect(created).toMatchObject({ entityType: "Measure", before: null });
    expect(created.after).toMatchObject({ title: "Auditoitu toimenpide", countyCode: "14", organisationIds: [ORG_167], groupIds: [GroupKeys.pkKeskinen] });
    const note = data.measure.progressNotes.find((n: Data) => n.id === ids["note"]);
    expect(only(note.changes, "CREATE").after).toMatchObject({ measureId: ids["measure"], notedOn: "2025-03-01", text: "Käynnistetty" });
  });

  it("grant: awardGrant", async () => {
    const data = await ok(`query { grantProgramme(id: "grant-programme-16-jarjestoavustukset") { awards { id ${CHANGES} } } }`, {});
    const award = data.grantProgramme.awards.find((a: Data) => a.id === ids["grant"]);
    expect(only(award.changes, "CREATE").after).toMatchObject({ organisationId: "org-jarjestotalo", amount: "1500.00", year: 2025, purpose: "auditointi" });
  });

  it("pages newest first with cursors and filters by since", async () => {
    const query = `query($id: ID!, $first: Int, $after: String, $since: Instant) { organisation(id: $id) { changes(first: $first, after: $after, since: $since) { totalCount edges { node { operation changedAt } } pageInfo { hasNextPage endCursor } } } }`;
    const first = (await ok(query, { id: ids["organisation"], first: 1 })).organisation.changes;
    expect(first.edges.map((e: Data) => e.node.operation)).toEqual(["UPDATE"]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await ok(query, { id: ids["organisation"], first: 1, after: first.pageInfo.endCursor })).organisation.changes;
    expect(second.edges.map((e: Data) => e.node.operation)).toEqual(["CREATE"]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const since = (await ok(query, { id: ids["organisation"], since: first.edges[0].node.changedAt })).organisation.changes;
    expect(since.edges.map((e: Data) => e.node.operation)).toEqual(["UPDATE"]);
    const later = (await ok(query, { id: ids["organisation"], since: "2099-01-01" })).organisation.changes;
    expect(later.totalCount).toBe(0);
    const bad = await stack.query<Data>(query, { id: ids["organisation"], after: "bm90LWEtY3Vyc29y" }, admin);
    expect(bad.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
  });
});

describe("who may read changes", () => {
  const personChanges = `query($id: ID!) { person(id: $id) { id name changes { totalCount } } }`;

  it("a coordinator of the record's county reads them; one of another county gets FORBIDDEN naming the county", async () => {
    const own = await stack.query<Data>(personChanges, { id: ids["person"] }, coordinator14);
    expect(own.errors).toBeUndefined();
    expect(own.data.person.changes.totalCount).toBe(2);

    const other = await stack.query<Data>(personChanges, { id: ids["person"] }, coordinator08);
    expect(other.errors).toHaveLength(1);
    expect(other.errors![0]!.extensions?.["code"]).toBe("FORBIDDEN");
    expect(other.errors![0]!.message).toContain("county 14");
    expect(other.errors![0]!.extensions?.["county"]).toBe("14");
    expect(other.errors![0]!.path).toEqual(["person", "changes"]);
    // Only the history is refused, not the record.
    expect(other.data.person).toMatchObject({ id: ids["person"], name: "Audit Testaaja", changes: null });

    const group = await stack.query<Data>(`query($id: ID!) { cooperationGroup(id: $id) { changes { totalCount } } }`, { id: GroupKeys.pkKeskinen }, coordinator08);
    expect(group.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    const measure = await stack.query<Data>(`query($id: ID!) { measure(id: $id) { changes { totalCount } } }`, { id: ids["measure"] }, coordinator08);
    expect(measure.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
  });

  it("analysts and anonymous callers get FORBIDDEN; admins read every county", async () => {
    for (const headers of [analyst, {}]) {
      const res = await stack.query<Data>(personChanges, { id: ids["person"] }, headers);
      expect(res.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
      expect(res.data.person.changes).toBeNull();
    }
    const grant = await stack.query<Data>(`query { grantProgramme(id: "grant-programme-16-jarjestoavustukset") { awards { changes { totalCount } } } }`, {}, admin);
    expect(grant.errors).toBeUndefined();
  });
});

describe("audit rows share the transaction of their change", () => {
  it("a refused write leaves no audit row; every audited record exists", async () => {
    const before = await sql("groups", `select count(*)::int as n from change_record`);
    // Refused inside the transaction (the seat's and the person's rules), after the group row was locked.
    const refused = await stack.query<Data>(
      `mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`,
      { input: { groupId: GroupKeys.pkKeskinen, personId: ids["person"], organisationId: ORG_167, role: "DEPUTY", startsOn: "2024-02-01" } },
      admin,
    );
    expect(refused.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    // Refused by county after the references were checked.
    const forbidden = await stack.query<Data>(
      `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`,
      { input: { groupId: GroupKeys.pkKeskinen, kind: "REGULAR", startsAt: "2025-05-05T10:00:00+03:00" } },
      coordinator08,
    );
    expect(forbidden.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    expect(await sql("groups", `select count(*)::int as n from change_record`)).toEqual(before);
    // Every created record in the groups database has its row.
    const orphans = await sql(
      "groups",
      `select c.entity_type, c.entity_id from change_record c
       where (c.entity_type = 'GroupMembership' and not exists (select 1 from membership m where m.id = c.entity_id))
          or (c.entity_type = 'GroupMeeting' and not exists (select 1 from meeting m where m.id = c.entity_id))
          or (c.entity_type = 'Nomination' and not exists (select 1 from nomination n where n.id = c.entity_id))`,
    );
    expect(orphans).toEqual([]);
    const unaudited = await sql("groups", `select id from membership m where m.person_id = $1 and not exists (select 1 from change_record c where c.entity_id = m.id)`, [ids["person"]]);
    expect(unaudited).toEqual([]);
  });
});

describe("submitNomination checks references before the county", () => {
  it("an unknown person is BAD_USER_INPUT naming personId, also for a coordinator of another county", async () => {
    const res = await stack.query<Data>(
      `mutation($input: SubmitNominationInput!) { submitNomination(input: $input) { id } }`,
      { input: { roundId: PK_ROUND, municipalityCode: "167", personId: "person-nope", submittedOn: "2023-11-15" } },
      coordinator08,
    );
    expect(res.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.extensions?.["field"]).toMatch(/(^|\.)personId$/);
  });
});

describe("reads survive a dangling reference", () => {
  it("a membership whose person was deleted nulls only that person, with an error for it, in views 1 and 5", async () => {
    const record = `mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`;
    const createPerson = `mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`;
    const gone = (await ok(createPerson, { input: { name: "Poistuva Henkilö", organisationId: ORG_167 } })).createPerson.id;
    const stays = (await ok(createPerson, { input: { name: "Pysyvä Henkilö", organisationId: ORG_167 } })).createPerson.id;
    const goneMembership = (await ok(record, { input: { groupId: GroupKeys.pkKeskinen, personId: gone, organisationId: ORG_167, role: "MEMBER", startsOn: "2025-01-01" } })).recordMembership.id;
    await ok(record, { input: { groupId: GroupKeys.pkKeskinen, personId: stays, organisationId: ORG_167, role: "MEMBER", startsOn: "2025-01-01" } });
    await sql("organisations", `delete from person where id = $1`, [gone]);

    const view = (name: string) => readFileSync(new URL(`../views/${name}.graphql`, import.meta.url), "utf8");
    const partnership = await stack.query<Data>(view("partnership-groups-by-municipality"), { countyCodes: ["14"], activeOn: "2025-06-01" });
    expect(partnership.data).not.toBeNull();
    const groups = partnership.data.counties[0].municipalities.flatMap((m: Data) => m.cooperationGroups).filter((g: Data) => g.id === GroupKeys.pkKeskinen);
    expect(groups.length).toBeGreaterThan(0);
    const members = groups[0].memberships;
    expect(members.find((m: Data) => m.person?.id === stays)?.person.name).toBe("Pysyvä Henkilö");
    expect(members.filter((m: Data) => m.person === null)).toHaveLength(1);
    expect(partnership.errors?.length).toBeGreaterThan(0);
    for (const error of partnership.errors!) expect(error.path?.at(-1)).toBe("person");

    const representation = await stack.query<Data>(view("representation"), { countyCode: "14", activeOn: "2025-06-01" });
    expect(representation.data).not.toBeNull();
    const group = representation.data.cooperationGroups.edges.map((e: Data) => e.node).find((g: Data) => g.id === GroupKeys.pkKeskinen);
    expect(group.memberships.filter((m: Data) => m.person === null)).toHaveLength(1);
    expect(group.memberships.find((m: Data) => m.person?.id === stays)).toBeDefined();
    expect(representation.errors).toHaveLength(1);
    expect(representation.errors![0]!.path?.at(-1)).toBe("person");
    expect(goneMembership).toBeTruthy();
  });
});

describe("changes: data-subject requests (docs/PERSONAL-DATA.md)", () => {
  it("erasePersonalData: the request and the anonymisation are recorded with the caller, without the erased values", async () => {
    const name = "Poistettava Auditoija";
    const email = "poistettava.auditoija@example.invalid";
    const id = (await ok(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, { input: { name, organisationId: ORG_167, email } })).createPerson.id;
    const erased = (await ok(`mutation($id: ID!) { erasePersonalData(personId: $id, reason: "DP-audit-1") { id outcome } }`, { id })).erasePersonalData;
    expect(erased.outcome).toBe("ERASED");
    const changes = await sql("organisations", `select entity_type, entity_id, operation, actor_subject, actor_role, before, after from change_record where entity_id in ($1, $2) order by changed_at, entity_type`, [id, erased.id]);
    expect(changes.map((c: Data) => [c.entity_type, c.operation, c.actor_subject]).sort()).toEqual([
      ["DataSubjectRequest", "CREATE", "audit-admin"],
      ["Person", "CREATE", "audit-admin"],
      ["Person", "DELETE", "audit-admin"],
    ]);
    expect(changes.find((c: Data) => c.entity_type === "DataSubjectRequest").after).toMatchObject({ personId: id, kind: "erasure", outcome: "erased", reason: "DP-audit-1" });
    const stored = JSON.stringify(await sql("organisations", `select * from change_record where entity_id = $1`, [id]));
    for (const secret of [name, email]) expect(stored).not.toContain(secret);
  });
});
