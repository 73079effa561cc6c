import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ICAL from "ical.js";
import { helsinkiToday, serviceDatabaseUrl } from "@yhdyspinta/core";
import { generateDataset } from "../bench/src/generate.ts";
import { serviceSql, startTestStack, type TestStack } from "./support.ts";

// Alerts through the gateway: exactly the cases each county holds on a day,
// across counties too, and the same number of SQL statements at 1× and 10×
// synthetic data. Counties 05 and 06 hold only this test's rows.

const A = "05";
const B = "06";
const DAY = "2026-03-01";

type Row = Record<string, unknown>;

async function insert(stack: TestStack, table: string, rows: Row[]): Promise<void> {
  for (const row of rows) {
    const columns = Object.keys(row);
    await serviceSql(
      stack,
      "groups",
      `insert into ${table} (${columns.map((c) => `"${c}"`).join(", ")}) values (${columns.map((_, i) => `$${i + 1}`).join(", ")})`,
      Object.values(row),
    );
  }
}

async function seedAlertCases(stack: TestStack): Promise<void> {
  await insert(stack, "cooperation_group", [
    { id: "al-a1", county_code: A, name: "Hälytysryhmä A1", kind: "partnership_group", starts_on: "2025-06-01" },
    { id: "al-a-ended", county_code: A, name: "Hälytysryhmä A päättynyt", kind: "partnership_group", ends_on: "2026-01-31" },
    { id: "al-a-future", county_code: A, name: "Hälytysryhmä A tuleva", kind: "partnership_group", starts_on: "2026-06-01" },
    { id: "al-b1", county_code: B, name: "Hälytysryhmä B1", kind: "partnership_group" },
  ]);
  const seat = (id: string, group: string, ordinal: number, max: number | null, deputies: number | null, extra: Row = {}): Row => ({
    id, group_id: group, ordinal, constituency: "sector", label: id, max_members: max, deputies, ...extra,
  });
  await insert(stack, "group_seat", [
    seat("al-s-full", "al-a1", 1, 1, 1),
    seat("al-s-member-vacant", "al-a1", 2, 2, null),
    seat("al-s-deputy-vacant", "al-a1", 3, 1, 1),
    seat("al-s-unstated", "al-a1", 4, null, null),
    seat("al-s-ended", "al-a1", 5, 3, null, { ends_on: "2026-02-01" }),
    seat("al-s-optional", "al-a1", 6, 2, 1, { deputies_optional_when_several_members: true }),
    seat("al-s-orphan", "al-a1", 7, 1, 1),
    seat("al-s-ended-group", "al-a-ended", 1, 3, null),
    seat("al-s-future-group", "al-a-future", 1, 3, null),
    seat("al-s-b", "al-b1", 1, 1, null),
  ]);
  const member = (id: string, seatId: string | null, role: string, extra: Row = {}): Row => ({
    id, group_id: "al-a1", seat_id: seatId, person_id: `person-${id}`, role, starts_on: "2025-06-01", ...extra,
  });
  await insert(stack, "membership", [
    member("al-m1", "al-s-full", "member", { ends_on: "2026-03-15" }),
    member("al-d1", "al-s-full", "deputy", { deputy_of_id: "al-m1" }),
    member("al-m2", "al-s-member-vacant", "member", { ends_on: "2026-04-30" }),
    member("al-m3", "al-s-deputy-vacant", "chair"),
    member("al-m5", "al-s-optional", "member", { ends_on: "2026-04-01" }),
    member("al-m6", "al-s-optional", "member", { ends_on: "2026-03-31" }),
    member("al-m7", "al-s-orphan", "member", { ends_on: "2026-02-28" }),
    member("al-d7", "al-s-orphan", "deputy", { deputy_of_id: "al-m7" }),
    member("al-d0", null, "deputy"),
    member("al-m8", "al-s-unstated", "member", { ends_on: "2026-03-10", corrected_at: "2026-01-10T10:00:00Z" }),
    member("al-m-future", "al-s-member-vacant", "member", { starts_on: "2026-03-02" }),
  ]);
  const round = (id: string, county: string, closesOn: string, extra: Row = {}): Row => ({ id, county_code: county, name: id, kind: "nomination_request", closes_on: closesOn, ...extra });
  await insert(stack, "nomination_round", [
    round("al-r1", A, "2026-03-10"),
    round("al-r2", A, DAY),
    round("al-r3", A, "2026-04-15"),
    round("al-r4", A, "2026-03-20", { closed_at: "2026-02-20T10:00:00Z" }),
    round("al-r5", A, "2026-02-28"),
    round("al-rb", B, "2026-03-05"),
  ]);
  const nominator = (id: string, roundId: string, ordinal: number): Row => ({ id, round_id: roundId, kind: "municipality", municipality_code: `9${ordinal}${roundId.length}`, ordinal });
  await insert(stack, "nominator", [
    nominator("al-n1", "al-r1", 1),
    nominator("al-n2", "al-r1", 2),
    nominator("al-n3", "al-r1", 3),
    nominator("al-n4", "al-r2", 1),
    nominator("al-n5", "al-r3", 1),
    nominator("al-nb", "al-rb", 1),
  ]);
  const nomination = (id: string, roundId: string, nominatorId: string, status: string): Row => ({
    id, round_id: roundId, nominator_id: nominatorId, person_id: `person-${id}`, status, submitted_on: "2026-02-15",
  });
  await insert(stack, "nomination", [
    nomination("al-x1", "al-r1", "al-n1", "submitted"),
    nomination("al-x2", "al-r1", "al-n2", "withdrawn"),
    nomination("al-x4", "al-r2", "al-n4", "accepted"),
  ]);
}

const ALERTS = `query Alerts($countyCode: ID, $activeOn: Date, $withinDays: Int) {
  groupAlerts(countyCode: $countyCode, activeOn: $activeOn, withinDays: $withinDays) {
    countyCode activeOn withinDays until
    vacantSeats { seat { id } group { id } occupancy { vacantMemberPlaces vacantDeputyPlaces } }
    deputiesWithoutMember { id }
    closingRounds { round { id } closesOn daysLeft pendingNominators { id } }
    endingMemberships { id endsOn }
  }
}`;

interface Alerts {
  groupAlerts: {
    countyCode: string | null;
    activeOn: string;
    withinDays: number;
    until: string;
    vacantSeats: { seat: { id: string }; group: { id: string }; occupancy: { vacantMemberPlaces: number | null; vacantDeputyPlaces: number | null } }[];
    deputiesWithoutMember: { id: string }[];
    closingRounds: { round: { id: string }; closesOn: string; daysLeft: number; pendingNominators: { id: string }[] }[];
    endingMemberships: { id: string; endsOn: string }[];
  };
}

const stacks: TestStack[] = [];
let stack: TestStack;

async function generatedStack(scale: number): Promise<TestStack> {
  const started = await startTestStack(`alerts${scale}`);
  stacks.push(started);
  const env = { DATABASE_URL: started.databaseUrl };
  await generateDataset(
    {
      organisations: serviceDatabaseUrl("organisations", env)!,
      groups: serviceDatabaseUrl("groups", env)!,
      planning: serviceDatabaseUrl("planning", env)!,
    },
    { seed: 7, scale, countyCodes: ["14"] },
  );
  return started;
}

beforeAll(async () => {
  stack = await generatedStack(1);
  await seedAlertCases(stack);
});

afterAll(async () => {
  for (const s of stacks) await s.stop();
});

describe("groupAlerts", () => {
  it("answers exactly a county's vacancies, deputies without a member, closing rounds and ending memberships on a day", async () => {
    const res = await stack.query<Alerts>(ALERTS, { countyCode: A, activeOn: DAY, withinDays: 30 });
    expect(res.errors).toBeUndefined();
    const alerts = res.data!.groupAlerts;
    expect({ countyCode: alerts.countyCode, activeOn: alerts.activeOn, withinDays: alerts.withinDays, until: alerts.until }).toEqual({
      countyCode: A, activeOn: DAY, withinDays: 30, until: "2026-03-31",
    });
    expect(alerts.vacantSeats).toEqual([
      { seat: { id: "al-s-member-vacant" }, group: { id: "al-a1" }, occupancy: { vacantMemberPlaces: 1, vacantDeputyPlaces: null } },
      { seat: { id: "al-s-deputy-vacant" }, group: { id: "al-a1" }, occupancy: { vacantMemberPlaces: 0, vacantDeputyPlaces: 1 } },
      { seat: { id: "al-s-unstated" }, group: { id: "al-a1" }, occupancy: { vacantMemberPlaces: null, vacantDeputyPlaces: null } },
      { seat: { id: "al-s-orphan" }, group: { id: "al-a1" }, occupancy: { vacantMemberPlaces: 1, vacantDeputyPlaces: 0 } },
    ]);
    expect(alerts.deputiesWithoutMember.map((m) => m.id)).toEqual(["al-d0", "al-d7"]);
    expect(alerts.closingRounds).toEqual([
      { round: { id: "al-r2" }, closesOn: DAY, daysLeft: 0, pendingNominators: [] },
      { round: { id: "al-r1" }, closesOn: "2026-03-10", daysLeft: 9, pendingNominators: [{ id: "al-n2" }, { id: "al-n3" }] },
    ]);
    expect(alerts.endingMemberships).toEqual([
      { id: "al-m1", endsOn: "2026-03-15" },
      { id: "al-m6", endsOn: "2026-03-31" },
    ]);
  });

  it("moves with the day and the window", async () => {
    const res = await stack.query<Alerts>(ALERTS, { countyCode: A, activeOn: "2026-03-16", withinDays: 45 });
    expect(res.errors).toBeUndefined();
    const alerts = res.data!.groupAlerts;
    // al-m1 has ended: its seat is vacant and its deputy stands alone; al-m-future sits now.
    expect(alerts.vacantSeats.map((v) => v.seat.id)).toEqual(["al-s-full", "al-s-deputy-vacant", "al-s-unstated", "al-s-orphan"]);
    expect(alerts.deputiesWithoutMember.map((m) => m.id)).toEqual(["al-d0", "al-d1", "al-d7"]);
    expect(alerts.closingRounds.map((r) => [r.round.id, r.daysLeft, r.pendingNominators.map((n) => n.id)])).toEqual([["al-r3", 30, ["al-n5"]]]);
    expect(alerts.endingMemberships.map((m) => m.id)).toEqual(["al-m6", "al-m5", "al-m2"]);
  });

  it("answers per county and across counties", async () => {
    const other = await stack.query<Alerts>(ALERTS, { countyCode: B, activeOn: DAY, withinDays: 30 });
    expect(other.errors).toBeUndefined();
    expect(other.data!.groupAlerts.vacantSeats.map((v) => v.seat.id)).toEqual(["al-s-b"]);
    expect(other.data!.groupAlerts.closingRounds.map((r) => [r.round.id, r.pendingNominators.map((n) => n.id)])).toEqual([["al-rb", ["al-nb"]]]);
    expect(other.data!.groupAlerts.deputiesWithoutMember).toEqual([]);
    const all = await stack.query<Alerts>(ALERTS, { activeOn: DAY, withinDays: 30 });
    expect(all.errors).toBeUndefined();
    const every = all.data!.groupAlerts;
    expect(every.countyCode).toBeNull();
    const seats = every.vacantSeats.map((v) => v.seat.id);
    expect(seats).toEqual(expect.arrayContaining(["al-s-member-vacant", "al-s-orphan", "al-s-b"]));
    expect(seats.some((id) => id.startsWith("syn"))).toBe(true); // the synthetic county 14 too
    expect(every.closingRounds.map((r) => r.round.id)).toEqual(expect.arrayContaining(["al-r1", "al-r2", "al-rb"]));
    expect(every.deputiesWithoutMember.map((m) => m.id)).toEqual(expect.arrayContaining(["al-d0", "al-d7"]));
  });

  it("refuses a bad county or window as BAD_USER_INPUT naming the argument", async () => {
    for (const [variables, field] of [
      [{ countyCode: "5" }, "countyCode"],
      [{ withinDays: -1 }, "withinDays"],
      [{ withinDays: 400 }, "withinDays"],
    ] as const) {
      const res = await stack.query(ALERTS, variables);
      expect(res.errors?.[0]?.extensions?.["code"], JSON.stringify(variables)).toBe("BAD_USER_INPUT");
      expect(res.errors?.[0]?.extensions?.["field"]).toBe(field);
    }
  });
});

describe("the county's deadline calendar", () => {
  it("has the coming round deadlines with who has not answered, and memberships' last days, as all-day events", async () => {
    const today = helsinkiToday();
    const plus = (days: number) => {
      const d = new Date(`${today}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + days);
      return d.toISOString().slice(0, 10);
    };
    await insert(stack, "nomination_round", [{ id: "al-rcal", county_code: A, name: "Kalenterihaku", kind: "nomination_request", opens_on: today, closes_on: plus(10) }]);
    await insert(stack, "nominator", [
      { id: "al-ncal-1", round_id: "al-rcal", kind: "municipality", municipality_code: "167", ordinal: 1 },
      { id: "al-ncal-2", round_id: "al-rcal", kind: "municipality", municipality_code: "260", ordinal: 2 },
    ]);
    await insert(stack, "nomination", [{ id: "al-xcal", round_id: "al-rcal", nominator_id: "al-ncal-2", person_id: "person-al-xcal", status: "submitted", submitted_on: today }]);
    await insert(stack, "membership", [
      { id: "al-mcal", group_id: "al-a1", seat_id: null, person_id: "person-al-mcal", role: "vice_chair", starts_on: "2025-06-01", ends_on: plus(20) },
    ]);
    const res = await fetch(new URL(`calendar/county/${A}/deadlines.ics`, stack.gatewayUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/calendar");
    const calendar = new ICAL.Component(ICAL.parse(await res.text()));
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events.map((e) => [e.uid, e.startDate.toString(), e.startDate.isDate, e.summary, e.description]).sort()).toEqual([
      [`membership-al-mcal-ends-${plus(20)}@yhdyspinta`, plus(20), true, "Hälytysryhmä A1: varapuheenjohtaja – jäsenyys päättyy", `Jäsenyyden viimeinen päivä ${plus(20)}.`],
      [`round-al-rcal-closes-${plus(10)}@yhdyspinta`, plus(10), true, "Nimeämisaika päättyy: Kalenterihaku", "Vastaamatta (1): Joensuu"],
    ]);
    const unknown = await fetch(new URL("calendar/county/5/deadlines.ics", stack.gatewayUrl));
    expect(unknown.status).toBe(404);
  });
});

describe("activeOn, the one day argument", () => {
  it("answers like the deprecated names, refuses both naming different days, and filters lists by day", async () => {
    const query = `query($id: ID!) {
      nominationRound(id: $id) { old: isOpen(on: "2026-03-10") new: isOpen(activeOn: "2026-03-10") after: isOpen(activeOn: "2026-03-11") }
      oldList: nominationRounds(countyCode: "${A}", open: true, asOf: "2026-03-10") { id }
      newList: nominationRounds(countyCode: "${A}", open: true, activeOn: "2026-03-10") { id }
    }`;
    const res = await stack.query<{ nominationRound: Record<string, boolean>; oldList: { id: string }[]; newList: { id: string }[] }>(query, { id: "al-r1" });
    expect(res.errors).toBeUndefined();
    expect(res.data!.nominationRound).toEqual({ old: true, new: true, after: false });
    // Open on 10 March, latest deadline first; al-r4's window covers the day, but a coordinator closed it on 20 February.
    expect(res.data!.newList.map((r) => r.id)).toEqual(["al-r3", "al-r1"]);
    expect(res.data!.oldList).toEqual(res.data!.newList);
    type Page<T> = { edges: { node: T }[] };
    const lists = await stack.query<{ all: Page<{ id: string }>; on: Page<{ id: string; seats: { id: string }[]; every: { id: string }[] }> }>(`{
      all: cooperationGroups(filter: { countyCode: "${A}" }) { edges { node { id } } }
      on: cooperationGroups(filter: { countyCode: "${A}", activeOn: "${DAY}" }) { edges { node { id seats(activeOn: "${DAY}") { id } every: seats { id } } } }
    }`);
    expect(lists.errors).toBeUndefined();
    expect(lists.data!.all.edges.map((e) => e.node.id).sort()).toEqual(["al-a-ended", "al-a-future", "al-a1"]);
    const [on] = lists.data!.on.edges.map((e) => e.node);
    expect(lists.data!.on.edges).toHaveLength(1);
    expect(on!.id).toBe("al-a1");
    expect(on!.every.map((s) => s.id)).toContain("al-s-ended");
    expect(on!.seats.map((s) => s.id)).toEqual(on!.every.map((s) => s.id).filter((id) => id !== "al-s-ended"));
    const both = await stack.query(`{ nominationRounds(asOf: "2026-03-10", activeOn: "2026-03-11", open: true) { id } }`);
    expect(both.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(both.errors?.[0]?.extensions?.["field"]).toBe("asOf");
  });
});

describe("groupAlerts cost", () => {
  it("runs with the same SQL statements and subgraph fetches at 1× and 10× data", { timeout: 400_000 }, async () => {
    const measure = async (s: TestStack, variables: Record<string, unknown>) => {
      await s.query(ALERTS, variables); // warm-up
      await s.resetStats();
      const res = await s.query<Alerts>(ALERTS, variables);
      expect(res.errors).toBeUndefined();
      return { cost: await s.stats(), alerts: res.data!.groupAlerts, bytes: JSON.stringify(res.data).length };
    };
    const cases = [{ countyCode: "14", activeOn: "2025-12-01", withinDays: 366 }, { activeOn: "2025-12-01", withinDays: 366 }];
    const small = [];
    for (const c of cases) small.push(await measure(stack, c));
    const large10 = await generatedStack(10);
    const large = [];
    for (const c of cases) large.push(await measure(large10, c));
    for (const [i, c] of cases.entries()) {
      const label = JSON.stringify(c);
      // The synthetic data has every kind of alert but deputies without a member…
      expect(small[i]!.alerts.vacantSeats.length, label).toBeGreaterThan(0);
      expect(small[i]!.alerts.endingMemberships.length, label).toBeGreaterThan(0);
      expect(small[i]!.alerts.closingRounds.some((r) => r.pendingNominators.length > 0), label).toBe(true);
      // …and ten times the data answers with more for exactly the same work.
      expect(large[i]!.bytes, label).toBeGreaterThan(small[i]!.bytes);
      expect(large[i]!.cost, label).toEqual(small[i]!.cost);
    }
  });
});
