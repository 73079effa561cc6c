import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { mintUserToken, serviceDatabaseUrl } from "@yhdyspinta/core";
import { bearer, serviceSql, startTestStack, type TestStack } from "./support.ts";

// The bulk import works in chunks (packages/core/src/bulk-import.ts): a few
// set-based reads, one flush and batched link writes per chunk of rows, not
// per row. Counted in SQL statements of the organisations subgraph: a file
// ten times longer costs about as many statements per chunk, far fewer than
// one per row (the regression guard of issue 28; the speed itself is
// measured by bench/src/import-bench.ts, not timed here).

let stack: TestStack;
let coordinator14: Record<string, string>;
let coordinator06: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack("import-efficiency");
  coordinator14 = bearer(await mintUserToken(stack.authSecret, { sub: "importer-eff", scope: "data:write", role: "coordinator", counties: ["14"] }));
  coordinator06 = bearer(await mintUserToken(stack.authSecret, { sub: "importer-eff-06", scope: "data:write", role: "coordinator", counties: ["06"] }));
});

afterAll(async () => {
  await stack?.stop();
});

const CHUNK = 500;

function organisationsCsv(prefix: string, count: number): string {
  const lines = ["Nimi;Tyyppi;Hyvinvointialue;Kunnat;Verkkosivu"];
  for (let i = 0; i < count; i++) lines.push(`${prefix} ${i};association;14;${i % 2 ? "167" : "Ilomantsi"};https://${prefix.replace(/\W+/g, "-")}-${i}.example.org`);
  return `${lines.join("\r\n")}\r\n`;
}

function peopleCsv(prefix: string, organisation: string, count: number): string {
  const lines = ["Nimi;Organisaatio;Sähköposti;Tehtävänimike"];
  for (let i = 0; i < count; i++) lines.push(`${prefix} Henkilö ${i};${organisation};${prefix}-${i}@example.org;Jäsen`);
  return `${lines.join("\r\n")}\r\n`;
}

/** Statements the subgraph owning the kind (the organisations subgraph unless told) sent for one import of `csv`. */
async function statementsOf(kind: string, csv: string, apply: boolean, subgraph = "organisations", headers = coordinator14): Promise<{ statements: number; counts: Record<string, number> }> {
  const url = new URL(`import/${kind}`, stack.gatewayUrl);
  url.searchParams.set("file", `${kind}.csv`);
  if (apply) url.searchParams.set("apply", "true");
  await stack.resetStats();
  const res = await fetch(url, { method: "POST", headers: { "content-type": "text/csv", ...headers }, body: csv });
  const body = (await res.json()) as { counts: Record<string, number> };
  expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(200);
  return { statements: (await stack.stats())[subgraph]!.statements, counts: body.counts };
}

/** A valid Finnish business ID from `n` on (check digit). */
function businessId(n: number): string {
  for (let k = n; ; k++) {
    const digits = String(k % 10_000_000).padStart(7, "0");
    const r = [7, 9, 10, 5, 8, 4, 2].reduce((s, w, i) => s + w * Number(digits[i]), 0) % 11;
    if (r !== 1) return `${digits}-${r === 0 ? 0 : 11 - r}`;
  }
}

/** Memberships: row i is person `i mod people` (by e-mail) in group `first + i div people`, a member from 2025-01-01. */
function membershipsCsv(run: string, organisation: string, people: number, first: number, count: number): string {
  const lines = ["Hyvinvointialue;Ryhmä;Henkilö;Sähköposti;Organisaatio;Rooli;Alkaa"];
  for (let i = 0; i < count; i++) lines.push(`14;Jäsenryhmä ${run} ${first + Math.floor(i / people)};${run}-${i % people} Henkilö;${run}-${i % people}@example.org;${organisation};member;2025-01-01`);
  return `${lines.join("\r\n")}\r\n`;
}

/** Meetings: row i is group `first + i div perGroup`'s meeting on day `i mod perGroup` after 2025-01-01, 13:00–15:00 Helsinki time. */
function meetingsCsv(run: string, perGroup: number, first: number, count: number): string {
  const lines = ["Hyvinvointialue;Ryhmä;Alkaa;Päättyy;Tyyppi;Paikka"];
  for (let i = 0; i < count; i++) {
    const day = new Date(Date.UTC(2025, 0, 1 + (i % perGroup))).toISOString().slice(0, 10);
    lines.push(`14;Kokousryhmä ${run} ${first + Math.floor(i / perGroup)};${day} 13:00;${day} 15:00;regular;Joensuu`);
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** Seats: row i is seat `Paikka i mod perGroup` of municipality 167 in group `first + i div perGroup`, taking `max` members. */
function seatsCsv(run: string, perGroup: number, first: number, count: number, max = 1): string {
  const lines = ["Hyvinvointialue;Ryhmä;Paikka;Valitsijataho;Kunta;Jäseniä enintään;Varajäseniä"];
  for (let i = 0; i < count; i++) lines.push(`14;Paikkaryhmä ${run} ${first + Math.floor(i / perGroup)};Paikka ${i % perGroup};municipality;167;${max};1`);
  return `${lines.join("\r\n")}\r\n`;
}

/** Groups: row i is `Ryhmä i` of county 14 covering `municipalities`. */
function groupsCsv(run: string, count: number, municipalities = "167"): string {
  const lines = ["Hyvinvointialue;Nimi;Tyyppi;Kunnat;Alkaa"];
  for (let i = 0; i < count; i++) lines.push(`14;Ryhmä ${run} ${i};partnership_group;${municipalities};2025-01-01`);
  return `${lines.join("\r\n")}\r\n`;
}

describe("bulk import cost in SQL statements", () => {
  it("grows with the chunks of a file of organisations, not with its rows (created, then unchanged)", async () => {
    const small = 50;
    const large = 2 * CHUNK + 100; // three chunks
    const run = randomBytes(3).toString("hex");
    const createdSmall = await statementsOf("organisations", organisationsCsv(`Tehokkuus ${run} a`, small), true);
    const createdLarge = await statementsOf("organisations", organisationsCsv(`Tehokkuus ${run} b`, large), true);
    expect(createdSmall.counts["created"]).toBe(small);
    expect(createdLarge.counts["created"]).toBe(large);
    // Three chunks cost at most three times one chunk (a row-at-a-time import sends several statements per row).
    expect(createdLarge.statements).toBeLessThanOrEqual(3 * createdSmall.statements);
    expect(createdLarge.statements).toBeLessThan(large / 10);
    const unchanged = await statementsOf("organisations", organisationsCsv(`Tehokkuus ${run} b`, large), false);
    expect(unchanged.counts["unchanged"]).toBe(large);
    expect(unchanged.statements).toBeLessThan(large / 20);
  });

  it("grows with the chunks of a file of people, not with its rows (created, then unchanged)", async () => {
    const run = randomBytes(3).toString("hex");
    const organisation = `Henkilötehokkuus ${run}`;
    await statementsOf("organisations", organisationsCsv(organisation, 1), true);
    const small = 50;
    const large = 2 * CHUNK + 100;
    const createdSmall = await statementsOf("people", peopleCsv(`${run}a`, `${organisation} 0`, small), true);
    const createdLarge = await statementsOf("people", peopleCsv(`${run}b`, `${organisation} 0`, large), true);
    expect(createdSmall.counts["created"]).toBe(small);
    expect(createdLarge.counts["created"]).toBe(large);
    expect(createdLarge.statements).toBeLessThanOrEqual(3 * createdSmall.statements);
    expect(createdLarge.statements).toBeLessThan(large / 10);
    const unchanged = await statementsOf("people", peopleCsv(`${run}b`, `${organisation} 0`, large), false);
    expect(unchanged.counts["unchanged"]).toBe(large);
    expect(unchanged.statements).toBeLessThan(large / 20);
  });

  it("finds what earlier rows of the same chunk created: an organisation named twice, a person by e-mail", async () => {
    const run = randomBytes(3).toString("hex");
    const name = `Samassa erässä ${run}`;
    const organisations = [
      "Nimi;Tyyppi;Hyvinvointialue;Kunnat;Verkkosivu",
      `${name};association;14;167;https://a-${run}.example.org`,
      `${name};association;14;167;https://a-${run}.example.org`,
      `${name};association;14;Ilomantsi;https://b-${run}.example.org`,
    ].join("\r\n");
    const first = await statementsOf("organisations", organisations, true);
    expect(first.counts).toMatchObject({ created: 1, unchanged: 1, updated: 1, refused: 0 });
    const people = [
      "Nimi;Organisaatio;Sähköposti;Tehtävänimike",
      `Eka ${run};${name};eka-${run}@example.org;Jäsen`,
      `Eka ${run};${name};EKA-${run}@example.org;Puheenjohtaja`,
    ].join("\r\n");
    const second = await statementsOf("people", people, true);
    expect(second.counts).toMatchObject({ created: 1, updated: 1, refused: 0 });
    // Again (a dry run): each row against the one before it, as row-at-a-time imports compare, the stored records being the last rows'.
    expect((await statementsOf("organisations", organisations, false)).counts).toMatchObject({ created: 0, updated: 2, unchanged: 1 });
    expect((await statementsOf("people", people, false)).counts).toMatchObject({ created: 0, updated: 2 });
  });

  it("grows with the chunks of a file of memberships, not with its rows (created, then unchanged)", { timeout: 300_000 }, async () => {
    const run = randomBytes(3).toString("hex");
    const organisation = `Jäsentehokkuus ${run}`;
    const people = 50;
    const small = 50;
    const large = 2 * CHUNK + 100;
    await statementsOf("organisations", organisationsCsv(organisation, 1), true);
    await statementsOf("people", peopleCsv(run, `${organisation} 0`, people), true);
    const groups = Array.from({ length: 1 + large / people }, (_, g) => `14;Jäsenryhmä ${run} ${g};partnership_group`);
    expect((await statementsOf("groups", `Hyvinvointialue;Nimi;Tyyppi\r\n${groups.join("\r\n")}\r\n`, true, "groups")).counts["created"]).toBe(groups.length);
    const createdSmall = await statementsOf("memberships", membershipsCsv(run, `${organisation} 0`, people, 0, small), true, "groups");
    const createdLarge = await statementsOf("memberships", membershipsCsv(run, `${organisation} 0`, people, 1, large), true, "groups");
    expect(createdSmall.counts["created"]).toBe(small);
    expect(createdLarge.counts["created"]).toBe(large);
    // Row at a time, a membership cost a dozen statements; in chunks, three chunks cost at most three times one.
    expect(createdLarge.statements).toBeLessThanOrEqual(3 * createdSmall.statements);
    expect(createdLarge.statements).toBeLessThan(large / 10);
    const unchanged = await statementsOf("memberships", membershipsCsv(run, `${organisation} 0`, people, 1, large), false, "groups");
    expect(unchanged.counts["unchanged"]).toBe(large);
    expect(unchanged.statements).toBeLessThan(large / 20);
  });

  it("names the row of a chunk whose organisation the reference check refuses, and counts a seat's holders created earlier in the file", async () => {
    const run = randomBytes(3).toString("hex");
    const id06 = businessId(3_000_000 + Math.floor(Math.random() * 1_000_000));
    await statementsOf("organisations", `Nimi;Tyyppi;Y-tunnus;Hyvinvointialue\r\nToinen alue ${run};association;${id06};06\r\n`, true, "organisations", coordinator06);
    await statementsOf("organisations", organisationsCsv(`Viittaus ${run}`, 1), true);
    await statementsOf("people", peopleCsv(run, `Viittaus ${run} 0`, 3), true);
    await statementsOf("groups", `Hyvinvointialue;Nimi;Tyyppi\r\n14;Viittausryhmä ${run};partnership_group\r\n`, true, "groups");
    await statementsOf("seats", `County;Group;Seat;Constituency;Municipality;Max members;Deputies\r\n14;Viittausryhmä ${run};Joensuu;municipality;167;1;1\r\n`, true, "groups");
    const row = (i: number, organisation: string, seat = "") => `14;Viittausryhmä ${run};${run} Henkilö ${i};${run}-${i}@example.org;${organisation};${seat};member;2025-01-01`;
    const csv = ["Hyvinvointialue;Ryhmä;Henkilö;Sähköposti;Organisaatio;Paikka;Rooli;Alkaa", row(0, `Viittaus ${run} 0`, "Joensuu"), row(1, id06), row(2, `Viittaus ${run} 0`, "Joensuu")].join("\r\n");
    const res = await fetch(new URL(`import/memberships?file=viittaus.csv`, stack.gatewayUrl), { method: "POST", headers: { "content-type": "text/csv", ...coordinator14 }, body: csv });
    const body = (await res.json()) as { counts: Record<string, number>; rows: { row: number; status: string; problems?: { column: string; rule: string; code: string }[] }[] };
    expect(res.status).toBe(403);
    expect(body.counts).toEqual({ created: 1, updated: 0, unchanged: 0, refused: 2 });
    expect(body.rows[0]!.status).toBe("created");
    expect(body.rows[1]!.problems).toEqual([expect.objectContaining({ code: "FORBIDDEN", rule: expect.stringContaining("county 06") })]);
    expect(body.rows[2]!.problems).toEqual([{ column: "seat", rule: "seat Joensuu already has 1 of 1 members", code: "BAD_USER_INPUT" }]);
  });

  it("grows with the chunks of a file of meetings, not with its rows (created, then unchanged)", { timeout: 300_000 }, async () => {
    const run = randomBytes(3).toString("hex");
    const perGroup = 100;
    const small = 50;
    const large = 2 * CHUNK + 100;
    const groups = Array.from({ length: 1 + large / perGroup }, (_, g) => `14;Kokousryhmä ${run} ${g};partnership_group`);
    expect((await statementsOf("groups", `Hyvinvointialue;Nimi;Tyyppi\r\n${groups.join("\r\n")}\r\n`, true, "groups")).counts["created"]).toBe(groups.length);
    const createdSmall = await statementsOf("meetings", meetingsCsv(run, perGroup, 0, small), true, "groups");
    const createdLarge = await statementsOf("meetings", meetingsCsv(run, perGroup, 1, large), true, "groups");
    expect(createdSmall.counts["created"]).toBe(small);
    expect(createdLarge.counts["created"]).toBe(large);
    // Row at a time, a meeting cost several statements (group, lock, meeting lookups, flush, provenance); in chunks, three chunks cost at most three times one.
    expect(createdLarge.statements).toBeLessThanOrEqual(3 * createdSmall.statements);
    expect(createdLarge.statements).toBeLessThan(large / 10);
    const unchanged = await statementsOf("meetings", meetingsCsv(run, perGroup, 1, large), false, "groups");
    expect(unchanged.counts["unchanged"]).toBe(large);
    expect(unchanged.statements).toBeLessThan(large / 20);
  });

  it("finds the meetings earlier rows of the same chunk scheduled: a repeated row is unchanged, a differing one refused", async () => {
    const run = randomBytes(3).toString("hex");
    await statementsOf("groups", `Hyvinvointialue;Nimi;Tyyppi\r\n14;Kokousryhmä ${run} 0;partnership_group\r\n`, true, "groups");
    const row = (start: string, location: string) => `14;Kokousryhmä ${run} 0;${start};;regular;${location}`;
    const csv = ["Hyvinvointialue;Ryhmä;Alkaa;Päättyy;Tyyppi;Paikka", row("2025-02-03 10:00", "Joensuu"), row("2025-02-03T08:00:00Z", "Joensuu"), row("2025-02-03 10:00", "Outokumpu"), row("2025-02-04 10:00", "Joensuu")].join("\r\n");
    const res = await fetch(new URL("import/meetings?file=kokoukset.csv", stack.gatewayUrl), { method: "POST", headers: { "content-type": "text/csv", ...coordinator14 }, body: csv });
    const body = (await res.json()) as { counts: Record<string, number>; rows: { row: number; status: string; problems?: { column: string; rule: string; code: string }[] }[] };
    expect(res.status).toBe(422);
    expect(body.counts).toEqual({ created: 2, updated: 0, unchanged: 1, refused: 1 });
    expect(body.rows.map((r) => r.status)).toEqual(["created", "unchanged", "refused", "created"]);
    expect(body.rows[2]!.problems).toEqual([{ column: "location", rule: "a scheduled meeting is not changed by an import; the file must repeat what is recorded", code: "BAD_USER_INPUT" }]);
  });

  it("grows with the chunks of a file of seats, not with its rows (created, updated, then unchanged)", { timeout: 300_000 }, async () => {
    const run = randomBytes(3).toString("hex");
    const perGroup = 100;
    const small = 50;
    const large = 2 * CHUNK + 100;
    const groups = Array.from({ length: 1 + large / perGroup }, (_, g) => `14;Paikkaryhmä ${run} ${g};partnership_group`);
    expect((await statementsOf("groups", `Hyvinvointialue;Nimi;Tyyppi\r\n${groups.join("\r\n")}\r\n`, true, "groups")).counts["created"]).toBe(groups.length);
    const createdSmall = await statementsOf("seats", seatsCsv(run, perGroup, 0, small), true, "groups");
    const createdLarge = await statementsOf("seats", seatsCsv(run, perGroup, 1, large), true, "groups");
    expect(createdSmall.counts["created"]).toBe(small);
    expect(createdLarge.counts["created"]).toBe(large);
    // Row at a time, a seat cost several statements and a reference check; in chunks, three chunks cost at most three times one.
    expect(createdLarge.statements).toBeLessThanOrEqual(3 * createdSmall.statements);
    expect(createdLarge.statements).toBeLessThan(large / 10);
    const updated = await statementsOf("seats", seatsCsv(run, perGroup, 1, large, 2), true, "groups");
    expect(updated.counts["updated"]).toBe(large);
    expect(updated.statements).toBeLessThanOrEqual(3 * createdSmall.statements);
    const unchanged = await statementsOf("seats", seatsCsv(run, perGroup, 1, large, 2), false, "groups");
    expect(unchanged.counts["unchanged"]).toBe(large);
    expect(unchanged.statements).toBeLessThan(large / 20);
  });

  it("finds the seats earlier rows of the same chunk created, and checks new limits against the seat's holders", async () => {
    const run = randomBytes(3).toString("hex");
    await statementsOf("organisations", organisationsCsv(`Paikkaviite ${run}`, 1), true);
    await statementsOf("people", peopleCsv(run, `Paikkaviite ${run} 0`, 2), true);
    await statementsOf("groups", `Hyvinvointialue;Nimi;Tyyppi\r\n14;Paikkaryhmä ${run};partnership_group\r\n`, true, "groups");
    const seat = (label: string, max: number, deputies = 1) => `14;Paikkaryhmä ${run};${label};municipality;167;${max};${deputies}`;
    const header = "Hyvinvointialue;Ryhmä;Paikka;Valitsijataho;Kunta;Jäseniä enintään;Varajäseniä";
    const first = await statementsOf("seats", [header, seat("Joensuu", 2), seat("Joensuu", 2), seat("Ilomantsi", 1), seat("Joensuu", 3)].join("\r\n"), true, "groups");
    expect(first.counts).toEqual({ created: 2, updated: 1, unchanged: 1, refused: 0 });
    const members = ["Hyvinvointialue;Ryhmä;Henkilö;Sähköposti;Organisaatio;Paikka;Rooli;Alkaa", ...[0, 1].map((i) => `14;Paikkaryhmä ${run};${run} Henkilö ${i};${run}-${i}@example.org;Paikkaviite ${run} 0;Joensuu;member;2025-01-01`)];
    expect((await statementsOf("memberships", members.join("\r\n"), true, "groups")).counts["created"]).toBe(2);
    const res = await fetch(new URL("import/seats?file=paikat.csv", stack.gatewayUrl), { method: "POST", headers: { "content-type": "text/csv", ...coordinator14 }, body: [header, seat("Ilomantsi", 2), seat("Joensuu", 1), seat("Uusi", 1)].join("\r\n") });
    const body = (await res.json()) as { counts: Record<string, number>; rows: { status: string; problems?: { column: string; rule: string; code: string }[] }[] };
    expect(res.status).toBe(422);
    expect(body.counts).toEqual({ created: 1, updated: 1, unchanged: 0, refused: 1 });
    expect(body.rows[1]!.problems).toEqual([{ column: "maxMembers", rule: "seat Joensuu is held by 2 members today or later; the maximum must be at least 2", code: "BAD_USER_INPUT" }]);
  });

  it("grows with the chunks of a file of groups, not with its rows (created, updated, then unchanged)", { timeout: 300_000 }, async () => {
    const run = randomBytes(3).toString("hex");
    // One full chunk against three: a group's flush writes its municipality links and the audit rows of both,
    // so a full chunk takes more of the ORM's insert batches (300 rows each) than 50 rows do.
    const small = CHUNK;
    const large = 2 * CHUNK + 100;
    const createdSmall = await statementsOf("groups", groupsCsv(`${run}a`, small), true, "groups");
    const createdLarge = await statementsOf("groups", groupsCsv(`${run}b`, large), true, "groups");
    expect(createdSmall.counts["created"]).toBe(small);
    expect(createdLarge.counts["created"]).toBe(large);
    // Row at a time, a group cost several statements and a reference check; in chunks, three chunks cost at most three times one.
    expect(createdLarge.statements).toBeLessThanOrEqual(3 * createdSmall.statements);
    expect(createdLarge.statements).toBeLessThan(large / 10);
    const updatedSmall = await statementsOf("groups", groupsCsv(`${run}a`, small, `"167;146"`), true, "groups");
    const updated = await statementsOf("groups", groupsCsv(`${run}b`, large, `"167;146"`), true, "groups");
    expect(updatedSmall.counts["updated"]).toBe(small);
    expect(updated.counts["updated"]).toBe(large);
    expect(updated.statements).toBeLessThanOrEqual(3 * updatedSmall.statements);
    const unchanged = await statementsOf("groups", groupsCsv(`${run}b`, large, `"167;146"`), false, "groups");
    expect(unchanged.counts["unchanged"]).toBe(large);
    expect(unchanged.statements).toBeLessThan(large / 20);
  });

  it("finds the groups earlier rows of the same chunk created or changed, their municipalities as the last row left them", async () => {
    const run = randomBytes(3).toString("hex");
    const row = (name: string, municipalities: string, kind = "partnership_group") => `14;${name};${kind};${municipalities};2025-01-01`;
    const header = "Hyvinvointialue;Nimi;Tyyppi;Kunnat;Alkaa";
    const csv = [header, row(`Ketju ${run}`, "167"), row(`KETJU ${run}`, "167"), row(`Ketju ${run}`, "146"), row(`Ketju ${run}`, `"167;146"`), row(`Ketju ${run}`, "167", "no_such_kind")].join("\r\n");
    const res = await fetch(new URL("import/groups?file=ryhmat.csv", stack.gatewayUrl), { method: "POST", headers: { "content-type": "text/csv", ...coordinator14 }, body: csv });
    const body = (await res.json()) as { counts: Record<string, number>; rows: { status: string; changes?: { field: string; before: unknown; after: unknown }[]; problems?: { column: string }[] }[] };
    expect(res.status, JSON.stringify(body)).toBe(422);
    expect(body.rows.map((r) => r.status)).toEqual(["created", "unchanged", "updated", "updated", "refused"]);
    expect(body.rows[2]!.changes).toEqual([{ field: "municipalities", before: ["167"], after: ["146"] }]);
    expect(body.rows[3]!.changes).toEqual([{ field: "municipalities", before: ["146"], after: ["146", "167"] }]);
    expect(body.rows[4]!.problems).toEqual([expect.objectContaining({ column: "kind" })]);
    // Applied without the refused row: the links as the last row left them (167 removed, then added back in the same chunk).
    const applied = await statementsOf("groups", csv.split("\r\n").slice(0, 5).join("\r\n"), true, "groups");
    expect(applied.counts).toEqual({ created: 1, updated: 2, unchanged: 1, refused: 0 });
    const again = await statementsOf("groups", [header, row(`Ketju ${run}`, `"146;167"`)].join("\r\n"), false, "groups");
    expect(again.counts["unchanged"]).toBe(1);
  });
});

/** Municipalities of county 14 a nominations round asks in the tests below. */
const NOMINATORS = ["146", "167", "176", "260", "276", "309", "422", "426", "541", "607", "848"];

/** Nominations: row i nominates person `i mod people` (by e-mail) by nominator `i div people` of round `round`. */
function nominationsCsv(run: string, round: string, organisation: string, people: number, count: number, status = "submitted"): string {
  const lines = ["Hyvinvointialue;Nimeämiskierros;Nimeäjä;Henkilö;Sähköposti;Organisaatio;Saapunut;Tila"];
  for (let i = 0; i < count; i++) lines.push(`14;${round};${NOMINATORS[Math.floor(i / people)]};${run}-${i % people} Henkilö;${run}-${i % people}@example.org;${organisation};2025-06-01;${status}`);
  return `${lines.join("\r\n")}\r\n`;
}

describe("bulk import cost in SQL statements: nominations", () => {
  it("grows with the chunks of a file of nominations, not with its rows (created, decided, then unchanged)", { timeout: 300_000 }, async () => {
    const run = randomBytes(3).toString("hex");
    const organisation = `Nimeäjä ${run}`;
    const people = 100;
    // One full chunk against three, as for groups: a nomination's flush writes its status history and the audit rows
    // of both, so a full chunk takes more of the ORM's insert batches (300 rows each) than 50 rows do.
    const small = CHUNK;
    const large = 2 * CHUNK + 100;
    await statementsOf("organisations", organisationsCsv(organisation, 1), true);
    await statementsOf("people", peopleCsv(run, `${organisation} 0`, people), true);
    await statementsOf("groups", `Hyvinvointialue;Nimi;Tyyppi\r\n14;Nimeämisryhmä ${run};partnership_group\r\n`, true, "groups");
    const [group] = await serviceSql<{ id: string }>(stack, "groups", "select id from cooperation_group where name = $1", [`Nimeämisryhmä ${run}`]);
    for (const name of [`Pieni kierros ${run}`, `Suuri kierros ${run}`]) {
      const res = await fetch(new URL("graphql", stack.gatewayUrl), {
        method: "POST",
        headers: { "content-type": "application/json", ...coordinator14 },
        body: JSON.stringify({
          query: "mutation($input: OpenNominationRoundInput!) { openNominationRound(input: $input) { id } }",
          variables: { input: { countyCode: "14", name, kind: "NOMINATION_REQUEST", opensOn: "2025-01-01", closesOn: "2099-12-31", groupIds: [group!.id], nominators: NOMINATORS.map((municipalityCode) => ({ municipalityCode })) } },
        }),
      });
      expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
    }
    const createdSmall = await statementsOf("nominations", nominationsCsv(run, `Pieni kierros ${run}`, `${organisation} 0`, people, small), true, "groups");
    const createdLarge = await statementsOf("nominations", nominationsCsv(run, `Suuri kierros ${run}`, `${organisation} 0`, people, large), true, "groups");
    expect(createdSmall.counts["created"]).toBe(small);
    expect(createdLarge.counts["created"]).toBe(large);
    // Row at a time, a nomination cost a dozen statements and a reference check; in chunks, three chunks cost at most three times one.
    expect(createdLarge.statements).toBeLessThanOrEqual(3 * createdSmall.statements);
    expect(createdLarge.statements).toBeLessThan(large / 10);
    const decided = await statementsOf("nominations", nominationsCsv(run, `Suuri kierros ${run}`, `${organisation} 0`, people, large, "accepted"), true, "groups");
    expect(decided.counts["updated"]).toBe(large);
    expect(decided.statements).toBeLessThan(large / 10);
    const unchanged = await statementsOf("nominations", nominationsCsv(run, `Suuri kierros ${run}`, `${organisation} 0`, people, large, "accepted"), false, "groups");
    expect(unchanged.counts["unchanged"]).toBe(large);
    expect(unchanged.statements).toBeLessThan(large / 20);
  });

  it("counts what earlier rows of the same chunk submitted, accepted and withdrew against the round's maximum", async () => {
    const run = randomBytes(3).toString("hex");
    const organisation = `Enimmäisnimeäjä ${run}`;
    await statementsOf("organisations", organisationsCsv(organisation, 1), true);
    await statementsOf("people", peopleCsv(run, `${organisation} 0`, 3), true);
    await statementsOf("groups", `Hyvinvointialue;Nimi;Tyyppi\r\n14;Enimmäisryhmä ${run};partnership_group\r\n`, true, "groups");
    const [group] = await serviceSql<{ id: string }>(stack, "groups", "select id from cooperation_group where name = $1", [`Enimmäisryhmä ${run}`]);
    const round = `Yhden kierros ${run}`;
    const res = await fetch(new URL("graphql", stack.gatewayUrl), {
      method: "POST",
      headers: { "content-type": "application/json", ...coordinator14 },
      body: JSON.stringify({
        query: "mutation($input: OpenNominationRoundInput!) { openNominationRound(input: $input) { id } }",
        variables: { input: { countyCode: "14", name: round, kind: "NOMINATION_REQUEST", opensOn: "2025-01-01", closesOn: "2099-12-31", groupIds: [group!.id], maxPerNominator: 1, nominators: [{ municipalityCode: "167" }] } },
      }),
    });
    expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
    const row = (person: number, status: string) => `14;${round};167;${run}-${person} Henkilö;${run}-${person}@example.org;${organisation} 0;2025-06-01;${status}`;
    const header = "Hyvinvointialue;Nimeämiskierros;Nimeäjä;Henkilö;Sähköposti;Organisaatio;Saapunut;Tila";
    const csv = [header, row(0, "submitted"), row(0, "submitted"), row(0, "accepted"), row(1, "submitted"), row(0, "withdrawn"), row(2, "submitted")].join("\r\n");
    const imported = await fetch(new URL("import/nominations?file=enimmaiset.csv", stack.gatewayUrl), { method: "POST", headers: { "content-type": "text/csv", ...coordinator14 }, body: csv });
    const body = (await imported.json()) as { rows: { status: string; changes?: { field: string; before: unknown; after: unknown }[]; problems?: { column: string; rule: string }[] }[] };
    expect(imported.status).toBe(422);
    expect(body.rows.map((r) => r.status)).toEqual(["created", "unchanged", "updated", "refused", "updated", "created"]);
    expect(body.rows[3]!.problems).toEqual([expect.objectContaining({ column: "person", rule: expect.stringContaining("already named 1 of 1 members") })]);
    expect(body.rows[4]!.changes).toEqual([{ field: "status", before: "accepted", after: "withdrawn" }]);
  });
});

/** Resolves with the first session of the organisations database `match`es in pg_locks (polled, no sleeps); rejects after a minute. */
async function sessionWaiting(what: string, query: string): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const rows = await serviceSql<{ pid: number }>(stack, "organisations", query);
    if (rows[0]) return rows[0].pid;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`no session ${what}`);
}

describe("a chunk the database refuses", () => {
  it("is redone row by row: a row whose business ID another transaction committed meanwhile matches that organisation", { timeout: 300_000 }, async () => {
    const run = randomBytes(3).toString("hex");
    const taken = businessId(6_000_000 + Math.floor(Math.random() * 1_000_000));
    const name = `Kilpaileva ${run}`;
    // createOrganisation inserts its organisation and then its municipality links: holding the links' table, the
    // mutation waits with its organisation inserted and not committed, as a concurrent writer is between its statements.
    const holder = new pg.Client({ connectionString: serviceDatabaseUrl("organisations", { DATABASE_URL: stack.databaseUrl })! });
    await holder.connect();
    await holder.query("begin");
    await holder.query("lock table organisation_municipality in exclusive mode");
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await holder.query("rollback");
      await holder.end();
    };
    try {
      const mutation = fetch(new URL("graphql", stack.gatewayUrl), {
        method: "POST",
        headers: { "content-type": "application/json", ...coordinator14 },
        body: JSON.stringify({
          query: "mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }",
          variables: { input: { name, kind: "ASSOCIATION", businessId: taken, countyCode: "14", municipalityCodes: ["167"] } },
        }),
      });
      const writer = await sessionWaiting(
        "of createOrganisation waiting for organisation_municipality",
        `select w.pid from pg_locks w join pg_locks o on o.pid = w.pid and o.locktype = 'relation' and o.relation = 'organisation'::regclass and o.mode = 'RowExclusiveLock' and o.granted
          where w.locktype = 'relation' and w.relation = 'organisation_municipality'::regclass and not w.granted`,
      );
      // The import reads before the mutation commits (no such business ID yet): its chunk's insert waits on the mutation's row.
      const csv = ["Nimi;Tyyppi;Y-tunnus;Hyvinvointialue;Kunnat;Verkkosivu", `${name};association;${taken};14;167;https://kilpaileva-${run}.example.org`, ...[0, 1, 2].map((i) => `Rinnakkainen ${run} ${i};association;;14;167;`)].join("\r\n");
      const url = new URL("import/organisations?file=kilpailu.csv&apply=true", stack.gatewayUrl);
      const imported = fetch(url, { method: "POST", headers: { "content-type": "text/csv", ...coordinator14 }, body: csv });
      await sessionWaiting(
        "of the import waiting on the mutation's transaction",
        `select i.pid from pg_locks i join pg_locks t on t.pid = i.pid and t.locktype = 'transactionid' and not t.granted
          where i.locktype = 'advisory' and i.granted and i.pid <> ${writer}`,
      );
      await release();
      const created = (await (await mutation).json()) as { data?: { createOrganisation: { id: string } }; errors?: unknown };
      expect(created.errors).toBeUndefined();
      const id = created.data!.createOrganisation.id;
      const res = await imported;
      const body = (await res.json()) as { applied: boolean; counts: Record<string, number>; rows: { row: number; status: string; id?: string; changes?: { field: string }[] }[] };
      expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(200);
      expect(body.applied).toBe(true);
      // The unique violation rolled the chunk back; row by row, the first row finds the committed organisation and changes its website.
      expect(body.counts).toEqual({ created: 3, updated: 1, unchanged: 0, refused: 0 });
      expect(body.rows[0]).toMatchObject({ row: 2, status: "updated", id, changes: [{ field: "website" }] });
      expect(await serviceSql(stack, "organisations", "select id from organisation where business_id = $1", [taken])).toEqual([{ id }]);
      expect(await serviceSql(stack, "organisations", "select id from organisation where name like $1", [`Rinnakkainen ${run} %`])).toHaveLength(3);
    } finally {
      await release();
    }
  });
});
