import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { FIRST_SUPPORTED_DAY, formatHelsinki, helsinkiDate, isCalendarDate, LAST_SUPPORTED_DAY, SUPPORTED_DAYS } from "./calendar.ts";

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether an ISO 8601 date-time names a real moment: `Date.parse` rolls 30
 * February over to March and 24:00 to the next day instead of refusing them.
 */
function isRealDateTime(match: RegExpExecArray): boolean {
  const [, date, hour, minute, second, offsetHour, offsetMinute] = match;
  return (
    isCalendarDate(date!) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second ?? 0) <= 59 &&
    Number(offsetHour ?? 0) <= 14 &&
    Number(offsetMinute ?? 0) <= 59 &&
    !Number.isNaN(Date.parse(match[0]))
  );
}

interface InstantRules {
  /** The scalar's name, as the API calls it in messages. */
  name: string;
  /** Whether a bare day `YYYY-MM-DD` is taken, as midnight UTC starting it. */
  acceptsDay: boolean;
}

function refuse(message: string, reason: string): never {
  throw new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", reason } });
}

/**
 * An instant from ISO 8601 text, with the one calendar check of the API:
 * the day must exist (no 30 February), the time too (no 24:00, no minute 60),
 * and its Helsinki day must lie in the supported range.
 */
export function parseInstant(value: unknown, rules: InstantRules): Date {
  const form = rules.acceptsDay ? "ISO 8601 with an offset or Z (e.g. 2023-12-19T14:00:00+02:00), or a day YYYY-MM-DD" : "ISO 8601 with an offset, e.g. 2023-12-19T14:00:00+02:00";
  if (typeof value !== "string") return refuse(`${rules.name} must be ${form}; got ${JSON.stringify(value)?.slice(0, 60)}`, "must be an ISO 8601 date-time with an offset or Z");
  let instant: Date;
  if (rules.acceptsDay && DAY.test(value)) {
    if (!isCalendarDate(value)) return refuse(`${rules.name} ${value} does not exist`, "is not a real calendar date");
    instant = new Date(`${value}T00:00:00Z`);
  } else {
    const match = DATE_TIME.exec(value);
    if (!match) return refuse(`${rules.name} must be ${form}; got ${JSON.stringify(value.slice(0, 60))}`, "must be an ISO 8601 date-time with an offset or Z");
    if (!isRealDateTime(match)) return refuse(`${rules.name} ${value} does not exist`, "is not a real date and time");
    instant = new Date(value);
  }
  const day = helsinkiDate(instant);
  if (day.length !== 10 || day < FIRST_SUPPORTED_DAY || day > LAST_SUPPORTED_DAY) {
    return refuse(`${rules.name} ${value} is outside the supported range (Helsinki days ${SUPPORTED_DAYS})`, `must lie in the supported range ${SUPPORTED_DAYS}`);
  }
  return instant;
}

/**
 * One implementation of an instant scalar: the same parsing and calendar
 * check for every name; `write` decides the output text.
 */
function instantScalar(options: InstantRules & { description: string; write: (instant: Date) => string }): GraphQLScalarType<Date, string> {
  const parse = (value: unknown) => parseInstant(value, options);
  return new GraphQLScalarType<Date, string>({
    name: options.name,
    description: options.description,
    serialize: (value) => options.write(value instanceof Date ? value : parse(value)),
    parseValue: parse,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) return refuse(`${options.name} must be a string`, "must be an ISO 8601 date-time string");
      return parse(ast.value);
    },
  });
}

/**
 * An instant, written as ISO 8601 with the Europe/Helsinki offset of that
 * moment (`2023-12-19T14:00:00+02:00` in winter, `+03:00` in summer), so the
 * wall-clock time reads as the county states it. Input accepts any offset or `Z`.
 * Stored as PostgreSQL `timestamptz`.
 */
export const DateTimeScalar = instantScalar({
  name: "DateTime",
  acceptsDay: false,
  description: `An instant in ISO 8601 with an offset. Output always uses the Europe/Helsinki offset of that moment, e.g. 2023-12-19T14:00:00+02:00; input accepts any offset or Z. Supported: Helsinki days ${SUPPORTED_DAYS}.`,
  write: formatHelsinki,
});

/**
 * The audit trail's instant (`changedAt`, `since`): the same parsing and
 * calendar check as DateTime (one implementation); as input also a bare day
 * (midnight UTC), and written in UTC to the millisecond, as the trail records it.
 */
export const InstantScalar = instantScalar({
  name: "Instant",
  acceptsDay: true,
  description: `An instant as ISO 8601 text, e.g. 2026-11-23T10:00:00.000Z (UTC, to the millisecond); as input also a day (2026-11-23, midnight UTC) or an instant with an offset. Parsed and checked as DateTime. Supported: Helsinki days ${SUPPORTED_DAYS}.`,
  write: (instant) => instant.toISOString(),
});
