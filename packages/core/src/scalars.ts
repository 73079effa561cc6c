import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(value: unknown): string {
  if (typeof value !== "string" || !DATE_PATTERN.test(value)) {
    throw new GraphQLError(`Date must be a string YYYY-MM-DD, got ${JSON.stringify(value)}`, {
      extensions: { code: "BAD_USER_INPUT", reason: "must be a calendar date YYYY-MM-DD" },
    });
  }
  const [, y, m, d] = DATE_PATTERN.exec(value)!;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) {
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
