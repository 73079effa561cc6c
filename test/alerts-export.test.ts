import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ICAL from "ical.js";
import { helsinkiToday } from "@yhdyspinta/core";
import { serviceSql, startTestStack, type TestStack } from "./support.ts";

// The alerts export (GET /exports/alerts.csv|json) and the terms in the
// deadline calendar, through the gateway. County 05 holds only this test's rows.

const A = "05";
const DAY = "2026-03-01";

type Row = Record<string, unknown>;

let stack: TestStack;

async function insert(table: string, rows: Row[]): Promise<void> {
  for (const row of rows) {
    const columns = Object.keys(row);
    await serviceSql(stack, "groups", `insert into ${table} (${columns.map((c) => `"${c}"`).join(", ")}) values (${columns.map((_, i) => `$${i + 1}`).join(", ")})`, Object.values(row));
  }
}

const plus = (day: string, days: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

beforeAll(async () => {
  stack = await startTestStack("alertsexport");
  const today = helsinkiToday();
  await insert("cooperation_group", [
    { id: "ax-g1", county_code: A, name: "=Vientiryhmä", kind: "partnership_group", starts_on: "2025-06-01" },
    { id: "ax-g2", county_code: A, name: "Vientiryhmä 2", kind: "partnership_group", starts_on: "2025-06-01" },
  ]);
  await insert("group_seat", [
    { id: "ax-s1", group_id: "ax-g1", ordinal: 1, constituency: "sector", label: "Paikka 1", max_members: 2, deputies: 1 },
    { id: "ax-s2", group_id: "ax-g1", ordinal: 2, constituency: "sector", label: "Paikka 2", max_members: 1, deputies: null },
  ]);
  await insert("membership", [
    { id: "ax-m1", group_id: "ax-g1", seat_id: "ax-s1", person_id: "person-ax-m1", role: "member", starts_on: "2025-06-01", ends_on: "2026-03-20" },
    { id: "ax-d0", group_id: "ax-g1", seat_id: null, person_id: "person-ax-d0", role: "deputy", starts_on: "2025-06-01" },
    { id: "ax-m2", group_id: "ax-g1", seat_id: "ax-s2", person_id: "person-ax-m2", role: "chair", starts_on: "2025-06-01" },
  ]);
  await insert("nomination_round", [{ id: "ax-r1", county_code: A, name: "Vientihaku", kind: "nomination_request", closes_on: "2026-03-10" }]);
  await insert("nominator", [
    { id: "ax-n1", round_id: "ax-r1", kind: "municipality", municipality_code: "167", ordinal: 1 },
    { id: "ax-n2", round_id: "ax-r1", kind: "municipality", municipality_code: "260", ordinal: 2 },
  ]);
  await insert("nomination", [{ id: "ax-x1", round_id: "ax-r1", nominator_id: "ax-n2", person_id: "person-ax-x1", status: "submitted", submitted_on: "2026-02-20" }]);
  // A group term ending within the window from DAY, and one ending within the window from today (the calendar's).
  await insert("group_term", [
    { id: "ax-t1", group_id: "ax-g1", term_id: "county-council-2025-2029", starts_on: "2025-06-01", ends_on: "2026-03-25", appointed_on: "2025-06-01" },
    { id: "ax-t2", group_id: "ax-g2", term_id: "county-council-2025-2029", starts_on: "2025-06-01", ends_on: plus(today, 30), appointed_on: "2025-06-01" },
  ]);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

const GRAPHQL = `query($countyCode: ID, $activeOn: Date, $withinDays: Int) {
  groupAlerts(countyCode: $countyCode, activeOn: $activeOn, withinDays: $withinDays) {
    activeOn
    vacantSeats { seat { id label } group { id name } occupancy { vacantMemberPlaces vacantDeputyPlaces } }
    deputiesWithoutMember { id role group { id name } seat { label } }
    closingRounds { closesOn daysLeft round { id name } pendingNominators { municipality { nameFi } } }
    endingMemberships { id role endsOn group { id name } seat { label } }
    endingTerms { id endsOn group { id name } term { label } }
  }
}`;

interface Alerts {
  groupAlerts: {
    activeOn: string;
    vacantSeats: { seat: { id: string; label: string }; group: { id: string; name: string }; occupancy: { vacantMemberPlaces: number | null; vacantDeputyPlaces: number | null } }[];
    deputiesWithoutMember: { id: string; role: string; group: { id: string; name: string }; seat: { label: string } | null }[];
    closingRounds: { closesOn: string; daysLeft: number; round: { id: string; name: string }; pendingNominators: { municipality: { nameFi: string } | null }[] }[];
    endingMemberships: { id: string; role: string; endsOn: string; group: { id: string; name: string }; seat: { label: string } | null }[];
    endingTerms: { id: string; endsOn: string; group: { id: string; name: string }; term: { label: string } }[];
  };
}

const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** The rows the export should hold, computed from the GraphQL answer. */
function expectedRows(data: Alerts): Row[] {
  const a = data.groupAlerts;
  const base = { vacant_member_places: null, vacant_deputy_places: null, pending_nominators: null };
  return [
    ...a.vacantSeats.map((v) => ({ ...base, kind: "vacant_seat", county_code: A, group_id: v.group.id, group_name: v.group.name, subject_id: v.seat.id, subject_label: v.seat.label, day: a.activeOn, days_left: 0, vacant_member_places: v.occupancy.vacantMemberPlaces, vacant_deputy_places: v.occupancy.vacantDeputyPlaces })),
    ...a.deputiesWithoutMember.map((m) => ({ ...base, kind: "deputy_without_member", county_code: A, group_id: m.group.id, group_name: m.group.name, subject_id: m.id, subject_label: m.seat?.label ?? m.role, day: a.activeOn, days_left: 0 })),
    ...a.closingRounds.map((r) => ({ ...base, kind: "round_closing", county_code: A, group_id: null, group_name: null, subject_id: r.round.id, subject_label: r.round.name, day: r.closesOn, days_left: r.daysLeft, pending_nominators: r.pendingNominators.map((n) => n.municipality!.nameFi).join("; ") })),
    ...a.endingMemberships.map((m) => ({ ...base, kind: "membership_ending", county_code: A, group_id: m.group.id, group_name: m.group.name, subject_id: m.id, subject_label: m.seat?.label ?? m.role, day: m.endsOn, days_left: days(a.activeOn, m.endsOn) })),
    ...a.endingTerms.map((t) => ({ ...base, kind: "term_ending", county_code: A, group_id: t.group.id, group_name: t.group.name, subject_id: t.id, subject_label: t.term.label, day: t.endsOn, days_left: days(a.activeOn, t.endsOn) })),
  ];
}

describe("GET /exports/alerts.csv|json", () => {
  it("holds one row per alert of groupAlerts for the same variables, terms ending included", async () => {
    const variables = { countyCode: A, activeOn: DAY, withinDays: 30 };
    const answer = await stack.query<Alerts>(GRAPHQL, variables);
    expect(answer.errors).toBeUndefined();
    const a = answer.data!.groupAlerts;
    // The test's cases are all there (so the comparison below compares something).
    expect(a.endingTerms.map((t) => t.id)).toEqual(["ax-t1"]);
    expect(a.closingRounds.map((r) => [r.round.id, r.pendingNominators.length])).toEqual([["ax-r1", 1]]);
    expect(a.endingMemberships.map((m) => m.id)).toEqual(["ax-m1"]);
    expect(a.deputiesWithoutMember.map((m) => m.id)).toEqual(["ax-d0"]);
    expect(a.vacantSeats.map((v) => v.seat.id)).toEqual(["ax-s1"]);

    const res = await fetch(new URL(`exports/alerts.json?countyCode=${A}&activeOn=${DAY}&withinDays=30`, stack.gatewayUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    const rows = (await res.json()) as Row[];
    expect(rows).toEqual(expectedRows(answer.data!));
    expect(Object.keys(rows[0]!).some((k) => /person|email|phone/.test(k))).toBe(false);

    const csv = await fetch(new URL(`exports/alerts.csv?countyCode=${A}&activeOn=${DAY}&withinDays=30`, stack.gatewayUrl));
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trimEnd().split("\r\n");
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines[0]).toBe("kind,county_code,group_id,group_name,subject_id,subject_label,day,days_left,vacant_member_places,vacant_deputy_places,pending_nominators");
    // The group named "=Vientiryhmä" is text in a spreadsheet, not a formula.
    expect(lines.find((l) => l.startsWith("term_ending,"))).toBe(`term_ending,${A},ax-g1,'=Vientiryhmä,ax-t1,${a.endingTerms[0]!.term.label},2026-03-25,24,,,`);
  });

  it("answers a bad or unknown parameter with a 400 naming it", async () => {
    for (const [query, parameter] of [
      ["withinDays=abc", "withinDays"],
      ["withinDays=9999", "withinDays"],
      ["activeOn=2026-02-30", "activeOn"],
      ["countyCode=5", "countyCode"],
      ["county=05", "county"],
    ] as const) {
      const res = await fetch(new URL(`exports/alerts.csv?${query}`, stack.gatewayUrl));
      expect(res.status, query).toBe(400);
      expect(await res.text(), query).toContain(parameter);
    }
  });
});

describe("the deadline calendar", () => {
  it("has the group terms ending within the year as all-day events", async () => {
    const today = helsinkiToday();
    const res = await fetch(new URL(`calendar/county/${A}/deadlines.ics`, stack.gatewayUrl));
    expect(res.status).toBe(200);
    const calendar = new ICAL.Component(ICAL.parse(await res.text()));
    const events = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    const terms = events.filter((e) => e.uid.startsWith("term-"));
    expect(terms.map((e) => [e.uid, e.startDate.toString(), e.startDate.isDate, e.summary])).toEqual([
      [`term-ax-t2-ends-${plus(today, 30)}@yhdyspinta`, plus(today, 30), true, expect.stringMatching(/^Vientiryhmä 2: toimikausi .+ päättyy$/)],
    ]);
  });
});
