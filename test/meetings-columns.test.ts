import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupKeys } from "@yhdyspinta/core";
import { subgraphRequest } from "@yhdyspinta/core/testing";
import type { CalendarMeeting } from "../gateway/src/calendar/calendar.ts";
import { viewDocument } from "../views/index.ts";
import { serviceSql, startTestStack, type TestStack } from "./support.ts";

// `meetings` reads the minutes columns (json lists parsed per row) only when
// a selected field needs them: the calendar view's statement leaves them
// out, and every selection, whatever its fragments and aliases, answers
// exactly what the rows hold. Each query runs twice: the subgraph executes
// an operation with graphql-js the first time and compiled (graphql-jit)
// from the second on. Selections with fragments are also sent to the groups
// subgraph directly: the gateway's query plan inlines them, another plan or
// router may not.

const MINUTES_COLUMNS = ["agenda", "decisions", "minutes_ref", "minutes_recorded_at"] as const;
type Column = (typeof MINUTES_COLUMNS)[number];

/** A meeting as GraphQL answers it: the calendar's fields without the group, and the minutes. */
interface Written extends Omit<CalendarMeeting, "group"> {
  decisions: string[];
  minutesRef: string | null;
  minutesRecordedAt: string | null;
}

// Meetings in a year nothing else has, written by this test (Helsinki winter time, +02:00).
const WRITTEN: Written[] = [
  {
    id: "meeting-cols-1",
    kind: "REGULAR",
    title: "Kevätkokous",
    startsAt: "2031-02-03T13:00:00+02:00",
    endsAt: "2031-02-03T15:30:00+02:00",
    location: "Tampere-talo, sali B",
    agenda: ["Kokouksen avaus", "Toimintasuunnitelma 2031", "Muut asiat"],
    decisions: ["Toimintasuunnitelma hyväksyttiin", "Seuraava kokous 3.3.2031"],
    minutesRef: "https://example.fi/poytakirjat/2031-1",
    minutesRecordedAt: "2031-02-04T09:15:00+02:00",
  },
  {
    id: "meeting-cols-2",
    kind: "ANNUAL_NEGOTIATION",
    title: null,
    startsAt: "2031-02-10T09:00:00+02:00",
    endsAt: null,
    location: null,
    agenda: [],
    decisions: [],
    minutesRef: null,
    minutesRecordedAt: null,
  },
  {
    id: "meeting-cols-3",
    kind: "ORGANISING",
    title: "Järjestäytymiskokous",
    startsAt: "2031-02-10T12:00:00+02:00",
    endsAt: "2031-02-10T13:00:00+02:00",
    location: "Teams",
    agenda: ["Puheenjohtajan valinta"],
    decisions: [],
    minutesRef: "dnro 12/2031",
    minutesRecordedAt: null,
  },
];

let stack: TestStack;
let county: string;
let variables: Record<string, unknown>;

beforeAll(async () => {
  stack = await startTestStack("meetcols");
  const [group] = await serviceSql<{ county_code: string }>(stack, "groups", `select county_code from cooperation_group where id = $1`, [GroupKeys.pirhaJyry]);
  county = group!.county_code;
  for (const m of WRITTEN) {
    await serviceSql(
      stack,
      "groups",
      `insert into meeting (id, group_id, kind, title, starts_at, ends_at, location, agenda, decisions, minutes_ref, minutes_recorded_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11)`,
      [m.id, GroupKeys.pirhaJyry, m.kind.toLowerCase(), m.title, m.startsAt, m.endsAt, m.location, JSON.stringify(m.agenda), JSON.stringify(m.decisions), m.minutesRef, m.minutesRecordedAt],
    );
  }
  variables = { countyCode: county, from: "2031-01-01", to: "2031-12-31" };
});

afterAll(async () => {
  await stack?.stop();
});

type Via = "gateway" | "groups subgraph";

/** Runs a query twice and returns, per run, its meetings and the minutes columns the groups subgraph's meeting statement read. */
async function runTwice(query: string, via: Via = "gateway"): Promise<{ meetings: Record<string, unknown>[]; read: Column[] }[]> {
  const runs = [];
  for (let run = 0; run < 2; run++) {
    await stack.resetStats();
    const res =
      via === "gateway"
        ? await stack.query<{ meetings: Record<string, unknown>[] }>(query, variables)
        : await subgraphRequest<{ meetings: Record<string, unknown>[] }>(stack.subgraphUrls.groups, stack.internalAuthSecret, query, variables);
    expect(res.errors).toBeUndefined();
    const statements = (await stack.recentStatements())["groups"]!.filter((sql) => /from "meeting"/.test(sql));
    expect(statements, "one statement reads the meetings").toHaveLength(1);
    const sql = statements[0]!;
    // Either `select *` or the columns one by one (qualified or not), but always the calendar's own.
    const columns = sql.slice(0, sql.indexOf(" from "));
    const selects = (column: string) => columns.includes("*") || new RegExp(`[\\s.,]"${column}"(,|$)`).test(columns);
    for (const column of ["id", "group_id", "kind", "title", "starts_at", "ends_at", "location"]) {
      expect(selects(column), `${column} in ${columns}`).toBe(true);
    }
    const read = MINUTES_COLUMNS.filter(selects);
    runs.push({ meetings: res.data!.meetings, read });
  }
  return runs;
}

const VIA: readonly Via[] = ["gateway", "groups subgraph"];
const pick = (m: Written, fields: readonly (keyof Written)[]) => Object.fromEntries(fields.map((f) => [f, m[f]]));
const CALENDAR = ["id", "kind", "title", "startsAt", "endsAt", "location"] as const;
const ALL = [...CALENDAR, "agenda", "decisions", "minutesRef", "minutesRecordedAt"] as const;

describe("meetings reads the minutes columns only for fields that need them", () => {
  it("answers every field as written when all are selected, reading every column", { timeout: 120_000 }, async () => {
    for (const { meetings, read } of await runTwice(`query ($countyCode: ID!, $from: Date!, $to: Date!) {
      meetings(countyCode: $countyCode, from: $from, to: $to) { ${ALL.join(" ")} }
    }`)) {
      expect(meetings).toEqual(WRITTEN.map((m) => pick(m, ALL)));
      expect(read).toEqual(MINUTES_COLUMNS);
    }
  });

  it("leaves them out for the meeting-calendar view, with the same values", { timeout: 120_000 }, async () => {
    for (const { meetings, read } of await runTwice(viewDocument("meeting-calendar"))) {
      expect(meetings.map((m) => ({ ...m, group: undefined }))).toEqual(WRITTEN.map((m) => ({ ...pick(m, CALENDAR), group: undefined })));
      expect(meetings.map((m) => (m["group"] as { id: string }).id)).toEqual(WRITTEN.map(() => GroupKeys.pirhaJyry));
      expect(read).toEqual([]);
    }
  });

  it("reads exactly the columns asked for through fragments, inline fragments and aliases", { timeout: 120_000 }, async () => {
    const query = `query ($countyCode: ID!, $from: Date!, $to: Date!) {
      meetings(countyCode: $countyCode, from: $from, to: $to) {
        id
        ...Agenda
        ... on GroupMeeting { pk: minutesRef }
        group { name }
      }
    }
    fragment Agenda on GroupMeeting { title items: agenda }`;
    for (const via of VIA) {
      for (const { meetings, read } of await runTwice(query, via)) {
        expect(meetings, via).toEqual(
          WRITTEN.map((m) => ({ id: m.id, title: m.title, items: m.agenda, pk: m.minutesRef, group: { name: expect.any(String) } })),
        );
        expect(read, via).toEqual(["agenda", "minutes_ref"]);
      }
    }
  });

  it("reads the decisions and minutes time under a nested spread and for a field under @include, whatever its condition", { timeout: 120_000 }, async () => {
    const query = `query ($countyCode: ID!, $from: Date!, $to: Date!, $withTime: Boolean = false) {
      meetings(countyCode: $countyCode, from: $from, to: $to) {
        ... { ...Outcome }
        startsAt
        recorded: minutesRecordedAt @include(if: $withTime)
      }
    }
    fragment Outcome on GroupMeeting { id outcomes: decisions }`;
    for (const via of VIA) {
      for (const { meetings, read } of await runTwice(query, via)) {
        expect(meetings, via).toEqual(WRITTEN.map((m) => ({ id: m.id, outcomes: m.decisions, startsAt: m.startsAt })));
        expect(read, via).toEqual(["decisions", "minutes_recorded_at"]);
      }
    }
    variables = { ...variables, withTime: true };
    try {
      for (const via of VIA) {
        for (const { meetings } of await runTwice(query, via)) {
          expect(meetings, via).toEqual(WRITTEN.map((m) => ({ id: m.id, outcomes: m.decisions, startsAt: m.startsAt, recorded: m.minutesRecordedAt })));
        }
      }
    } finally {
      delete variables["withTime"];
    }
  });
});
