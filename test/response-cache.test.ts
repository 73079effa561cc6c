import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, mintUserToken, OrganisationKeys, PersonKeys, serviceDatabaseUrl } from "@yhdyspinta/core";
import { viewDocument } from "../views/index.ts";
import { startTestStack, type TestStack } from "./support.ts";

// The gateway's response cache (GATEWAY_RESPONSE_CACHE_TTL_SECONDS): a
// repeated query is answered without any subgraph operation, every kind of
// mutation shows in the affected view on the very next request, and an answer
// made for a caller with contacts:read never reaches one without it.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

let stack: TestStack;
let writer: Record<string, string>;

async function mutate(query: string, variables: Record<string, unknown>): Promise<Data> {
  const res = await stack.query<Data>(query, variables, writer);
  expect(res.errors).toBeUndefined();
  return res.data;
}

async function operations(): Promise<number> {
  const stats = await stack.stats();
  return Object.values(stats).reduce((n, s) => n + s.operations, 0);
}

/** Runs the query twice and checks the second answer came from the cache (no subgraph operation), unchanged. */
async function cached(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Data> {
  const first = await stack.query<Data>(query, variables, headers);
  expect(first.errors).toBeUndefined();
  await stack.resetStats();
  const second = await stack.query<Data>(query, variables, headers);
  expect(await operations()).toBe(0);
  expect(second).toEqual(first);
  return first.data;
}

async function fresh(query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Data> {
  const res = await stack.query<Data>(query, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data;
}

beforeAll(async () => {
  stack = await startTestStack("response_cache", { env: { GATEWAY_RESPONSE_CACHE_TTL_SECONDS: "300" } });
  writer = { authorization: `Bearer ${await mintUserToken(stack.authSecret, { sub: "admin", scope: "data:write", role: "admin" })}` };
});

afterAll(async () => {
  await stack?.stop();
});

const partnership = viewDocument("partnership-groups-by-municipality");
const partnershipVars = { countyCodes: ["14"], activeOn: "2024-06-01" };
const keskinenMembers = (data: Data) =>
  data.counties[0].municipalities
    .find((m: Data) => m.code === "167")
    .cooperationGroups.find((g: Data) => g.id === GroupKeys.pkKeskinen).memberships;

describe("gateway response cache", () => {
  it("shows a recorded and an ended membership on the next request", async () => {
    expect(keskinenMembers(await cached(partnership, partnershipVars))).toEqual([]);
    const recorded = await mutate(`mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`, {
      input: {
        groupId: GroupKeys.pkKeskinen,
        personId: PersonKeys.maaritaMannelin,
        organisationId: OrganisationKeys.siunSote,
        role: "CHAIR",
        startsOn: "2024-01-01",
      },
    });
    expect(keskinenMembers(await fresh(partnership, partnershipVars)).map((m: Data) => m.person.name)).toEqual(["Maarita Mannelin"]);

    expect(keskinenMembers(await cached(partnership, partnershipVars))).toHaveLength(1);
    await mutate(`mutation($id: ID!) { endMembership(input: { membershipId: $id, endsOn: "2024-03-31" }) { endsOn } }`, {
      id: recorded.recordMembership.id,
    });
    expect(keskinenMembers(await fresh(partnership, partnershipVars))).toEqual([]);
  });

  it("shows a changed person and organisation (another subgraph than the view's lists) on the next request", async () => {
    const vars = { countyCodes: ["14"], activeOn: "2024-02-01" };
    const before = keskinenMembers(await cached(partnership, vars));
    expect(before[0].person.name).toBe("Maarita Mannelin");
    await mutate(`mutation($id: ID!) { updatePerson(id: $id, input: { name: "Maarita Mannelin-Testi" }) { id } }`, {
      id: PersonKeys.maaritaMannelin,
    });
    expect(keskinenMembers(await fresh(partnership, vars))[0].person.name).toBe("Maarita Mannelin-Testi");

    const organisationName = (data: Data) => keskinenMembers(data)[0].organisation.name;
    const name = organisationName(await cached(partnership, vars));
    await mutate(`mutation($id: ID!) { updateOrganisation(id: $id, input: { name: "Testinimi hyvinvointialue" }) { id } }`, {
      id: OrganisationKeys.siunSote,
    });
    expect(name).not.toBe("Testinimi hyvinvointialue");
    expect(organisationName(await fresh(partnership, vars))).toBe("Testinimi hyvinvointialue");
  });

  it("shows a new organisation and person on the next request", async () => {
    const query = `query($kind: OrganisationKind) { organisations(filter: { kind: $kind, search: "testiseura" }, first: 50) { edges { node { id name } } } }`;
    const names = (data: Data) => data.organisations.edges.map((e: Data) => e.node.name);
    expect(names(await cached(query, { kind: "ASSOCIATION" }))).not.toContain("Välimuistin testiseura ry");
    const org = await mutate(`mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`, {
      input: { name: "Välimuistin testiseura ry", kind: "ASSOCIATION", countyCode: "14" },
    });
    expect(names(await fresh(query, { kind: "ASSOCIATION" }))).toContain("Välimuistin testiseura ry");

    const people = `query($id: ID!) { organisation(id: $id) { people { name } } }`;
    expect(await cached(people, { id: org.createOrganisation.id })).toEqual({ organisation: { people: [] } });
    await mutate(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, {
      input: { name: "Välimuisti Testaaja", title: "sihteeri", organisationId: org.createOrganisation.id },
    });
    expect(await fresh(people, { id: org.createOrganisation.id })).toEqual({ organisation: { people: [{ name: "Välimuisti Testaaja" }] } });
  });

  it("shows a submitted nomination and a scheduled meeting on the next request", async () => {
    const nominationVars = { countyCode: "14", closedSince: "2023-11-01" };
    const joensuu = (data: Data) => data.nominationRounds[0].nominators.find((n: Data) => n.municipality?.code === "167");
    expect(joensuu(await cached(viewDocument("nomination-status"), nominationVars)).answeredOn).toBeNull();
    await mutate(`mutation($input: SubmitNominationInput!) { submitNomination(input: $input) { id } }`, {
      input: {
        roundId: "round-pk-kumppanuusryhmat-2023",
        municipalityCode: "167",
        personId: PersonKeys.maaritaMannelin,
        organisationId: "org-municipality-167",
        submittedOn: "2023-11-20",
      },
    });
    expect(joensuu(await fresh(viewDocument("nomination-status"), nominationVars)).answeredOn).toBe("2023-11-20");

    const calendarVars = { countyCode: "08", from: "2024-01-01", to: "2024-12-31" };
    const count = (await cached(viewDocument("meeting-calendar"), calendarVars)).meetings.length;
    await mutate(`mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`, {
      input: { groupId: GroupKeys.pirhaJyry, kind: "REGULAR", startsAt: "2024-02-01T09:00:00+02:00", endsAt: "2024-02-01T11:00:00+02:00" },
    });
    expect((await fresh(viewDocument("meeting-calendar"), calendarVars)).meetings).toHaveLength(count + 1);
  });

  it("shows a new measure, a progress note and a grant award on the next request", async () => {
    const followUp = viewDocument("plan-follow-up");
    const total = (data: Data) => data.county.measureFollowUp.reduce((n: number, c: Data) => n + c.count, 0);
    // Plans come from documents (no mutation creates them): one plan with a goal written straight into planning's database.
    const planning = new pg.Client({ connectionString: serviceDatabaseUrl("planning", { DATABASE_URL: stack.databaseUrl })! });
    await planning.connect();
    try {
      await planning.query(
        `insert into wellbeing_plan (id, title, county_code, municipality_code, council_term, status) values ('plan-cache-167', 'Joensuun hyvinvointisuunnitelma', '14', '167', '2025–2029', 'approved')`,
      );
      await planning.query(
        `insert into wellbeing_goal (id, plan_id, theme_id, position, text, indicator_ids) values ('goal-cache-167', 'plan-cache-167', 'theme-14-elintavat', 1, 'Liikkumisen lisääminen', '{}')`,
      );
    } finally {
      await planning.end();
    }
    const before = total(await cached(followUp, { countyCode: "14" }));
    const goalId = "goal-cache-167";
    const created = await mutate(`mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`, {
      input: { countyCode: "14", goalId, title: "Välimuistin testitoimenpide", status: "IN_PROGRESS" },
    });
    expect(total(await fresh(followUp, { countyCode: "14" }))).toBe(before + 1);

    const notes = `query($id: ID!) { measure(id: $id) { progressNotes { text } } }`;
    expect(await cached(notes, { id: created.createMeasure.id })).toEqual({ measure: { progressNotes: [] } });
    await mutate(`mutation($input: AddMeasureProgressNoteInput!) { addMeasureProgressNote(input: $input) { id } }`, {
      input: { measureId: created.createMeasure.id, notedOn: "2026-01-15", text: "Aloitettu" },
    });
    expect(await fresh(notes, { id: created.createMeasure.id })).toEqual({ measure: { progressNotes: [{ text: "Aloitettu" }] } });

    const grants = `query($id: ID!) { grantProgramme(id: $id) { totalAwarded } }`;
    const programme = { id: "grant-programme-16-jarjestoavustukset" };
    const awarded = (await cached(grants, programme)).grantProgramme.totalAwarded;
    await mutate(`mutation($input: AwardGrantInput!) { awardGrant(input: $input) { amount } }`, {
      input: { programmeId: programme.id, organisationId: OrganisationKeys.siunSote, amount: "1000.00", year: 2025, purpose: "välimuistitesti" },
    });
    expect(Number((await fresh(grants, programme)).grantProgramme.totalAwarded)).toBe(Number(awarded) + 1000);
  });

  it("never serves an answer made for a caller with contacts:read to one without it, in either order", async () => {
    const query = `query($id: ID!) { person(id: $id) { name email } }`;
    const reader = { authorization: `Bearer ${await mintUserToken(stack.authSecret, { sub: "reader", scope: "contacts:read" })}` };
    const other = { authorization: `Bearer ${await mintUserToken(stack.authSecret, { sub: "other", scope: "data:write" })}` };
    const withContacts = await cached(query, { id: PersonKeys.maaritaMannelin }, reader);
    expect(withContacts.person.email).toMatch(/@/);
    for (const headers of [{}, other]) {
      const res = await stack.query<Data>(query, { id: PersonKeys.maaritaMannelin }, headers);
      expect(res.data?.person?.email ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    }
    // The other way round: a cached answer without contacts is not what a reader gets.
    const otherId = PersonKeys.maaritaMannelin;
    const anonymousFirst = await stack.query<Data>(`query($id: ID!) { person(id: $id) { email name } }`, { id: otherId });
    expect(anonymousFirst.data?.person?.email ?? null).toBeNull();
    const readerAfter = await fresh(`query($id: ID!) { person(id: $id) { email name } }`, { id: otherId }, reader);
    expect(readerAfter.person.email).toMatch(/@/);
  });
  it("sends a cached answer as the same bytes, headers and status as the answer it was made from", async () => {
    const ask = async (accept: string, from: string) => {
      const body = JSON.stringify({ query: viewDocument("meeting-calendar"), variables: { countyCode: "08", from, to: "2024-12-31" } });
      const response = await fetch(stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json", accept }, body });
      return { status: response.status, type: response.headers.get("content-type"), length: response.headers.get("content-length"), text: await response.text() };
    };
    for (const [accept, from] of [["application/json", "2023-01-01"], ["application/graphql-response+json", "2023-01-02"]] as const) {
      await stack.resetStats();
      const miss = await ask(accept, from);
      const missOperations = await operations();
      const hit = await ask(accept, from);
      // The second one made no subgraph operation: it was the cache's.
      expect(await operations()).toBe(missOperations);
      expect(missOperations).toBeGreaterThan(0);
      expect(JSON.parse(miss.text).data.meetings.length).toBeGreaterThan(0);
      expect(hit).toEqual(miss);
      expect(Number(hit.length)).toBe(Buffer.byteLength(hit.text));
    }
  });
});
