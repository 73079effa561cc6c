import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, KNOWN_AT_HEADER, mintUserToken } from "@yhdyspinta/core";
import { signedViewerHeaders } from "@yhdyspinta/core/testing";
import { bearer, seedPeople, startTestStack, type TestStack } from "./support.ts";

// `knownAt`: the register as it stood at an instant, read from the audit
// trail, so that a report filed then can be reproduced after later
// corrections. Asked through the gateway with the `Known-At` header (or the
// `knownAt` URL parameter) and on the exports.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

let stack: TestStack;
let admin: Record<string, string>;
let nextPerson: () => string;

async function ok(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = admin): Promise<Data> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

/**
 * An instant after everything written so far and before anything written
 * next: the trail's times are the subgraphs' clocks (this machine's), in
 * milliseconds, so the next write waits until the clock has moved on.
 */
async function instantBetweenWrites(): Promise<string> {
  const at = Date.now();
  while (Date.now() <= at + 1) await new Promise<void>((resolve) => setImmediate(resolve));
  return new Date(at).toISOString();
}

const knownAt = (at: string) => ({ ...admin, "known-at": at });

async function createOrganisation(name: string): Promise<string> {
  return (await ok(`mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`, { input: { name, kind: "ASSOCIATION", countyCode: "12" } })).createOrganisation.id;
}

const ORGANISATION = `query($id: ID!) { organisation(id: $id) { id name } }`;
const MEMBERS = `query($id: ID!) { cooperationGroup(id: $id) { memberships(activeOn: "2026-06-01") { id role organisation { id name } } } }`;

beforeAll(async () => {
  stack = await startTestStack("known-at");
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "known-at-admin", scope: "data:write contacts:read", role: "admin" }));
  nextPerson = await seedPeople(stack, "known-at", 10);
});

afterAll(async () => {
  await stack?.stop();
});

describe("knownAt", () => {
  it("answers an organisation before and after a correction, and not before it existed", async () => {
    const beforeCreation = await instantBetweenWrites();
    const id = await createOrganisation("Tunnettu yhdistys ry");
    const afterCreation = await instantBetweenWrites();
    await ok(`mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id } }`, { id, input: { name: "Tunnettu Yhdistys ry" } });

    expect((await ok(ORGANISATION, { id })).organisation.name).toBe("Tunnettu Yhdistys ry");
    expect((await ok(ORGANISATION, { id }, knownAt(afterCreation))).organisation.name).toBe("Tunnettu yhdistys ry");
    expect((await ok(ORGANISATION, { id }, knownAt(beforeCreation))).organisation).toBeNull();
    // The URL parameter is the same question.
    const res = await fetch(new URL(`graphql?knownAt=${encodeURIComponent(afterCreation)}`, stack.gatewayUrl), {
      method: "POST",
      headers: { ...admin, "content-type": "application/json" },
      body: JSON.stringify({ query: ORGANISATION, variables: { id } }),
    });
    expect(((await res.json()) as Data).data.organisation.name).toBe("Tunnettu yhdistys ry");
  });

  it("answers a group's composition across subgraphs as known then: an ended membership is current again, a later one absent", async () => {
    const organisation = await createOrganisation("Koostumus ry");
    const first = (await ok(`mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`, {
      input: { groupId: GroupKeys.pkKeskinen, personId: nextPerson(), organisationId: organisation, role: "MEMBER", startsOn: "2026-01-01" },
    })).recordMembership.id;
    const then = await instantBetweenWrites();
    await ok(`mutation($input: EndMembershipInput!) { endMembership(input: $input) { id } }`, { input: { membershipId: first, endsOn: "2026-03-31" } });
    const second = (await ok(`mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`, {
      input: { groupId: GroupKeys.pkKeskinen, personId: nextPerson(), organisationId: organisation, role: "MEMBER", startsOn: "2026-04-01" },
    })).recordMembership.id;
    await ok(`mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id } }`, { id: organisation, input: { name: "Koostumus ry (uusi nimi)" } });

    const ids = (data: Data) => data.cooperationGroup.memberships.filter((m: Data) => m.organisation?.id === organisation);
    const now = ids(await ok(MEMBERS, { id: GroupKeys.pkKeskinen }));
    expect(now.map((m: Data) => m.id)).toEqual([second]);
    expect(now[0].organisation.name).toBe("Koostumus ry (uusi nimi)");
    const known = ids(await ok(MEMBERS, { id: GroupKeys.pkKeskinen }, knownAt(then)));
    expect(known.map((m: Data) => m.id)).toEqual([first]);
    // The organisation's name comes from the other subgraph, as known at the same instant.
    expect(known[0].organisation.name).toBe("Koostumus ry");
  });

  it("brings back a record removed after the instant", async () => {
    const created = await ok(`mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`, {
      input: { countyCode: "12", title: "Poistettava toimenpide" },
    });
    const id = created.createMeasure.id;
    const then = await instantBetweenWrites();
    await ok(`mutation($id: ID!) { removeMeasure(measureId: $id) }`, { id });
    const query = `query($id: ID!) { measure(id: $id) { id title } }`;
    expect((await ok(query, { id })).measure).toBeNull();
    expect((await ok(query, { id }, knownAt(then))).measure).toEqual({ id, title: "Poistettava toimenpide" });
  });

  it("gives a byte-identical export when run again after later changes", async () => {
    const organisation = await createOrganisation("Raportti ry");
    await ok(`mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`, {
      input: { groupId: GroupKeys.pkKeskinen, personId: nextPerson(), organisationId: organisation, role: "MEMBER", startsOn: "2026-01-01" },
    });
    const filed = await instantBetweenWrites();
    const get = async (p: string) => {
      const res = await fetch(new URL(p, stack.gatewayUrl), { headers: admin });
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    const current = "exports/representation.csv?countyCode=14&activeOn=2026-06-01";
    const atFiling = await get(current);
    const knownThen = `${current}&knownAt=${encodeURIComponent(filed)}`;
    expect((await get(knownThen)).equals(atFiling)).toBe(true);
    await ok(`mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id } }`, { id: organisation, input: { name: "Raportti ry (korjattu)" } });
    await ok(`mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`, {
      input: { groupId: GroupKeys.pkKeskinen, personId: nextPerson(), organisationId: organisation, role: "MEMBER", startsOn: "2026-02-01" },
    });
    // The register has moved on; the report filed then has not.
    expect((await get(current)).equals(atFiling)).toBe(false);
    expect((await get(knownThen)).equals(atFiling)).toBe(true);
  });

  it("answers an organisation's municipalities and categories as known then, though their link tables have two-column keys", async () => {
    const category = async (name: string) =>
      (await ok(`mutation($input: CreateOrganisationCategoryInput!) { createOrganisationCategory(input: $input) { id } }`, { input: { countyCode: "12", name } })).createOrganisationCategory.id;
    const [first, second] = [await category("Tunnettu kategoria A"), await category("Tunnettu kategoria B")];
    const ASSIGN = `mutation($input: OrganisationCategoryAssignmentInput!) { assignOrganisationCategory(input: $input) { id } }`;
    const id = (await ok(`mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`, {
      input: { name: "Kuntansa vaihtava ry", kind: "ASSOCIATION", countyCode: "12", municipalityCodes: ["297"] },
    })).createOrganisation.id;
    await ok(ASSIGN, { input: { organisationId: id, categoryId: first } });
    const then = await instantBetweenWrites();
    await ok(`mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id } }`, { id, input: { municipalityCodes: ["749", "140"] } });
    await ok(ASSIGN, { input: { organisationId: id, categoryId: second } });
    await ok(`mutation($input: OrganisationCategoryAssignmentInput!) { unassignOrganisationCategory(input: $input) { id } }`, { input: { organisationId: id, categoryId: first } });

    const LINKS = `query($id: ID!) { organisation(id: $id) { municipalities { code } categories { id } } }`;
    const codes = (data: Data) => data.organisation.municipalities.map((m: Data) => m.code).sort();
    const categories = (data: Data) => data.organisation.categories.map((c: Data) => c.id);
    const now = await ok(LINKS, { id });
    expect(codes(now)).toEqual(["140", "749"]);
    expect(categories(now)).toEqual([second]);
    const known = await ok(LINKS, { id }, knownAt(then));
    expect(codes(known)).toEqual(["297"]);
    expect(categories(known)).toEqual([first]);

    // The filtered list (a hand-written read with its count) answers from the same state.
    const LIST = `query($code: ID!) { organisations(filter: { municipalityCode: $code, search: "Kuntansa vaihtava" }) { totalCount edges { node { id } } } }`;
    const listed = (data: Data) => [data.organisations.totalCount, data.organisations.edges.map((e: Data) => e.node.id)];
    expect(listed(await ok(LIST, { code: "297" }))).toEqual([0, []]);
    expect(listed(await ok(LIST, { code: "749" }))).toEqual([1, [id]]);
    expect(listed(await ok(LIST, { code: "297" }, knownAt(then)))).toEqual([1, [id]]);
    expect(listed(await ok(LIST, { code: "749" }, knownAt(then)))).toEqual([0, []]);
  });

  it("answers a group's municipalities as known then (a link table audited row by row)", async () => {
    const GROUP = `query($id: ID!) { cooperationGroup(id: $id) { municipalities { code } } }`;
    const codes = (data: Data) => data.cooperationGroup.municipalities.map((m: Data) => m.code).sort();
    const EDIT = `mutation($input: EditCooperationGroupInput!) { editCooperationGroup(input: $input) { id } }`;
    const original = codes(await ok(GROUP, { id: GroupKeys.pkKeskinen }));
    expect(original.length).toBeGreaterThan(1);
    const then = await instantBetweenWrites();
    const changed = [...original.slice(1), "297"].sort();
    await ok(EDIT, { input: { groupId: GroupKeys.pkKeskinen, municipalityCodes: changed } });
    try {
      expect(codes(await ok(GROUP, { id: GroupKeys.pkKeskinen }))).toEqual(changed);
      expect(codes(await ok(GROUP, { id: GroupKeys.pkKeskinen }, knownAt(then)))).toEqual(original);
    } finally {
      await ok(EDIT, { input: { groupId: GroupKeys.pkKeskinen, municipalityCodes: original } });
    }
  });

  it("brings back a removed document with the organisations it concerned", async () => {
    const organisation = await createOrganisation("Asiakirjan yhdistys ry");
    const document = (await ok(`mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`, {
      input: { title: "Myöhemmin poistettu muistio", kind: "MEMO", publisherName: "Pohjois-Savo", countyCode: "12", organisationIds: [organisation] },
    })).createDocument.id;
    const then = await instantBetweenWrites();
    await ok(`mutation($id: ID!) { removeDocument(id: $id) }`, { id: document });
    const DOCUMENTS = `query($id: ID!) { organisation(id: $id) { documents { id } } }`;
    expect((await ok(DOCUMENTS, { id: organisation })).organisation.documents).toEqual([]);
    expect((await ok(DOCUMENTS, { id: organisation }, knownAt(then))).organisation.documents).toEqual([{ id: document }]);
  });

  it("refuses a malformed or future instant, and a mutation, with BAD_USER_INPUT naming knownAt", async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    for (const value of ["yesterday", "2026-03-01", "2026-02-30T12:00:00Z", future]) {
      const res = await stack.query<Data>(ORGANISATION, { id: "x" }, knownAt(value));
      expect(res.errors?.[0]?.extensions?.code, value).toBe("BAD_USER_INPUT");
      expect(res.errors?.[0]?.extensions?.field).toBe("knownAt");
    }
    const bad = await fetch(new URL(`exports/representation.csv?countyCode=14&activeOn=2026-06-01&knownAt=soon`, stack.gatewayUrl), { headers: admin });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("knownAt");
    const before = await stack.query<Data>(`{ organisations(first: 1) { totalCount } }`);
    const mutation = await stack.query<Data>(
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
      { input: { name: "Ei kirjoiteta ry", kind: "ASSOCIATION", countyCode: "12" } },
      knownAt(new Date(Date.now() - 1000).toISOString()),
    );
    expect(mutation.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(mutation.errors?.[0]?.extensions?.field).toBe("knownAt");
    // A subgraph asked directly (as the gateway would) refuses it too, before any resolver runs.
    const signed = await signedViewerHeaders(stack.internalAuthSecret, { subject: "known-at-admin", role: "admin", scopes: new Set(["data:write"]), counties: new Set() } as never);
    const direct = await fetch(stack.subgraphUrls.organisations, {
      method: "POST",
      headers: { ...signed, "content-type": "application/json", [KNOWN_AT_HEADER]: new Date(Date.now() - 1000).toISOString() },
      body: JSON.stringify({ query: `mutation { createOrganisation(input: { name: "Ei kirjoiteta suoraan ry", kind: ASSOCIATION, countyCode: "12" }) { id } }` }),
    });
    expect(direct.status).toBe(400);
    expect(((await direct.json()) as Data).errors[0].extensions.field).toBe("knownAt");
    const after = await stack.query<Data>(`{ organisations(first: 1) { totalCount } }`);
    expect(after.data.organisations.totalCount).toBe(before.data.organisations.totalCount);
  });
});
