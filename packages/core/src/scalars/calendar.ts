/**
 * The calendar of the whole API, in one place: which days and instants exist
 * and are supported, and how an instant reads in Europe/Helsinki. Every date
 * and time scalar (Date, DateTime, Instant), every field that computes with
 * days and every message a person reads goes through these functions.
 */

export const HELSINKI = "Europe/Helsinki";

/**
 * The supported days: four-digit years, 1000-01-01 through 9999-12-31. A day
 * outside has no ISO 8601 text without an expanded year (±YYYYYY), which
 * neither PostgreSQL's text output, `Date.toISOString` nor the API's own
 * `YYYY-MM-DD` form writes the same way; and JavaScript's `Date.UTC` reads
 * years 0–99 as 1900–1999. Inputs outside are refused up front with this
 * range named; every day inside works in every field and export.
 */
export const FIRST_SUPPORTED_DAY = "1000-01-01";
export const LAST_SUPPORTED_DAY = "9999-12-31";
export const SUPPORTED_DAYS = `${FIRST_SUPPORTED_DAY} … ${LAST_SUPPORTED_DAY}`;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds since the epoch of UTC midnight starting a proleptic Gregorian day (any year, also 0–99). */
function utcMidnight(y: number, m: number, d: number): number {
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y, m - 1, d);
  return date.getTime();
}

/** Whether `YYYY-MM-DD` names a day that exists (no 30 February, no month 13), in any four-digit year. */
export function isCalendarDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(utcMidnight(y, m, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * What is wrong with a day given as text, as a rule a caller can act on; null
 * for a real day in the supported range. The Date scalar and the exports'
 * query parameters answer with it.
 */
export function dateProblem(text: string): string | null {
  if (!DATE_PATTERN.test(text)) return "must be a calendar date YYYY-MM-DD";
  if (!isCalendarDate(text)) return "is not a real calendar date";
  if (text < FIRST_SUPPORTED_DAY) return `must lie in the supported range ${SUPPORTED_DAYS}`;
  return null;
}

const parts = new Intl.DateTimeFormat("en-GB", {
  timeZone: HELSINKI,
  era: "short",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

interface HelsinkiParts {
  y: string;
  mo: string;
  d: string;
  h: string;
  mi: string;
  s: string;
  /** Offset from UTC in minutes. */
  offset: number;
  /** Offset from UTC in milliseconds, to the second (local mean time before 1921 was +1:39:49). */
  offsetMs: number;
}

/** Wall-clock fields of an instant in Helsinki and the offset from UTC in minutes. */
function helsinkiParts(instant: Date): HelsinkiParts {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value])) as Record<string, string>;
  const year = p["era"] === "BC" || p["era"] === "B" ? 1 - Number(p["year"]) : Number(p["year"]);
  const wall = utcMidnight(year, Number(p["month"]), Number(p["day"])) + ((Number(p["hour"]) * 60 + Number(p["minute"])) * 60 + Number(p["second"])) * 1000;
  const offsetMs = wall - Math.floor(instant.getTime() / 1000) * 1000;
  const offset = Math.round(offsetMs / 60_000);
  return { y: String(year).padStart(4, "0"), mo: p["month"]!, d: p["day"]!, h: p["hour"]!, mi: p["minute"]!, s: p["second"]!, offset, offsetMs };
}

function offsetText(offset: number): string {
  const abs = Math.abs(offset);
  return `${offset >= 0 ? "+" : "-"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** `2023-12-19T14:00:00+02:00` through `Intl` (about 10 µs and several objects per call). */
export function formatHelsinkiIntl(instant: Date): string {
  const { y, mo, d, h, mi, s, offset } = helsinkiParts(instant);
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${offsetText(offset)}`;
}

const HOUR_MS = 3_600_000;
/**
 * Helsinki's offset in minutes per UTC hour (hours since the epoch); null for
 * an hour in which it changes or that is not a whole number of hours (local mean time before 1921).
 */
const hourOffsets = new Map<number, number | null>();

function hourOffset(hour: number): number | null {
  let offset = hourOffsets.get(hour);
  if (offset === undefined) {
    const first = helsinkiParts(new Date(hour * HOUR_MS)).offset;
    const last = helsinkiParts(new Date(hour * HOUR_MS + HOUR_MS - 1000)).offset;
    offset = first === last && first % 60 === 0 ? first : null;
    if (hourOffsets.size >= 100_000) hourOffsets.clear();
    hourOffsets.set(hour, offset);
  }
  return offset;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * `2023-12-19T14:00:00+02:00`: the instant as Helsinki wall-clock time with
 * its offset (EET/EEST), to the second. The one way the API writes a time a
 * person reads: DateTime values and times named in error messages.
 * A view's answer formats thousands of instants: the offset is looked up once
 * per UTC hour through `Intl` and the wall clock computed from it, the same
 * text as `formatHelsinkiIntl` (which serves any hour whose offset changes
 * within it, and years outside 1000–9999).
 */
export function formatHelsinki(instant: Date): string {
  const ms = instant.getTime();
  const offset = hourOffset(Math.floor(ms / HOUR_MS));
  if (offset === null) return formatHelsinkiIntl(instant);
  const wall = new Date(Math.floor(ms / 1000) * 1000 + offset * 60_000);
  const year = wall.getUTCFullYear();
  if (year < 1000 || year > 9999) return formatHelsinkiIntl(instant);
  return `${year}-${pad2(wall.getUTCMonth() + 1)}-${pad2(wall.getUTCDate())}T${pad2(wall.getUTCHours())}:${pad2(wall.getUTCMinutes())}:${pad2(wall.getUTCSeconds())}${offsetText(offset)}`;
}

/**
 * The Helsinki calendar day of an instant, `YYYY-MM-DD`. Resolvers ask it per
 * row (today's day, for every group of an answer): the offset is looked up once
 * per UTC hour as in `formatHelsinki`; `helsinkiDateIntl` serves the rest.
 */
export function helsinkiDate(instant: Date): string {
  const ms = instant.getTime();
  const offset = hourOffset(Math.floor(ms / HOUR_MS));
  if (offset === null) return helsinkiDateIntl(instant);
  const wall = new Date(ms + offset * 60_000);
  const year = wall.getUTCFullYear();
  if (year < 1000 || year > 9999) return helsinkiDateIntl(instant);
  return `${year}-${pad2(wall.getUTCMonth() + 1)}-${pad2(wall.getUTCDate())}`;
}

/** `helsinkiDate` through `Intl`, for any instant. */
export function helsinkiDateIntl(instant: Date): string {
  const { y, mo, d } = helsinkiParts(instant);
  return `${y}-${mo}-${d}`;
}

/** The instant at which the Helsinki day starting at UTC midnight `utcMs` begins. */
function helsinkiStartOf(utcMs: number): Date {
  // Helsinki is UTC+2 or +3 (+1:39:49 before 1921); the offset at local midnight is what the day starts with.
  const { offsetMs } = helsinkiParts(new Date(utcMs - 2 * HOUR_MS));
  return new Date(utcMs - offsetMs);
}

function dayParts(date: string): [number, number, number] {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`not a day YYYY-MM-DD: ${JSON.stringify(date)}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** The instant at which a Helsinki calendar day (`YYYY-MM-DD`) begins. */
export function helsinkiDayStart(date: string): Date {
  const [y, m, d] = dayParts(date);
  return helsinkiStartOf(utcMidnight(y, m, d));
}

/**
 * The instant at which a Helsinki calendar day ends (the next day begins),
 * the exclusive end of an inclusive `to`; also for 9999-12-31, whose next
 * day has no four-digit year.
 */
export function helsinkiDayEnd(date: string): Date {
  const [y, m, d] = dayParts(date);
  return helsinkiStartOf(utcMidnight(y, m, d) + 24 * HOUR_MS);
}

/** Today's date in Helsinki, `YYYY-MM-DD`. */
export function helsinkiToday(now = new Date()): string {
  return helsinkiDate(now);
}
