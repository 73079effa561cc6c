import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseCsv } from "csv-parse/sync";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anonymousViewer, GroupKeys, helsinkiToday, mintUserToken, OrganisationKeys, Scope } from "@yhdyspinta/core";
import { ALERT_COLUMNS } from "../gateway/src/exports/alerts.ts";
import { columnsFor, VIEW_EXPORTS } from "../gateway/src/exports/columns.ts";
import { MUNICIPALITIES_PER_PAGE } from "../gateway/src/exports/paging.ts";
import { exportRoutes } from "../gateway/src/exports/routes.ts";
import { VIEW_NAMES, viewDocument, type ViewName, type ViewResult, type ViewVariables } from "../views/index.ts";
import { serviceSql, startTestStack, type TestStack } from "./support.ts";
import { unzip } from "./unzip.ts";

// The datapackage library is CommonJS; it validates against the Frictionless profiles it ships.
const { validate: validateDataPackage } = createRequire(import.meta.url)("datapackage") as {
  validate(descriptor: unknown): Promise<{ valid: boolean; errors: Error[] }>;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

let stack: TestStack;
let reader: Record<string, string>;
let writer: Record<string, string>;
let personId: string;
const CONTACT_EMAIL = "vientitesti@example.invalid";

function url(path: string): string {
  return new URL(path, stack.gatewayUrl).toString();
}

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(url(path), { headers });
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: Buffer.from(await res.arrayBuffer()) };
}

async function csv(path: string, headers: Record<string, string> = {}) {
  const res = await get(path, headers);
  expect(res.status, res.body.toString()).toBe(200);
  expect(res.type).toMatch(/^text\/csv; charset=utf-8/);
  const text = res.body.toString("utf8");
  const header = parseCsv(text, { to_line: 1 })[0] as string[];
  const rows = parseCsv(text, { columns: true }) as Record<string, string>[];
  return { header, rows, text };
}

/** A committed view's answer, typed by views/generated.ts (pnpm schema). */
async function view<N extends ViewName>(name: N, variables: ViewVariables[N], headers: Record<string, string> = {}): Promise<ViewResult<N>> {
  const res = await stack.query<ViewResult<N>>(viewDocument(name), variables, headers);
  expect(res.errors).toBeUndefined();
  if (!res.data) throw new Error(`${name} gave no data`);
  return res.data;
}

/** The gateway's timeout for one subgraph fetch in this file's stack: a paused subgraph fails a view after it. */
const SUBGRAPH_TIMEOUT_MS = 4000;

beforeAll(async () => {
  stack = await startTestStack("exports", { env: { SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS) } });
  reader = { authorization: `Bearer ${await mintUserToken(stack.authSecret, { sub: "analyst", scope: Scope.ContactsRead })}` };
  writer = { authorization: `Bearer ${await mintUserToken(stack.authSecret, { sub: "coordinator", scope: Scope.DataWrite, role: "admin" })}` };
  const person = await stack.query<Data>(
    `mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }`,
    { input: { name: "Vienti Testaaja", title: "Suunnittelija", organisationId: OrganisationKeys.siunSote, email: CONTACT_EMAIL } },
    writer,
  );
  expect(person.errors).toBeUndefined();
  personId = person.data.createPerson.id;
  const membership = await stack.query<Data>(
    `mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`,
    {
      input: {
        groupId: GroupKeys.pkKeskinen,
        personId,
        organisationId: OrganisationKeys.siunSote,
        role: "MEMBER",
        startsOn: "2024-01-01",
      },
    },
    writer,
  );
  expect(membership.errors).toBeUndefined();
});

afterAll(async () => {
  await stack?.stop();
});

describe("exports", () => {
  it("gives the coverage matrix as one documented row per municipality × group kind, as the API answers", async () => {
    const { header, rows } = await csv("exports/coverage-matrix.csv?countyCode=14");
    expect(header).toEqual(VIEW_EXPORTS["coverage-matrix"].columns.map((c) => c.name));
    const county = (await view("coverage-matrix", { countyCode: "14" })).county!;
    const expected = county.municipalities.flatMap((m) =>
      m.groupCoverage!.map((cell) => ({
        municipality_code: m.code,
        municipality_name: m.nameFi,
        group_kind: cell.kind,
        group_count: String(cell.groupCount),
        covered: String(cell.covered),
      })),
    );
    expect(rows.map((r) => ({ municipality_code: r.municipality_code, municipality_name: r.municipality_name, group_kind: r.group_kind, group_count: r.group_count, covered: r.covered }))).toEqual(expected);
    expect(new Set(rows.map((r) => r.municipality_code)).size).toBe(county.municipalities.length);
    expect(county.municipalities).toHaveLength(13);
    const kinds = new Set(rows.map((r) => r.group_kind));
    expect(rows).toHaveLength(13 * kinds.size);
    expect(rows.every((r) => r.county_code === "14" && r.county_name === county.nameFi)).toBe(true);
    // Theme columns follow the groups' themes of that kind.
    const joensuu = county.municipalities.find((m) => m.code === "167")!;
    const themes = new Set(joensuu.cooperationGroups!.filter((g) => g.kind === "PARTNERSHIP_GROUP").flatMap((g) => g.themes!.map((t) => t.id)));
    const joensuuRow = rows.find((r) => r.municipality_code === "167" && r.group_kind === "PARTNERSHIP_GROUP")!;
    expect(new Set(joensuuRow.theme_ids!.split("; ").filter(Boolean))).toEqual(themes);
  });

  it("gives the same rows as JSON with typed values, and an Excel variant with ; and a BOM", async () => {
    const plain = await csv("exports/coverage-matrix.csv?countyCode=14");
    const json = await get("exports/coverage-matrix.json?countyCode=14");
    expect(json.type).toMatch(/^application\/json/);
    const items = JSON.parse(json.body.toString("utf8")) as Record<string, unknown>[];
    expect(items.map((i) => Object.keys(i))).toEqual(items.map(() => plain.header));
    expect(items.map((i) => Object.fromEntries(Object.entries(i).map(([k, v]) => [k, v === null ? "" : String(v)])))).toEqual(plain.rows);
    expect(items.every((i) => typeof i["group_count"] === "number" && typeof i["covered"] === "boolean")).toBe(true);

    const excel = await get("exports/coverage-matrix.csv?countyCode=14&excel=true");
    expect(excel.status).toBe(200);
    expect([...excel.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = excel.body.toString("utf8");
    expect(text.split("\r\n")[0]).toBe(`\uFEFF${plain.header.join(";")}`);
    expect(parseCsv(text, { columns: true, delimiter: ";", bom: true })).toEqual(plain.rows);
  });

  it("quotes per RFC 4180 and keeps UTF-8 (names with ä/ö, lists with ;)", async () => {
    const { text, rows } = await csv("exports/partnership-groups-by-municipality.csv?countyCodes=14");
    const data = await view("partnership-groups-by-municipality", { countyCodes: ["14"] });
    expect(text).toContain("Pohjois-Karjalan hyvinvointialue");
    expect(text.endsWith("\r\n")).toBe(true);
    const groupIds = new Set(data.counties![0]!.municipalities.flatMap((m) => m.cooperationGroups!.map((g) => g.id)));
    expect(new Set(rows.map((r) => r.group_id).filter(Boolean))).toEqual(groupIds);
  });

  it("gives contact columns to contacts:read callers only", async () => {
    const path = "exports/partnership-groups-by-municipality.csv?countyCodes=14&activeOn=2024-06-01";
    const anonymous = await csv(path);
    expect(anonymous.header).not.toContain("person_email");
    expect(anonymous.header).not.toContain("person_phone");
    expect(anonymous.text).not.toContain(CONTACT_EMAIL);
    const writerOnly = await csv(path, writer);
    expect(writerOnly.header).not.toContain("person_email");

    const authorised = await csv(path, reader);
    expect(authorised.header).toEqual(VIEW_EXPORTS["partnership-groups-by-municipality"].columns.map((c) => c.name));
    const row = authorised.rows.find((r) => r.person_name === "Vienti Testaaja");
    expect(row?.person_email).toBe(CONTACT_EMAIL);
    expect(row?.group_id).toBe(GroupKeys.pkKeskinen);
    // Same rows otherwise.
    expect(authorised.rows.map(({ person_email: _e, person_phone: _p, ...rest }) => rest)).toEqual(anonymous.rows);

    const json = JSON.parse((await get(path.replace(".csv", ".json"))).body.toString("utf8")) as Record<string, unknown>[];
    expect(json.some((r) => "person_email" in r)).toBe(false);
  });

  it("answers bad parameters with 400 naming the parameter", async () => {
    const cases: [string, string][] = [
      ["exports/coverage-matrix.csv", "countyCode"],
      ["exports/coverage-matrix.csv?countyCode=14&activeOn=2024-13-01", "activeOn"],
      ["exports/coverage-matrix.csv?countyCode=14&colour=red", "colour"],
      ["exports/coverage-matrix.csv?countyCode=14&excel=maybe", "excel"],
      ["exports/coverage-matrix.json?countyCode=14&excel=true", "excel"],
      ["exports/partnership-groups-by-municipality.csv?byArea=yes", "byArea"],
      ["exports/plan-follow-up.csv?countyCode=14&statuses=FINISHED", "statuses"],
      ["exports/meeting-calendar.csv?countyCode=08&from=2024-01-01", "to"],
      ["exports/meeting-calendar.csv?countyCode=08&from=2024-01-01&to=2023-01-01", "to"],
      ["exports/representation.csv?countyCode=08&activeOn=2024-03-01&first=many", "first"],
    ];
    for (const [path, parameter] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(res.type).toMatch(/^application\/json/);
      const body = JSON.parse(res.body.toString("utf8"));
      expect(body.parameter, path).toBe(parameter);
      expect(body.error, path).toContain(parameter);
    }
    const unknownCounty = await get("exports/coverage-matrix.csv?countyCode=99");
    expect(unknownCounty.status).toBe(404);
    expect(JSON.parse(unknownCounty.body.toString()).error).toContain("99");
    expect((await get("exports/no-such-view.csv")).status).toBe(404);
    expect((await get("exports/coverage-matrix.csv?countyCode=14", { authorization: "Bearer forged" })).status).toBe(401);
  });

  it("asks view 1 a few municipalities at a time and gives the rows of the whole view's answer, by county and by area", async () => {
    const columns = columnsFor(VIEW_EXPORTS["partnership-groups-by-municipality"], false);
    const asCsv = (rows: Iterable<Record<string, unknown>>) =>
      [...rows].map((r) => Object.fromEntries(columns.map((c) => [c.name, r[c.name] === null || r[c.name] === undefined ? "" : String(r[c.name])])));
    const areas = (await stack.query<Data>(`{ areas(countyCode: "14") { id municipalities { code } } }`)).data.areas;
    const cases: [string, ViewVariables["partnership-groups-by-municipality"]][] = [
      ["countyCodes=14,08&activeOn=2024-06-01", { countyCodes: ["14", "08"], activeOn: "2024-06-01" }],
      [`byArea=true&areaIds=${areas[0].id},${areas[1].id}`, { byArea: true, areaIds: [areas[0].id, areas[1].id] }],
    ];
    for (const [query, variables] of cases) {
      await stack.resetStats();
      const exported = await csv(`exports/partnership-groups-by-municipality.csv?${query}`);
      const operations = (await stack.stats())["groups"]!.operations;
      const whole = await view("partnership-groups-by-municipality", variables);
      const expected = asCsv(VIEW_EXPORTS["partnership-groups-by-municipality"].rows(whole, variables));
      expect(expected.length, query).toBeGreaterThan(0);
      expect(exported.rows, query).toEqual(expected);
      // One groups request per page of municipalities (not one for the whole answer).
      const lists = (variables.byArea ? whole.areas : whole.counties) ?? [];
      const pages = Math.ceil(lists.reduce((n, l) => n + l.municipalities.length, 0) / MUNICIPALITIES_PER_PAGE);
      if (!variables.byArea) expect(pages, query).toBeGreaterThan(1);
      expect(operations, query).toBeGreaterThanOrEqual(pages);
    }
  });

  it("takes lists as repeated or comma-separated parameters", async () => {
    const repeated = await csv("exports/partnership-groups-by-municipality.csv?countyCodes=14&countyCodes=08");
    const comma = await csv("exports/partnership-groups-by-municipality.csv?countyCodes=14,08");
    expect(comma.rows).toEqual(repeated.rows);
    expect(new Set(repeated.rows.map((r) => r.county_code))).toEqual(new Set(["08", "14"]));
  });

  it("pages through a paged view (representation) and gives every group of the API's answer", async () => {
    const paged = await csv("exports/representation.csv?countyCode=14&activeOn=2024-03-01&first=2");
    const data = await view("representation", { countyCode: "14", activeOn: "2024-03-01" });
    const groups = data.cooperationGroups.edges.map((e) => e.node);
    expect(data.cooperationGroups.totalCount).toBeGreaterThan(2);
    const expected = groups.flatMap((g) =>
      (g.seats.length === 0 ? [null] : g.seats).map((s) => [g.id, s?.id ?? "", String(g.seatOccupancy?.vacantMemberPlaces ?? ""), String(s?.occupancy?.filledMemberPlaces ?? "")]),
    );
    expect(paged.rows.map((r) => [r.group_id, r.seat_id, r.group_vacant_member_places, r.seat_filled_member_places])).toEqual(expected);
  });

  it("exports the meeting calendar, nomination status and plan follow-up as the API answers them", async () => {
    const meetings = await csv("exports/meeting-calendar.csv?countyCode=08&from=2023-12-01&to=2024-12-31");
    const calendar = await view("meeting-calendar", { countyCode: "08", from: "2023-12-01", to: "2024-12-31" });
    expect(meetings.rows.map((r) => [r.meeting_id, r.starts_at, r.group_name])).toEqual(calendar.meetings.map((m) => [m.id, m.startsAt, m.group.name]));

    const nominations = await csv("exports/nomination-status.csv?countyCode=14&closedSince=2023-11-01");
    const rounds = (await view("nomination-status", { countyCode: "14", closedSince: "2023-11-01" })).nominationRounds;
    const nominators = rounds.flatMap((r) => r.nominators.map((n) => `${r.id}/${n.id}`));
    expect([...new Set(nominations.rows.map((r) => `${r.round_id}/${r.nominator_id}`))]).toEqual(nominators);

    const plan = await csv("exports/plan-follow-up.csv?countyCode=14");
    const cells = (await view("plan-follow-up", { countyCode: "14" })).county!.measureFollowUp!;
    expect(plan.rows.length).toBe(cells.reduce((sum, c) => sum + Math.max(1, c.measures.length), 0));
  });
});


describe("open-data bundle", () => {
  it("is a valid Frictionless data package of every view and the alerts whose SHA-256 sums match, without personal data", async () => {
    // A membership ending in 200 days: an alert within the bundle's year ahead, past the alerts' default 60 days.
    const endsOn = new Date(Date.parse(`${helsinkiToday()}T00:00:00Z`) + 200 * 86_400_000).toISOString().slice(0, 10);
    const ending = await stack.query<Data>(
      `mutation($input: RecordMembershipInput!) { recordMembership(input: $input) { id } }`,
      { input: { groupId: GroupKeys.pkPohjoinen, personId, organisationId: OrganisationKeys.siunSote, role: "MEMBER", startsOn: "2024-01-01", endsOn } },
      writer,
    );
    expect(ending.errors).toBeUndefined();
    const res = await get("exports/open-data.zip", reader);
    expect(res.status).toBe(200);
    expect(res.type).toBe("application/zip");
    const entries = await unzip(res.body);
    const byName = new Map(entries.map((e) => [e.name, e.content]));
    const descriptor = JSON.parse(byName.get("datapackage.json")!.toString("utf8"));
    const validation = await validateDataPackage(descriptor);
    expect(validation.errors.map((e) => e.message)).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(descriptor.licenses.map((l: Data) => l.name)).toEqual(["CC-BY-4.0"]);
    expect(descriptor.sources.length).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(descriptor.created))).toBe(false);
    expect(descriptor.resources.map((r: Data) => r.name)).toEqual([...VIEW_NAMES, "alerts"]);

    const sums = new Map(
      byName.get("SHA256SUMS")!.toString("utf8").trim().split("\n").map((line) => {
        const [hash, path] = line.split(/\s+/);
        return [path!, hash!] as const;
      }),
    );
    const counties = (await stack.query<Data>("{ counties { code } }")).data.counties.map((c: Data) => c.code);
    // Nothing from a field tagged personal (docs/PERSONAL-DATA.md): no person's id or name anywhere in the bytes.
    const people = await serviceSql<{ id: string; name: string }>(stack, "organisations", `select id, name from person`);
    expect(people.length).toBeGreaterThan(0);
    for (const resource of descriptor.resources) {
      const text = byName.get(resource.path)!.toString("utf8");
      const dictionary = resource.name === "alerts" ? ALERT_COLUMNS : VIEW_EXPORTS[resource.name as ViewName].columns;
      const personalColumns = dictionary.filter((c) => c.personal || c.contact).map((c) => c.name);
      expect(resource.schema.fields.map((f: Data) => f.name).filter((n: string) => personalColumns.includes(n) || n.startsWith("person_"))).toEqual([]);
      for (const person of people) {
        expect(text, `${resource.name}: ${person.id}`).not.toContain(JSON.stringify(person.id).slice(1, -1));
        expect(text, `${resource.name}: a person's name`).not.toContain(person.name);
      }
    }
    for (const resource of descriptor.resources) {
      const content = byName.get(resource.path);
      expect(content, resource.path).toBeDefined();
      const sha256 = createHash("sha256").update(content!).digest("hex");
      expect(resource.hash).toBe(`sha256:${sha256}`);
      expect(sums.get(resource.path)).toBe(sha256);
      expect(resource.bytes).toBe(content!.length);
      const text = content!.toString("utf8");
      expect(text).not.toContain("@");
      const header = parseCsv(text, { to_line: 1 })[0];
      expect(header).toEqual(resource.schema.fields.map((f: Data) => f.name));
      expect(header).not.toContain("person_email");
      const rows = parseCsv(text, { columns: true }) as Record<string, string>[];
      if (resource.name === "coverage-matrix") {
        // Every county is in the bundle.
        expect(new Set(rows.map((r) => r.county_code))).toEqual(new Set(counties));
        const pk = await csv("exports/coverage-matrix.csv?countyCode=14");
        expect(rows.filter((r) => r.county_code === "14")).toEqual(pk.rows);
      }
      if (resource.name === "alerts") {
        // Described like the views' tables: the alerts export's column dictionary, in its order.
        expect(resource.description).toMatch(/alert/);
        expect(resource.schema.fields).toEqual(ALERT_COLUMNS.map((c) => ({ name: c.name, type: c.type, description: c.description })));
        // The alerts export's rows, county by county, as of the bundle's day (its `created`, in Helsinki) for the coming year.
        const today = helsinkiToday(new Date(descriptor.created));
        const expected: Record<string, string>[] = [];
        for (const code of counties) {
          expected.push(...(await csv(`exports/alerts.csv?countyCode=${code}&activeOn=${today}&withinDays=366`)).rows);
        }
        // Rows to compare, of more than one county, the membership ending in 200 days among them.
        expect(new Set(expected.map((r) => r.county_code)).size).toBeGreaterThan(1);
        expect(expected.filter((r) => r.subject_id === ending.data.recordMembership.id).map((r) => [r.kind, r.day])).toEqual([["membership_ending", endsOn]]);
        expect(rows).toEqual(expected);
      }
    }
    // A broken descriptor fails the same validator.
    const broken = await validateDataPackage({ ...descriptor, resources: [{ ...descriptor.resources[0], schema: { fields: [{ name: "x", type: "colour" }] } }] });
    expect(broken.valid).toBe(false);
  });
});

describe("calendar feeds", () => {
  function events(text: string) {
    const calendar = new ICAL.Component(ICAL.parse(text));
    for (const tz of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
    return { calendar, events: calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v)) };
  }

  it("gives a county's meetings as iCalendar, with Pirkanmaa's organising meeting at 14:00 Helsinki time", async () => {
    const res = await get("calendar/county/08.ics");
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/calendar/);
    const { calendar, events: feed } = events(res.body.toString("utf8"));
    expect(calendar.getAllSubcomponents("vtimezone").map((tz) => tz.getFirstPropertyValue("tzid"))).toEqual(["Europe/Helsinki"]);
    const api = (await stack.query<Data>(`{ meetings(countyCode: "08") { id kind startsAt location group { name } } }`)).data.meetings;
    expect(feed.map((e) => e.uid)).toEqual(api.map((m: Data) => `${m.id}@yhdyspinta`));
    const organising = api.find((m: Data) => m.kind === "ORGANISING");
    const event = feed.find((e) => e.uid === `${organising.id}@yhdyspinta`)!;
    expect(event.startDate.zone?.tzid).toBe("Europe/Helsinki");
    expect(event.startDate.toString()).toBe("2023-12-19T14:00:00");
    expect(event.startDate.toJSDate().toISOString()).toBe("2023-12-19T12:00:00.000Z");
    expect(event.summary).toBe(`${organising.group.name}: Järjestäytymiskokous`);
    expect(event.location ?? null).toBe(organising.location);
    expect(String(event.component.getFirstPropertyValue("url"))).toMatch(/\/dashboard\/\?county=08#meeting-/);
    // UIDs stay the same between fetches.
    const again = events((await get("calendar/county/08.ics")).body.toString("utf8")).events;
    expect(again.map((e) => e.uid)).toEqual(feed.map((e) => e.uid));
  });

  it("gives a group's meetings, and 404 for an unknown county or group", async () => {
    const api = (await stack.query<Data>(`{ meetings(countyCode: "08") { id group { id name } } }`)).data.meetings;
    const groupId = api[0].group.id;
    const res = await get(`calendar/group/${groupId}.ics`);
    expect(res.status).toBe(200);
    const { events: feed } = events(res.body.toString("utf8"));
    expect(feed.map((e) => e.uid)).toEqual(api.filter((m: Data) => m.group.id === groupId).map((m: Data) => `${m.id}@yhdyspinta`));

    for (const path of ["calendar/county/99.ics", "calendar/county/abc.ics", "calendar/group/no-such-group.ics"]) {
      const missing = await get(path);
      expect(missing.status, path).toBe(404);
      expect(JSON.parse(missing.body.toString()).error).toMatch(/No (county|cooperation group)/);
    }
  });
});

const root = fileURLToPath(new URL("..", import.meta.url));

/** A gateway that records the paths it is asked and answers each with a 503: for checks that the CLI refuses before any request. */
async function recordingGateway(): Promise<{ base: string; asked: string[]; close: () => Promise<void> }> {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? "");
    res.writeHead(503, { "content-type": "application/json" }).end('{"error":"not this gateway"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    asked,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** `pnpm export …` against `gatewayUrl`: its exit code, standard output and standard error. */
function runCli(gatewayUrl: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("pnpm", ["--silent", "export", ...args], { cwd: root, env: { ...process.env, GATEWAY_URL: gatewayUrl } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Reads a whole response body; rejects when the transfer breaks off. */
async function readAll(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

describe("pnpm export alerts", () => {
  // One run, to a file: the request's query (--format, --excel, --known-at) is checked in-process
  // (gateway/test/export-cli-args.test.ts), and the run with --known-at below writes to stdout.
  it("writes to --out the bytes GET /exports/alerts.csv gives for the same variables", { timeout: 120_000 }, async () => {
    const variables = { countyCode: "14", activeOn: helsinkiToday(), withinDays: 366 };
    const query = new URLSearchParams(Object.entries(variables).map(([k, v]) => [k, String(v)])).toString();
    const http = await get(`exports/alerts.csv?${query}`);
    expect(http.status, http.body.toString()).toBe(200);
    // Rows to compare: more than the header line.
    expect(parseCsv(http.body, { columns: true }).length).toBeGreaterThan(0);
    const dir = await mkdtemp(join(tmpdir(), "export-alerts-"));
    try {
      const out = join(dir, "alerts.csv");
      const cli = await runCli(stack.gatewayUrl, ["alerts", "--vars", JSON.stringify(variables), "--out", out]);
      expect(cli.code, cli.stderr).toBe(0);
      expect((await readFile(out)).equals(http.body)).toBe(true);
      expect(existsSync(`${out}.part`)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // Each refusal's message is checked in-process (gateway/test/export-cli-args.test.ts); here, the command's exit code
  // and that it asks nothing. Spelt right, the same command is run at the same time and does ask this gateway.
  it("refuses a misspelt variable with exit 2 naming it, before any request", { timeout: 120_000 }, async () => {
    const { base, asked, close } = await recordingGateway();
    try {
      const [refused, right] = await Promise.all([
        runCli(base, ["alerts", "--vars", '{"countycode":"14"}']),
        runCli(base, ["alerts", "--vars", '{"countyCode":"14"}']),
      ]);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain('Unknown parameter "countycode"');
      expect(asked).toEqual(["/exports/alerts.csv?countyCode=14"]);
      // The error status exits 2 too, printed as its message, not as the gateway's JSON.
      expect(right.code, right.stderr).toBe(2);
      expect(right.stderr.trim()).toBe("The gateway answered 503 Service Unavailable: not this gateway");
    } finally {
      await close();
    }
  });
});

describe("pnpm export --known-at", () => {
  it("writes with --known-at the bytes GET /exports/…?knownAt= gives", { timeout: 120_000 }, async () => {
    const knownAt = new Date(Date.now() - 1000).toISOString();
    const variables = { countyCode: "14", activeOn: helsinkiToday(), withinDays: 366 };
    const query = new URLSearchParams({ ...Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])), knownAt }).toString();
    const http = await get(`exports/alerts.csv?${query}`);
    expect(http.status, http.body.toString()).toBe(200);
    const cli = await runCli(stack.gatewayUrl, ["alerts", "--vars", JSON.stringify(variables), "--known-at", knownAt]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toBe(http.body.toString("utf8"));
  });
});

describe("an export that fails after its first rows", () => {
  it("cuts the open-data ZIP off after its 200 when a subgraph stops answering during the bundle; the CLI exits 1 and writes no file", { timeout: 180_000 }, async () => {
    const planning = stack.pids()["planning"]!;
    const dir = await mkdtemp(join(tmpdir(), "export-fail-"));
    const out = join(dir, "bundle.zip");
    process.kill(planning, "SIGSTOP");
    // The CLI asks for the bundle at the same time as the fetch below: both wait out the stopped subgraph together.
    const cliRun = runCli(stack.gatewayUrl, ["open-data", "--out", out]);
    try {
      const res = await fetch(url("exports/open-data.zip"));
      expect(res.status).toBe(200);
      await expect(readAll(res)).rejects.toThrow();
      // The gateway's log says which view failed (the transfer itself cannot).
      const logged = await stack
        .waitForLog((line) => line.includes("response cut off"))
        .catch(() => stack.logLines().filter((l) => l.startsWith("[gateway]")).slice(-5).join("\n"));
      expect(logged).toContain("response cut off");
      // Themes come from planning, so the first view already fails, after the ZIP's 200 went out.
      expect(logged).toMatch(/open-data\.zip: [a-z-]+ of (every county|county \d\d): The GraphQL API could not answer/);

      const cli = await cliRun;
      expect(cli.code, cli.stderr).toBe(1);
      expect(cli.stderr).toContain("incomplete");
      expect(existsSync(out)).toBe(false);
      expect(existsSync(`${out}.part`)).toBe(false);
    } finally {
      // The CLI has exited (with the subgraph still stopped) before the subgraph goes on.
      await cliRun;
      process.kill(planning, "SIGCONT");
      await rm(dir, { recursive: true, force: true });
    }
    // Back: the same bundle is whole again.
    const again = await get("exports/open-data.zip");
    expect(again.status).toBe(200);
    expect((await unzip(again.body)).map((e) => e.name)).toContain("datapackage.json");
  });

  describe("a CSV or JSON export whose later page fails", () => {
    // The export routes in front of a GraphQL endpoint that forwards to the stack's gateway
    // and answers some requests as the gateway does when a subgraph has died. Which requests
    // fail is decided by their content, not their arrival order: the export asks two pages at
    // once, and either may arrive first.
    let server: Server;
    let base: string;
    let requests = 0;
    /** The code of the first municipality of the last outline answer: the first page's `m0`. */
    let firstPage: string | undefined;
    /**
     * "once": the first page request fails once; "later pages": every page request but the first page's fails;
     * "alerts": every request of the alerts export's operation fails (the views' do not);
     * "alerts part": the alerts export's operation is answered with its data and the error the gateway
     * adds when a subgraph fails for one field (the closing rounds' nominator municipalities).
     */
    let failing: "none" | "once" | "later pages" | "alerts" | "alerts part" = "none";
    /** Whether an alerts export's transfer breaks off after its 200 and part of its body. */
    let breakAlertsTransfer = false;
    let failedOnce = false;
    let alertsFailed = 0;
    const firstMunicipality = (data: unknown): string | undefined => {
      if (Array.isArray(data)) {
        for (const item of data) {
          const code = firstMunicipality(item);
          if (code) return code;
        }
      } else if (data && typeof data === "object") {
        for (const [key, value] of Object.entries(data)) {
          if (key === "municipalities" && Array.isArray(value) && value.length > 0) return String((value[0] as { code: string }).code);
          const code = firstMunicipality(value);
          if (code) return code;
        }
      }
      return undefined;
    };
    beforeAll(async () => {
      // Asked again at once: the gateway's waits between attempts (1 s, 3 s) would only slow these failures down.
      const exports = exportRoutes({ verify: async () => anonymousViewer, retryDelaysMs: [0, 0] })["/exports/*"]!;
      server = createServer((req, res) => {
        if (breakAlertsTransfer && req.url?.startsWith("/exports/alerts.")) {
          // The stack gateway's answer, cut off after its 200 and half its bytes, without the terminating chunk.
          void fetch(url(req.url.slice(1))).then(async (upstream) => {
            const answer = Buffer.from(await upstream.arrayBuffer());
            res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "text/csv" });
            res.write(answer.subarray(0, Math.floor(answer.length / 2)), () => res.destroy());
          }, () => res.destroy());
          return;
        }
        if (req.url?.startsWith("/exports/")) return void exports(req, res);
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          requests += 1;
          const body = Buffer.concat(chunks);
          const { query, variables } = JSON.parse(body.toString("utf8")) as { query: string; variables: Record<string, unknown> };
          const page = typeof variables.m0 === "string" ? variables.m0 : undefined;
          let fail = false;
          if (page !== undefined && failing === "once" && !failedOnce) fail = failedOnce = true;
          if (page !== undefined && failing === "later pages") fail = page !== firstPage;
          if (failing === "alerts" && /query AlertsExport\b/.test(query)) {
            fail = true;
            alertsFailed += 1;
          }
          if (fail) {
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify({ data: null, errors: [{ message: "groups service is unavailable", extensions: { code: "SUBGRAPH_UNAVAILABLE", serviceName: "groups" } }] }));
            return;
          }
          void fetch(url("graphql"), { method: "POST", headers: { "content-type": "application/json" }, body }).then(async (upstream) => {
            let answer = Buffer.from(await upstream.arrayBuffer());
            if (failing === "alerts part" && /query AlertsExport\b/.test(query)) {
              alertsFailed += 1;
              const partial = JSON.parse(answer.toString("utf8")) as { data: unknown; errors?: unknown[] };
              const error = (i: number) => ({
                message: "The organisations service is unavailable",
                path: ["groupAlerts", "closingRounds", i, "pendingNominators", 0, "municipality"],
                extensions: { code: "SUBGRAPH_UNAVAILABLE", serviceName: "organisations" },
              });
              answer = Buffer.from(JSON.stringify({ ...partial, errors: [error(0), error(1)] }));
            }
            if (/query \w+Outline\b/.test(query)) firstPage = firstMunicipality((JSON.parse(answer.toString("utf8")) as { data: unknown }).data);
            res.writeHead(upstream.status, { "content-type": "application/json" });
            res.end(answer);
          });
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
    });

    it("is cut off after its 200, so that no client takes it for complete, and the CLI exits 1 and writes no file", { timeout: 120_000 }, async () => {
      const path = "exports/partnership-groups-by-municipality.csv?countyCodes=14,08";
      // Whole: the outline and then more than two pages.
      requests = 0;
      failing = "none";
      const whole = await fetch(new URL(path, base));
      expect(whole.status).toBe(200);
      const complete = (await readAll(whole)).toString("utf8");
      expect(requests).toBeGreaterThan(3);
      expect(firstPage).toMatch(/^\d{3}$/);
      // A page whose subgraph did not answer once is asked again: the export is whole.
      failing = "once";
      failedOnce = false;
      const retried = await fetch(new URL(path, base));
      expect(retried.status).toBe(200);
      expect((await readAll(retried)).toString("utf8")).toBe(complete);
      expect(failedOnce).toBe(true);
      // From the second page on, the groups subgraph is gone (each page is asked three
      // times): the first page's rows are out already.
      failing = "later pages";
      for (const format of ["csv", "json"]) {
        const res = await fetch(new URL(path.replace(".csv", `.${format}`), base));
        expect(res.status, format).toBe(200);
        await expect(readAll(res), format).rejects.toThrow();
      }
      const dir = await mkdtemp(join(tmpdir(), "export-fail-"));
      try {
        const out = join(dir, "groups.csv");
        const cli = await runCli(base, ["partnership-groups-by-municipality", "--vars", '{"countyCodes":["14","08"]}', "--out", out]);
        expect(cli.code, cli.stderr).toBe(1);
        expect(cli.stderr).toContain("incomplete");
        expect(existsSync(out)).toBe(false);
        expect(existsSync(`${out}.part`)).toBe(false);
      } finally {
        failing = "none";
        await rm(dir, { recursive: true, force: true });
      }
    });

    it("cuts the open-data ZIP off when only the alerts fail, after every view was written", { timeout: 120_000 }, async () => {
      failing = "alerts";
      try {
        requests = 0;
        alertsFailed = 0;
        const res = await fetch(new URL("exports/open-data.zip", base));
        expect(res.status).toBe(200);
        await expect(readAll(res)).rejects.toThrow();
        // The views were read (many requests) before the alerts of the first county failed, asked again and failed.
        expect(alertsFailed).toBeGreaterThan(0);
        expect(requests - alertsFailed).toBeGreaterThan(VIEW_NAMES.length);
      } finally {
        failing = "none";
      }
      const whole = await fetch(new URL("exports/open-data.zip", base));
      expect(whole.status).toBe(200);
      expect((await unzip(await readAll(whole))).map((e) => e.name)).toEqual(expect.arrayContaining(["data/alerts.csv", "datapackage.json"]));
    });

    it("answers the alerts export, one request, with a 502 naming the failed field and subgraph; the CLI exits 2 with it and writes no file", { timeout: 120_000 }, async () => {
      const dir = await mkdtemp(join(tmpdir(), "export-fail-"));
      failing = "alerts part";
      try {
        for (const format of ["csv", "json"]) {
          alertsFailed = 0;
          const res = await fetch(new URL(`exports/alerts.${format}?countyCode=14&withinDays=366`, base));
          const body = await res.text();
          expect(res.status, body).toBe(502);
          expect(res.headers.get("content-type")).toMatch(/^application\/json/);
          expect(JSON.parse(body)).toEqual({
            error:
              "The GraphQL API could not answer groupAlerts.closingRounds.pendingNominators.municipality " +
              "(organisations service, SUBGRAPH_UNAVAILABLE): The organisations service is unavailable",
          });
          // A subgraph that did not answer is asked again before the export gives up.
          expect(alertsFailed, format).toBe(3);
        }
        const out = join(dir, "alerts.csv");
        const cli = await runCli(base, ["alerts", "--vars", '{"countyCode":"14","withinDays":366}', "--out", out]);
        expect(cli.code, cli.stderr).toBe(2);
        // The status and the error's message, readable: not the gateway's JSON.
        expect(cli.stderr.trim()).toBe(
          "The gateway answered 502 Bad Gateway: The GraphQL API could not answer groupAlerts.closingRounds.pendingNominators.municipality " +
            "(organisations service, SUBGRAPH_UNAVAILABLE): The organisations service is unavailable",
        );
        expect(existsSync(out)).toBe(false);
        expect(existsSync(`${out}.part`)).toBe(false);
      } finally {
        failing = "none";
        await rm(dir, { recursive: true, force: true });
      }
    });

    it("makes `pnpm export alerts` exit 1 and write no file when the alerts export's transfer breaks off", { timeout: 120_000 }, async () => {
      const vars = JSON.stringify({ countyCode: "14", withinDays: 366 });
      const dir = await mkdtemp(join(tmpdir(), "export-fail-"));
      try {
        const out = join(dir, "alerts.csv");
        breakAlertsTransfer = true;
        try {
          const cli = await runCli(base, ["alerts", "--vars", vars, "--out", out]);
          expect(cli.code, cli.stderr).toBe(1);
          expect(cli.stderr).toContain("incomplete");
        } finally {
          breakAlertsTransfer = false;
        }
        expect(existsSync(out)).toBe(false);
        expect(existsSync(`${out}.part`)).toBe(false);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
