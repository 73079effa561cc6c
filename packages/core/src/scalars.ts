import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `YYYY-MM-DD` names a day that exists (no 30 February, no month 13). */
export function isCalendarDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function parseDate(value: unknown): string {
  if (typeof value !== "string" || !DATE_PATTERN.test(value)) {
    throw new GraphQLError(`Date must be a string YYYY-MM-DD, got ${JSON.stringify(value)}`, {
      extensions: { code: "BAD_USER_INPUT", reason: "must be a calendar date YYYY-MM-DD" },
    });
  }
  if (!isCalendarDate(value)) {
    throw new GraphQLError(`Date ${value} does not exist`, {
      extensions: { code: "BAD_USER_INPUT", reason: "is not a real calendar date" },
    });
  }
  return value;
}

/**
 * A calendar date without time or zone (`2023-11-30`), as Finnish documents
 * state deadlines and terms. Internally a `YYYY-MM-DD` string, which is also
 * how PostgreSQL's `date` type round-trips through MikroORM (`type: "date"`).
 */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: "Date",
  description: "A calendar date in ISO 8601 form YYYY-MM-DD, e.g. 2023-11-30.",
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return parseDate(value);
  },
  parseValue: parseDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError("Date must be a string YYYY-MM-DD", { extensions: { code: "BAD_USER_INPUT" } });
    }
    return parseDate(ast.value);
  },
});
