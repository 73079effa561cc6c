import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AreaKeys, GroupKeys, mintUserToken, OrganisationKeys, PersonKeys, serviceDatabaseUrl } from "@yhdyspinta/core";
import { viewDocument, type ViewName, type ViewResult, type ViewVariables } from "../views/index.ts";
import { startTestStack, type TestStack } from "./support.ts";

// Each view is one operation through the gateway, run as committed in views/.
// The demo data gives groups, seats, rounds and meetings; what a coordinator
// records (members, nominations, measures) the tests record through the API.
// Answers are typed by views/generated.ts (pnpm schema), so a test reading a
// field the view no longer asks for fails to compile.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

let stack: TestStack;
let writer: Record<string, string>;

async function mutate(query: string, variables: Record<string, unknown>): Promise<Data> {
  const res = await stack.query<Data>(query, variables, writer);
  expect(res.errors).toBeUndefined();
  return res.data;
}

/** Runs a committed view with its typed variables; fails on errors and returns its typed answer. */
async function runView<N extends ViewName>(name: N, variables: ViewVariables[N]): Promise<ViewResult<N>> {
  const res = await stack.query<ViewResult<N>>(viewDocument(name), variables);
  expect(res.errors).toBeUndefined();
  if (!res.data) throw new Error(`${name} gave no data`);
  return res.data;
}

beforeAll(async () => {
  stack = await startTestStack("views");
  writer = { authorization: `Bearer ${await mintUserToken(stack.authSecret, { sub: "admin", scope: "data:write", role: "admin" })}` };
});

afterAll(async () => {
  await stack?.stop();
});

const PK_MUNICIPALITIES = ["090", "146", "167", "176", "260", "276", "309", "422", "426", "541", "607", "707", "848"];

describe("dashboard views through the gateway", () => {
  it("1. lists partnership groups by municipality across counties, and by area", async () => {
    await mutate(
      `mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`,
      {
        input: {
          groupId: GroupKeys.pkKeskinen,
          personId: PersonKeys.maaritaMannelin,
          organisationId: OrganisationKeys.siunSote,
          role: "CHAIR",
          startsOn: "2024-01-01",
        },
      },
    );
    const data = await runView("partnership-groups-by-municipality", {
      countyCodes: ["14", "08"],
      activeOn: "2024-06-01",
    });
    const counties = data.counties!;
    expect(counties.map((c) => c.code)).toEqual(["08", "14"]);
    const pk = counties[1]!;
    expect(pk.municipalities.map((m) => m.code).sort()).toEqual(PK_MUNICIPALITIES);
    for (const m of pk.municipalities) {
      const regional = m.cooperationGroups!.filter((g) => g.area !== null);
      expect(regional, m.nameFi).toHaveLength(1);
      expect(regional[0]!.themes).toHaveLength(6);
    }
    const joensuu = pk.municipalities.find((m) => m.code === "167")!;
    const keskinen = joensuu.cooperationGroups!.find((g) => g.id === GroupKeys.pkKeskinen)!;
    expect(keskinen.area?.name).toBe("KESKINEN");
    expect(keskinen.memberships).toEqual([
      expect.objectContaining({
        role: "CHAIR",
        person: expect.objectContaining({ name: "Maarita Mannelin" }),
        organisation: expect.objectContaining({ name: "Pohjois-Karjalan hyvinvointialue", kind: "WELLBEING_SERVICES_COUNTY" }),
      }),
    ]);
    // Pirkanmaa has no partnership groups: its municipalities come back with none.
    expect(counties[0]!.municipalities.every((m) => m.cooperationGroups?.length === 0)).toBe(true);

    const byArea = await runView("partnership-groups-by-municipality", {
      byArea: true,
      areaIds: [AreaKeys.pkKeskinen],
    });
    expect(byArea.counties).toBeUndefined();
    expect(byArea.areas).toHaveLength(1);
    expect(byArea.areas![0]!.municipalities.map((m) => m.nameFi).sort()).toEqual(["Ilomantsi", "Joensuu", "Kontiolahti"]);
  });

  it("2. shows the coverage matrix by group kind and by theme", async () => {
    const county = (await runView("coverage-matrix", { countyCode: "14" })).county!;
    expect(county.themes).toHaveLength(6);
    expect(county.municipalities).toHaveLength(13);
    for (const m of county.municipalities) {
      const cell = (kind: string) => m.groupCoverage!.find((c) => c.kind === kind);
      expect(m.groupCoverage).toHaveLength(5);
      // The municipality's regional group and the county-wide group.
      expect(cell("PARTNERSHIP_GROUP")).toEqual({ kind: "PARTNERSHIP_GROUP", groupCount: 2, covered: true });
      expect(cell("ADVISORY_BOARD")).toEqual({ kind: "ADVISORY_BOARD", groupCount: 0, covered: false });
      const themesCovered = new Set(m.cooperationGroups!.flatMap((g) => g.themes!.map((t) => t.id)));
      expect(county.themes!.every((t) => themesCovered.has(t.id))).toBe(true);
    }
    // Etelä-Pohjanmaa: every municipality convenes its own partnership table.
    const ep = (await runView("coverage-matrix", { countyCode: "16" })).county!;
    expect(ep.municipalities).toHaveLength(18);
    for (const m of ep.municipalities) {
      expect(m.groupCoverage!.find((c) => c.kind === "PARTNERSHIP_TABLE")?.groupCount).toBe(1);
    }
  });

  it("3. shows each nominator's answer and whether it came by the deadline", async () => {
    await mutate(
      `mutation($input: SubmitNominationInput!) { submitNomination(input: $input) { id status } }`,
      {
        input: {
          roundId: "round-pk-kumppanuusryhmat-2023",
          municipalityCode: "167",
          personId: PersonKeys.maaritaMannelin,
          organisationId: "org-municipality-167",
          submittedOn: "2023-11-20",
        },
      },
    );
    const { nominationRounds } = await runView("nomination-status", { countyCode: "14", closedSince: "2023-11-01" });
    expect(nominationRounds).toHaveLength(1);
    const round = nominationRounds[0]!;
    expect(round.closesOn).toBe("2023-11-30");
    expect(round.nominators).toHaveLength(13);
    const joensuu = round.nominators.find((n) => n.municipality?.code === "167")!;
    expect(joensuu).toMatchObject({ answeredOn: "2023-11-20", answeredByDeadline: true });
    expect(joensuu.nominations[0]?.person?.name).toBe("Maarita Mannelin");
    const others = round.nominators.filter((n) => n.municipality?.code !== "167");
    expect(others.every((n) => n.answeredByDeadline === false && n.answeredOn === null)).toBe(true);
    // A later cut-off leaves the 2023 round out.
    const later = await runView("nomination-status", { countyCode: "14", closedSince: "2024-01-01" });
    expect(later.nominationRounds).toEqual([]);
  });

  it("4. lists a county's meetings in a date range in order", async () => {
    const schedule = `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id } }`;
    for (const [startsAt, endsAt] of [
      ["2024-03-12T13:00:00+02:00", "2024-03-12T15:00:00+02:00"],
      ["2024-02-01T09:00:00+02:00", "2024-02-01T11:00:00+02:00"],
      ["2025-01-10T09:00:00+02:00", "2025-01-10T11:00:00+02:00"],
    ]) {
      await mutate(schedule, { input: { groupId: GroupKeys.pirhaJyry, kind: "REGULAR", startsAt, endsAt } });
    }
    const { meetings } = await runView("meeting-calendar", { countyCode: "08", from: "2023-12-01", to: "2024-12-31" });
    expect(meetings.map((m) => [m.kind, m.startsAt, m.endsAt])).toEqual([
      ["ORGANISING", "2023-12-19T14:00:00+02:00", "2023-12-19T16:00:00+02:00"],
      ["REGULAR", "2024-02-01T09:00:00+02:00", "2024-02-01T11:00:00+02:00"],
      ["REGULAR", "2024-03-12T13:00:00+02:00", "2024-03-12T15:00:00+02:00"],
    ]);
    expect(meetings.every((m) => m.group.id === GroupKeys.pirhaJyry)).toBe(true);
  });

  it("5. shows members by organisation and seats filled and vacant as of a date", async () => {
    const org = await mutate(
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
      { input: { name: "Testikylän nuorisoseura ry", kind: "ASSOCIATION", countyCode: "08", categoryIds: ["category-08-nuoriso"] } },
    );
    const person = await mutate(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, {
      input: { name: "Testi Edustaja", title: "puheenjohtaja", organisationId: org.createOrganisation.id },
    });
    const seats = await stack.query<Data>(`{ cooperationGroup(id: "${GroupKeys.pirhaJyry}") { seats { id label } } }`);
    const nuoriso = seats.data.cooperationGroup.seats.find((s: Data) => s.label === "Nuoriso");
    await mutate(`mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`, {
      input: {
        groupId: GroupKeys.pirhaJyry,
        seatId: nuoriso.id,
        personId: person.createPerson.id,
        organisationId: org.createOrganisation.id,
        role: "MEMBER",
        startsOn: "2024-01-01",
      },
    });
    const view = async (activeOn: string) => {
      const data = await runView("representation", { countyCode: "08", activeOn });
      const group = data.cooperationGroups.edges.map((e) => e.node).find((g) => g.id === GroupKeys.pirhaJyry);
      if (!group) throw new Error(`no ${GroupKeys.pirhaJyry} in the view`);
      return group;
    };
    const before = await view("2023-12-31");
    const after = await view("2024-03-01");
    expect(before.seatOccupancy.filledMemberPlaces).toBe(0);
    expect(after.seatOccupancy.filledMemberPlaces).toBe(1);
    const categorySeats = after.seats.filter((s) => s.constituency === "ASSOCIATION_CATEGORY");
    expect(categorySeats).toHaveLength(19);
    const nuorisoAfter = categorySeats.find((s) => s.id === nuoriso.id);
    expect(nuorisoAfter?.occupancy).toEqual({
      memberPlaces: 1, filledMemberPlaces: 1, vacantMemberPlaces: 0,
      deputyPlaces: 1, filledDeputyPlaces: 0, vacantDeputyPlaces: 1,
    });
    const vacantCategoryPlaces = categorySeats.reduce((n, s) => n + (s.occupancy.vacantMemberPlaces ?? 0), 0);
    expect(vacantCategoryPlaces).toBe(18);
    const byKind = Object.groupBy(after.memberships, (m) => m.organisation?.kind ?? "NONE");
    expect(Object.keys(byKind).sort()).toEqual(["ASSOCIATION", "UMBRELLA_ORGANISATION"]);
  });

  it("6. follows up measures by status per theme and municipality", async () => {
    // Plans come from documents (no mutation creates them yet): write one
    // plan with a goal straight into the planning service's database.
    const planning = new pg.Client({ connectionString: serviceDatabaseUrl("planning", { DATABASE_URL: stack.databaseUrl })! });
    await planning.connect();
    try {
      await planning.query(
        `insert into wellbeing_plan (id, title, county_code, municipality_code, council_term, status) values ('plan-test-167', 'Joensuun hyvinvointikertomus ja -suunnitelma', '14', '167', '2025–2029', 'approved')`,
      );
      await planning.query(
        `insert into wellbeing_goal (id, plan_id, theme_id, position, text, indicator_ids) values ('goal-test-167', 'plan-test-167', 'theme-14-elintavat', 1, 'Liikkumisen lisääminen', '{}')`,
      );
    } finally {
      await planning.end();
    }
    const create = `mutation($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }`;
    await mutate(create, {
      input: {
        countyCode: "14",
        goalId: "goal-test-167",
        title: "Liikuntaneuvonta",
        status: "IN_PROGRESS",
        organisationIds: ["org-municipality-167"],
        groupIds: [GroupKeys.pkKeskinen],
      },
    });
    await mutate(create, { input: { countyCode: "14", goalId: "goal-test-167", title: "Lähiliikuntapaikat", status: "PLANNED" } });
    await mutate(create, { input: { countyCode: "14", goalId: "goal-test-167", title: "Ulkoilureitit", status: "IN_PROGRESS" } });
    const cells = (await runView("plan-follow-up", { countyCode: "14" })).county!.measureFollowUp!;
    expect(cells.map((c) => [c.theme?.name, c.municipality?.nameFi, c.status, c.count])).toEqual([
      ["Elintavat", "Joensuu", "PLANNED", 1],
      ["Elintavat", "Joensuu", "IN_PROGRESS", 2],
    ]);
    const inProgress = cells[1]!.measures.find((m) => m.title === "Liikuntaneuvonta")!;
    expect(inProgress.responsibleOrganisations).toEqual([{ id: "org-municipality-167", allIds: ["org-municipality-167"], name: "Joensuu", kind: "MUNICIPALITY" }]);
    expect(inProgress.responsibleGroups.map((g) => g?.id)).toEqual([GroupKeys.pkKeskinen]);
    const onlyPlanned = await runView("plan-follow-up", { countyCode: "14", statuses: ["PLANNED"] });
    expect(onlyPlanned.county?.measureFollowUp?.map((c) => c.count)).toEqual([1]);
  });
});
