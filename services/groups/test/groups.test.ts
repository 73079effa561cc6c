import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys, PersonKeys, signViewer, startService, VIEWER_HEADER, type RunningService } from "@yhdyspinta/core";
import { countStatements, createTestDatabase, subgraphRequest, type TestDatabase } from "@yhdyspinta/core/testing";
import { groupsService } from "../src/service.ts";

const SECRET = "groups-test-internal-secret-0123456789abcdef";
let db: TestDatabase;
let service: RunningService;
let writer: Record<string, string>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;
const q = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
  const res = await subgraphRequest<Data>(service.url, SECRET, query, variables, headers);
  return res;
};

beforeAll(async () => {
  db = await createTestDatabase("groups");
  service = await startService(groupsService, {
    databaseUrl: db.url,
    port: 0,
    seed: true,
    createDatabase: false,
    internalAuthSecret: SECRET,
  });
  writer = { [VIEWER_HEADER]: await signViewer({ subject: "coordinator", scopes: new Set(["data:write"]), role: "admin", counties: new Set<string>() }, SECRET) };
});

afterAll(async () => {
  await service?.stop();
  await db?.drop();
});

describe("groups subgraph demo data", () => {
  it("shows Pohde's five groups with basis, appointer and JYRY's eight tasks", async () => {
    const res = await q(`{ cooperationGroups(filter: { countyCode: "19" }) { totalCount edges { node {
      id name shortName kind basis legalBasis appointedBy reportsTo level tasks } } } }`);
    expect(res.errors).toBeUndefined();
    const groups = res.data.cooperationGroups.edges.map((e: Data) => e.node);
    expect(res.data.cooperationGroups.totalCount).toBe(5);
    const basis = groups.map((g: Data) => g.basis).sort();
    expect(basis).toEqual(["COUNCIL_INITIATIVE", "OTHER_NEED", "OTHER_NEED", "STATUTORY", "STATUTORY"]);
    for (const g of groups) {
      expect(g.appointedBy).toBe("Hyvinvointialuejohtaja (hallintosääntö 31 §)");
      expect(g.legalBasis).toEqual(["611/2021", "612/2021", "379/2011 46 §"]);
    }
    const byId = new Map(groups.map((g: Data) => [g.id, g]));
    expect((byId.get(GroupKeys.pohdeToimeentulotuki) as Data).kind).toBe("ADVISORY_BOARD");
    const jyry = byId.get(GroupKeys.pohdeJyry) as Data;
    expect(jyry.shortName).toBe("JYRY");
    expect(jyry.reportsTo).toBe("Yhdyspintalautakunta");
    // The task all Pohde groups share (seed 000), then JYRY's own eight (seed 001).
    expect(jyry.tasks).toHaveLength(9);
    expect(jyry.tasks[0]).toMatch(/^Edistää julkisen, kolmannen sektorin, yksityisen sektorin sekä palveluiden käyttäjien/);
    expect(jyry.tasks[8]).toBe("Raportoi yhdyspintalautakunnalle");
    expect((byId.get(GroupKeys.pohdeHyry) as Data).shortName).toBe("Hyry");
  });

  it("shows Pirkanmaa's JYRY: 19 category seats of 1+1, speaking-right seats, organising meeting, window, term, rules", async () => {
    const res = await q(`query($id: ID!) { cooperationGroup(id: $id) {
      name councilTerm termEndsOn meetingsPerYear paysMeetingFees compensation tasks
      secretariat { id }
      seats { constituency label minMembers maxMembers deputies speakingRightOnly category { id } }
      meetings { kind startsAt endsAt }
      nominationRounds { opensOn closesOn nominators { kind } }
      memberships { role title person { id } organisation { id } }
      contacts { title person { id } }
    } }`, { id: GroupKeys.pirhaJyry });
    expect(res.errors).toBeUndefined();
    const g = res.data.cooperationGroup;
    const categorySeats = g.seats.filter((s: Data) => s.constituency === "ASSOCIATION_CATEGORY");
    expect(categorySeats).toHaveLength(19);
    for (const s of categorySeats) expect([s.minMembers, s.maxMembers, s.deputies, s.speakingRightOnly]).toEqual([1, 1, 1, false]);
    expect(categorySeats[0].category.id).toBe("category-08-asukas-ja-kylatoiminta");
    expect(g.seats.filter((s: Data) => s.speakingRightOnly).map((s: Data) => s.label)).toEqual([
      "Hyvinvointialueen edustajat",
      "Kaupunkien ja kuntien hyvinvointikoordinaattorit",
      "Seurakunnan edustajat",
    ]);
    expect(g.meetings).toEqual([
      { kind: "ORGANISING", startsAt: "2023-12-19T14:00:00+02:00", endsAt: "2023-12-19T16:00:00+02:00" },
    ]);
    expect(g.nominationRounds[0].opensOn).toBe("2023-10-05");
    expect(g.nominationRounds[0].closesOn).toBe("2023-11-17");
    expect(g.nominationRounds[0].nominators).toHaveLength(19);
    expect(g.councilTerm).toBe("2022–2025");
    expect(g.termEndsOn).toBe("2025-05-31");
    expect(g.meetingsPerYear).toBe(4);
    expect(g.paysMeetingFees).toBe(false);
    expect(g.secretariat.map((o: Data) => o.id)).toEqual(["org-county-08", "org-artteli"]);
    expect(g.memberships).toEqual([
      { role: "COORDINATOR", title: "järjestöyhteistyöryhmän koordinaattori", person: { id: PersonKeys.iirisAholainen }, organisation: { id: "org-artteli" } },
    ]);
    expect(g.contacts.map((c: Data) => c.person.id)).toEqual([PersonKeys.iirisAholainen, PersonKeys.johannaSola]);
  });

  it("shows Pohjois-Karjala's round: deadline, limits and all 13 municipalities pending", async () => {
    const res = await q(`{ nominationRounds(countyCode: "14") { id closesOn minPerNominator maxPerNominator submitTo
      deputiesOptionalWhenSeveralMembers contactPerson { id } groups { shortName }
      pendingNominators { kind municipality { code } group { shortName } } } }`);
    expect(res.errors).toBeUndefined();
    const [round] = res.data.nominationRounds;
    expect(round.closesOn).toBe("2023-11-30");
    expect([round.minPerNominator, round.maxPerNominator]).toEqual([1, 4]);
    expect(round.submitTo).toBe("kirjaamo@siunsote.fi");
    expect(round.deputiesOptionalWhenSeveralMembers).toBe(true);
    expect(round.contactPerson.id).toBe(PersonKeys.maaritaMannelin);
    expect(round.groups).toHaveLength(4);
    expect(round.pendingNominators).toHaveLength(13);
    expect(round.pendingNominators.every((n: Data) => n.kind === "MUNICIPALITY")).toBe(true);
    expect(round.pendingNominators[0]).toEqual({ kind: "MUNICIPALITY", municipality: { code: "167" }, group: { shortName: "KESKINEN" } });
  });

  it("lists areas, liaison levels and Etelä-Pohjanmaa's paired liaisons", async () => {
    const res = await q(`{
      areas(countyCode: "14") { name municipalities { code } cooperationGroups { id } }
      cooperationLevels(countyCode: "19") { level name forums liaisonRoles { sector title network { shortName } } }
      liaisonRoles(countyCode: "16", municipalityCode: "743") { title pairedWith { title } network { kind meetingFrequency } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.areas.map((a: Data) => a.name)).toEqual(["KESKINEN", "POHJOINEN", "LÄNTINEN", "ETELÄINEN"]);
    expect(res.data.areas.flatMap((a: Data) => a.municipalities)).toHaveLength(13);
    expect(res.data.areas[2].municipalities.map((m: Data) => m.code)).toEqual(["090", "426", "309", "607"]);
    expect(res.data.cooperationLevels.map((l: Data) => l.level)).toEqual(["RESIDENT", "MUNICIPALITY", "REGIONAL", "COUNTY"]);
    const county = res.data.cooperationLevels[3];
    expect(county.liaisonRoles.find((r: Data) => r.title === "Järjestötyön koordinaattori").network.shortName).toBe("JYRY");
    const [assoc, hyte] = res.data.liaisonRoles;
    expect(assoc.title).toBe("Järjestöyhdyshenkilö");
    expect(assoc.pairedWith.title).toBe(hyte.title);
    expect(assoc.network).toEqual({ kind: "LIAISON_NETWORK", meetingFrequency: "vähintään kaksi kertaa vuodessa" });
  });

  it("pages cooperation groups and filters by municipality and search", async () => {
    const first = await q(`{ cooperationGroups(filter: { countyCode: "14" }, first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }`);
    expect(first.data.cooperationGroups.totalCount).toBe(5);
    expect(first.data.cooperationGroups.pageInfo.hasNextPage).toBe(true);
    const next = await q(`query($after: String) { cooperationGroups(filter: { countyCode: "14" }, first: 10, after: $after) { edges { node { name } } pageInfo { hasNextPage hasPreviousPage } } }`, {
      after: first.data.cooperationGroups.pageInfo.endCursor,
    });
    expect(next.data.cooperationGroups.edges).toHaveLength(3);
    expect(next.data.cooperationGroups.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    const lieksa = await q(`{ cooperationGroups(filter: { municipalityCode: "422", kind: PARTNERSHIP_GROUP }) { edges { node { name } } } }`);
    expect(lieksa.data.cooperationGroups.edges.map((e: Data) => e.node.name)).toEqual([
      "Alueellinen kumppanuusryhmä POHJOINEN",
      "Pohjois-Karjalan hyvinvoinnin kumppanuusryhmä",
    ]);
    const search = await q(`{ cooperationGroups(filter: { search: "hyry" }) { edges { node { id } } } }`);
    expect(search.data.cooperationGroups.edges.map((e: Data) => e.node.id)).toEqual([GroupKeys.pohdeHyry]);
    const bad = await q(`{ cooperationGroups(filter: { countyCode: "1" }) { totalCount } }`);
    expect(bad.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(bad.errors?.[0]?.extensions?.["field"]).toBe("filter.countyCode");
  });

  it("keeps SQL statements constant for 2 or 13 municipalities", async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Municipality { code
      cooperationGroups { name area { name } memberships { role person { id } } seats { label municipality { code } } meetings { startsAt } nominationRounds { closesOn } }
      liaisons { title } areas { name } } } }`;
    const codes = ["167", "276", "146", "176", "422", "541", "090", "426", "309", "607", "260", "707", "848"];
    const few = codes.slice(0, 2).map((code) => ({ __typename: "Municipality", code }));
    const many = codes.map((code) => ({ __typename: "Municipality", code }));
    const a = await countStatements(() => q(query, { reps: few }));
    const b = await countStatements(() => q(query, { reps: many }));
    expect(a.result.errors).toBeUndefined();
    expect(b.result.errors).toBeUndefined();
    expect(b.result.data._entities).toHaveLength(13);
    expect(b.result.data._entities[12].cooperationGroups.map((g: Data) => g.area?.name ?? null)).toEqual(["ETELÄINEN", null]);
    expect(b.statements).toBe(a.statements);
    expect(a.statements).toBeLessThanOrEqual(10);
  });

  it("keeps SQL statements constant for a county's groups and Organisation/Person memberships", async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on WellbeingServicesCounty { code cooperationGroups { seats { label } memberships(history: true) { role } contacts { title } } areas { name } cooperationLevels { name } }
      ... on Organisation { id memberships { role group { name } } }
      ... on Person { id memberships { role group { name } } } } }`;
    const one = [
      { __typename: "WellbeingServicesCounty", code: "08" },
      { __typename: "Person", id: PersonKeys.iirisAholainen },
      { __typename: "Organisation", id: "org-artteli" },
    ];
    const four = [
      ...["08", "14", "16", "19"].map((code) => ({ __typename: "WellbeingServicesCounty", code })),
      { __typename: "Person", id: PersonKeys.iirisAholainen },
      { __typename: "Person", id: PersonKeys.johannaSola },
      { __typename: "Organisation", id: "org-artteli" },
    ];
    const a = await countStatements(() => q(query, { reps: one }));
    const b = await countStatements(() => q(query, { reps: four }));
    expect(a.result.errors).toBeUndefined();
    expect(b.result.errors).toBeUndefined();
    expect(b.result.data._entities[4].memberships).toEqual([{ role: "COORDINATOR", group: { name: "Pirkanmaan hyvinvointialueen järjestöyhteistyöryhmä" } }]);
    expect(b.statements).toBe(a.statements);
  });
});

describe("coordinator mutations", () => {
  it("refuses a caller without data:write", async () => {
    const res = await q(`mutation { endMembership(input: { membershipId: "x", endsOn: "2024-01-01" }) { id } }`);
    expect(res.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
  });

  it("validates input and names the field", async () => {
    const record = `mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`;
    const base = { groupId: GroupKeys.pkKeskinen, personId: "person-x", organisationId: "org-municipality-167", role: "MEMBER", startsOn: "2024-02-01" };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, endsOn: "2024-01-01" }, "input.endsOn"],
      [{ ...base, groupId: "group-nope" }, "input.groupId"],
      [{ ...base, personId: "Not An Id!" }, "input.personId"],
      [{ ...base, seatId: `${GroupKeys.pirhaJyry}-seat-1` }, "input.seatId"],
    ];
    for (const [input, field] of cases) {
      const res = await q(record, { input }, writer);
      expect(res.errors?.[0]?.extensions?.["code"], field).toBe("BAD_USER_INPUT");
      expect(res.errors?.[0]?.extensions?.["field"]).toBe(field);
    }
    const meeting = await q(
      `mutation { scheduleMeeting(input: { groupId: "${GroupKeys.pkPohjoinen}", kind: REGULAR, startsAt: "2024-03-12T13:00:00+02:00", endsAt: "2024-03-12T12:00:00+02:00" }) { id } }`,
      {},
      writer,
    );
    expect(meeting.errors?.[0]?.extensions?.["field"]).toBe("input.endsAt");
  });

  it("submits nominations: the nominator leaves the pending list; limits and window are enforced", async () => {
    const submit = `mutation($input: SubmitNominationInput!) { submitNomination(input: $input) { status asDeputy group { shortName } nominator { municipality { code } } } }`;
    const input = { roundId: "round-pk-kumppanuusryhmat-2023", municipalityCode: "541", personId: "person-demo-nominee", submittedOn: "2023-11-20" };
    const ok = await q(submit, { input }, writer);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.submitNomination).toEqual({ status: "SUBMITTED", asDeputy: false, group: { shortName: "POHJOINEN" }, nominator: { municipality: { code: "541" } } });
    const pending = await q(`{ nominationRound(id: "round-pk-kumppanuusryhmat-2023") { pendingNominators { municipality { code } } nominations { person { id } } } }`);
    expect(pending.data.nominationRound.pendingNominators).toHaveLength(12);
    expect(pending.data.nominationRound.pendingNominators.map((n: Data) => n.municipality.code)).not.toContain("541");
    for (let i = 0; i < 3; i++) expect((await q(submit, { input: { ...input, personId: `person-demo-${i}` } }, writer)).errors).toBeUndefined();
    const fifth = await q(submit, { input: { ...input, personId: "person-demo-5" } }, writer);
    expect(fifth.errors?.[0]?.extensions?.["field"]).toBe("input.personId");
    const late = await q(submit, { input: { ...input, municipalityCode: "167", submittedOn: "2023-12-01" } }, writer);
    expect(late.errors?.[0]?.extensions?.["field"]).toBe("input.submittedOn");
    const stranger = await q(submit, { input: { ...input, municipalityCode: "091" } }, writer);
    expect(stranger.errors?.[0]?.extensions?.["field"]).toBe("input.municipalityCode");
  });

  it("schedules a meeting in Helsinki time and lists it by county and dates", async () => {
    const res = await q(
      `mutation { scheduleMeeting(input: { groupId: "${GroupKeys.pkLantinen}", kind: ANNUAL_NEGOTIATION, startsAt: "2024-06-11T09:00:00Z", agenda: ["Hyvinvointisuunnitelman toimenpiteet"] }) { kind startsAt endsAt agenda } }`,
      {},
      writer,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.scheduleMeeting).toEqual({ kind: "ANNUAL_NEGOTIATION", startsAt: "2024-06-11T12:00:00+03:00", endsAt: null, agenda: ["Hyvinvointisuunnitelman toimenpiteet"] });
    const list = await q(`{ meetings(countyCode: "14", from: "2024-06-11", to: "2024-06-11") { startsAt group { shortName } } }`);
    expect(list.data.meetings).toEqual([{ startsAt: "2024-06-11T12:00:00+03:00", group: { shortName: "LÄNTINEN" } }]);
    const dec = await q(`{ meetings(from: "2023-12-19", to: "2023-12-19") { kind } }`);
    expect(dec.data.meetings).toEqual([{ kind: "ORGANISING" }]);
  });
});
