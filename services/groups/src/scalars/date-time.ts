import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

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

/** `2023-12-19T14:00:00+02:00`: the instant as Helsinki wall-clock time with its offset (EET/EEST). */
export function formatHelsinki(instant: Date): string {
  const { y, mo, d, h, mi, s, offset } = helsinkiParts(instant);
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
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

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== "string" || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError(`DateTime must be ISO 8601 with an offset, e.g. 2023-12-19T14:00:00+02:00; got ${JSON.stringify(value)}`, {
      extensions: { code: "BAD_USER_INPUT", reason: "must be an ISO 8601 date-time with an offset or Z" },
    });
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
