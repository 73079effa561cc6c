import { createServer } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { helsinkiToday, mintUserToken } from "@yhdyspinta/core";
import { bearer, serviceSql, startTestStack, type TestStack } from "./support.ts";

// The reminder outbox through the gateway, with the job e-mailing through a
// local SMTP server this test starts: first down (rows stay and are retried),
// then up (each reminder delivered once). County 05 has recipients, 06 none.

const RECIPIENTS = ["koordinaattori.05@example.invalid", "varalla.05@example.invalid"];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

interface Received {
  to: string[];
  subject: string;
  reminderId: string;
}

let stack: TestStack;
let port: number;
let smtp: SMTPServer | null = null;
let admin: Record<string, string>;
let coordinator05: Record<string, string>;
let coordinator06: Record<string, string>;
const received: Received[] = [];
const waiters: { count: number; resolve: () => void }[] = [];

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A header's MIME encoded words (RFC 2047, `Q` as nodemailer writes them) as text. */
function decodeWords(header: string): string {
  return header
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?UTF-8\?Q\?(.*?)\?=/gi, (_, text: string) => {
      const bytes: number[] = [];
      for (let i = 0; i < text.length; i++) {
        if (text[i] === "=") {
          bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
          i += 2;
        } else bytes.push(text[i] === "_" ? 32 : text.charCodeAt(i));
      }
      return Buffer.from(bytes).toString("utf8");
    });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port: free } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return free;
}

/** Resolves once `count` messages have been received. */
function messages(count: number): Promise<void> {
  if (received.length >= count) return Promise.resolve();
  return new Promise((resolve) => waiters.push({ count, resolve }));
}

async function startSmtp(): Promise<void> {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      let text = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => (text += chunk));
      stream.on("end", () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address).sort(),
          subject: decodeWords(/^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(text)?.[1]?.replace(/\r\n[ \t]/g, " ") ?? ""),
          reminderId: /^X-Yhdyspinta-Reminder: (.*)$/m.exec(text)?.[1]?.trim() ?? "",
        });
        for (const w of waiters.filter((w) => received.length >= w.count)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp!.listen(port, "127.0.0.1", resolve));
}

const sql = (query: string, params: unknown[] = []) => serviceSql(stack, "groups", query, params);

async function vacantSeat(county: string, id: string, label: string): Promise<void> {
  await sql(`insert into cooperation_group (id, county_code, name, kind) values ($1, $2, $3, 'partnership_group') on conflict do nothing`, [
    `rem-group-${county}`, county, `Muistutusryhmä ${county}`,
  ]);
  await sql(`insert into group_seat (id, group_id, ordinal, constituency, label, max_members) values ($1, $2, 1, 'sector', $3, 1)`, [id, `rem-group-${county}`, label]);
}

const LIST = `query($countyCode: ID, $handled: Boolean) { groupReminders(countyCode: $countyCode, handled: $handled) {
  totalCount edges { node { id countyCode kind subjectId groupId dueOn summary sentAt attempts lastError handledAt handledBy handledNote } } } }`;

async function list(headers: Record<string, string>, variables: Record<string, unknown> = {}): Promise<Data[]> {
  const res = await stack.query<Data>(LIST, variables, headers);
  expect(res.errors).toBeUndefined();
  return res.data.groupReminders.edges.map((e: Data) => e.node);
}

beforeAll(async () => {
  port = await freePort();
  stack = await startTestStack("reminders", {
    env: {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      SMTP_FROM: "yhdyspinta <muistutukset@yhdyspinta.invalid>",
      SMTP_TIMEOUT_MS: "5000",
      REMINDER_RECIPIENTS: `05:${RECIPIENTS.join(";")}`,
      REMINDER_INTERVAL_MS: "300",
      REMINDER_BACKOFF_MS: "200",
      REMINDER_BACKOFF_MAX_MS: "400",
      REMINDER_WITHIN_DAYS: "30",
    },
  });
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "rem-admin", scope: "data:write", role: "admin" }));
  coordinator05 = bearer(await mintUserToken(stack.authSecret, { sub: "rem-coord-05", scope: "data:write", role: "coordinator", counties: ["05"] }));
  coordinator06 = bearer(await mintUserToken(stack.authSecret, { sub: "rem-coord-06", scope: "data:write", role: "coordinator", counties: ["06"] }));
});

afterAll(async () => {
  await stack?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

describe("reminder outbox", () => {
  let first: Data[] = [];

  it("keeps the reminders while SMTP is down and retries them", async () => {
    await vacantSeat("05", "rem-seat-05-a", "Liikunta");
    const closesOn = addDays(helsinkiToday(), 5);
    await sql(`insert into nomination_round (id, county_code, name, kind, closes_on) values ('rem-round-05', '05', 'Muistutushaku 05', 'open_call', $1)`, [closesOn]);
    await sql(`insert into nominator (id, round_id, kind, category_id, ordinal) values ('rem-nominator-05', 'rem-round-05', 'organisation_category', 'cat-x', 1)`);
    // Two failed attempts of a row: it stays, and the job comes back to it.
    const failed = (n: number) => (line: string) => line.includes("reminder delivery failed") && line.includes(`"attempts":${n}`);
    await stack.waitForLog(failed(2), 120_000);
    first = await list(coordinator05, { countyCode: "05" });
    expect(first.map((r) => [r.kind, r.subjectId, r.sentAt])).toEqual([
      ["VACANT_SEAT", "rem-seat-05-a", null],
      ["ROUND_CLOSING", "rem-round-05", null],
    ]);
    expect(first[1].dueOn).toBe(closesOn);
    expect(first[1].summary).toBe(`Muistutushaku 05: closes on ${closesOn}; 1 nominator has not answered`);
    expect(first[0].summary).toBe(`Muistutusryhmä 05: seat "Liikunta" has 1 vacant member place on ${helsinkiToday()}`);
    expect(first.some((r) => r.attempts >= 1 && r.lastError)).toBe(true);
    expect(received).toHaveLength(0);
  });

  it("sends each reminder once when SMTP is back, to the county's recipients", async () => {
    await startSmtp();
    await messages(2);
    for (const r of first) await stack.waitForLog((line) => line.includes("reminder sent") && line.includes(r.id), 60_000);
    expect(received.map((m) => m.reminderId).sort()).toEqual(first.map((r) => r.id).sort());
    for (const m of received) expect(m.to).toEqual([...RECIPIENTS].sort());
    expect(received.map((m) => m.subject).sort()).toEqual(first.map((r) => `[yhdyspinta] ${r.summary}`).sort());
    const after = await list(coordinator05, { countyCode: "05" });
    for (const r of after) {
      expect(r.sentAt).not.toBeNull();
      expect(r.lastError).toBeNull();
    }
    // A later alert is generated and sent; none of the sent ones again (the job sends the oldest first).
    await vacantSeat("05", "rem-seat-05-b", "Kulttuuri");
    await messages(3);
    const ids = received.map((m) => m.reminderId);
    expect(new Set(ids).size).toBe(3);
    const third = (await list(coordinator05, { countyCode: "05" })).find((r) => r.subjectId === "rem-seat-05-b");
    expect(third?.id).toBe(ids[2]);
    await stack.waitForLog((line) => line.includes("reminder sent") && line.includes(third.id), 60_000);
    expect(received).toHaveLength(3);
  });

  it("never logs an e-mail address", () => {
    const lines = stack.logLines();
    expect(lines.some((l) => l.includes("reminder delivery failed"))).toBe(true);
    expect(lines.filter((l) => /@example\.invalid|muistutukset@/.test(l))).toEqual([]);
  });

  it("lets a coordinator generate a county's reminders once, even in parallel; a county without recipients only keeps them", async () => {
    await vacantSeat("06", "rem-seat-06-a", "Nuoriso");
    const GENERATE = `mutation($countyCode: ID!) { generateReminders(countyCode: $countyCode) { id kind subjectId } }`;
    const runs = await Promise.all(Array.from({ length: 5 }, () => stack.query<Data>(GENERATE, { countyCode: "06" }, coordinator06)));
    for (const run of runs) expect(run.errors).toBeUndefined();
    const created = runs.flatMap((run) => run.data.generateReminders);
    expect(created.map((r: Data) => [r.kind, r.subjectId])).toEqual([["VACANT_SEAT", "rem-seat-06-a"]]);
    const forbidden = await stack.query(GENERATE, { countyCode: "06" }, coordinator05);
    expect(forbidden.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    expect(forbidden.errors?.[0]?.extensions?.["county"]).toBe("06");
    const kept = await list(coordinator06);
    expect(kept.map((r) => [r.subjectId, r.sentAt, r.attempts])).toEqual([["rem-seat-06-a", null, 0]]);
  });

  it("reads reminders by county scope", async () => {
    const other = await stack.query(LIST, { countyCode: "05" }, coordinator06);
    expect(other.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    expect(other.errors?.[0]?.extensions?.["county"]).toBe("05");
    const anonymous = await stack.query(LIST, {});
    expect(anonymous.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    const all = await list(admin);
    expect(new Set(all.map((r) => r.countyCode))).toEqual(new Set(["05", "06"]));
    expect((await list(coordinator05)).every((r) => r.countyCode === "05")).toBe(true);
  });

  it("marks a reminder handled once, by a coordinator of its county, audited", async () => {
    const [target] = await list(coordinator05, { countyCode: "05" });
    const MARK = `mutation($id: ID!, $note: String) { markReminderHandled(id: $id, note: $note) { id handledAt handledBy handledNote } }`;
    const forbidden = await stack.query(MARK, { id: target.id }, coordinator06);
    expect(forbidden.errors?.[0]?.extensions?.["code"]).toBe("FORBIDDEN");
    expect(forbidden.errors?.[0]?.extensions?.["county"]).toBe("05");
    const tooLong = await stack.query(MARK, { id: target.id, note: "x".repeat(2001) }, coordinator05);
    expect(tooLong.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(tooLong.errors?.[0]?.extensions?.["field"]).toBe("note");
    const done = await stack.query<Data>(MARK, { id: target.id, note: "Paikka täytetty" }, coordinator05);
    expect(done.errors).toBeUndefined();
    expect(done.data.markReminderHandled).toMatchObject({ id: target.id, handledBy: "rem-coord-05", handledNote: "Paikka täytetty" });
    const again = await stack.query(MARK, { id: target.id }, coordinator05);
    expect(again.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(again.errors?.[0]?.extensions?.["field"]).toBe("id");
    expect((await list(coordinator05, { countyCode: "05", handled: true })).map((r) => r.id)).toEqual([target.id]);
    expect((await list(coordinator05, { countyCode: "05", handled: false })).map((r) => r.id)).not.toContain(target.id);
  });
});
