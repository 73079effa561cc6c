import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { isCalendarDate } from "@yhdyspinta/core";

export const HELSINKI = "Europe/Helsinki";

const parts = new Intl.DateTimeFormat("en-GB", {
  timeZone: HELSINKI,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** Wall-clock fields of an instant in Helsinki and the offset from UTC in minutes. */
function helsinkiParts(instant: Date): { y: string; mo: string; d: string; h: string; mi: string; s: string; offset: number } {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value])) as Record<string, string>;
  const wall = Date.UTC(Number(p["year"]), Number(p["month"]) - 1, Number(p["day"]), Number(p["hour"]), Number(p["minute"]), Number(p["second"]));
  const offset = Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  return { y: p["year"]!, mo: p["month"]!, d: p["day"]!, h: p["hour"]!, mi: p["minute"]!, s: p["second"]!, offset };
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
 * `2023-12-19T14:00:00+02:00`: the instant as Helsinki wall-clock time with its offset (EET/EEST).
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

/** The instant at which a Helsinki calendar day (`YYYY-MM-DD`) begins. */
export function helsinkiDayStart(date: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  // Helsinki is UTC+2 or +3; the offset at local midnight is what the day starts with.
  let guess = new Date(utcMidnight - 2 * 3_600_000);
  const { offset } = helsinkiParts(guess);
  guess = new Date(utcMidnight - offset * 60_000);
  return guess;
}

/** The Helsinki calendar day after `date`. */
export function nextDay(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Today's date in Helsinki, `YYYY-MM-DD`. */
export function helsinkiToday(now = new Date()): string {
  const { y, mo, d } = helsinkiParts(now);
  return `${y}-${mo}-${d}`;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Whether an ISO 8601 date-time names a real moment: `Date.parse` rolls 30
 * February over to March and 24:00 to the next day instead of refusing them.
 */
function isRealDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value);
  if (!match) return false;
  const [, date, hour, minute, second, offsetHour, offsetMinute] = match;
  return (
    isCalendarDate(date!) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second ?? 0) <= 59 &&
    Number(offsetHour ?? 0) <= 14 &&
    Number(offsetMinute ?? 0) <= 59 &&
    !Number.isNaN(Date.parse(value))
  );
}

function parseDateTime(value: unknown): Date {
  if (typeof value !== "string" || !DATE_TIME.test(value)) {
    throw new GraphQLError(`DateTime must be ISO 8601 with an offset, e.g. 2023-12-19T14:00:00+02:00; got ${JSON.stringify(value)}`, {
      extensions: { code: "BAD_USER_INPUT", reason: "must be an ISO 8601 date-time with an offset or Z" },
    });
  }
  if (!isRealDateTime(value)) {
    throw new GraphQLError(`DateTime ${value} does not exist`, { extensions: { code: "BAD_USER_INPUT", reason: "is not a real date and time" } });
  }
  return new Date(value);
}

/**
 * An instant, written as ISO 8601 with the Europe/Helsinki offset of that
 * moment (`2023-12-19T14:00:00+02:00` in winter, `+03:00` in summer), so the
 * wall-clock time reads as the county states it. Input accepts any offset or `Z`.
 * Stored as PostgreSQL `timestamptz`.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description:
    "An instant in ISO 8601 with an offset. Output always uses the Europe/Helsinki offset of that moment, e.g. 2023-12-19T14:00:00+02:00; input accepts any offset or Z.",
  serialize: (value) => {
    if (value instanceof Date) return formatHelsinki(value);
    return formatHelsinki(parseDateTime(value));
  },
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError("DateTime must be a string", { extensions: { code: "BAD_USER_INPUT" } });
    }
    return parseDateTime(ast.value);
  },
});
