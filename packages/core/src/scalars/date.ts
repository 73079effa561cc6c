import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import { dateProblem, SUPPORTED_DAYS } from "./calendar.ts";

function parseDate(value: unknown): string {
  const problem = typeof value === "string" ? dateProblem(value) : "must be a calendar date YYYY-MM-DD";
  if (problem === null) return value as string;
  const message =
    problem === "is not a real calendar date"
      ? `Date ${String(value)} does not exist`
      : typeof value === "string" && problem.startsWith("must lie")
        ? `Date ${value} is outside the supported range ${SUPPORTED_DAYS}`
        : `Date must be a string YYYY-MM-DD, got ${JSON.stringify(value)}`;
  throw new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", reason: problem } });
}

/**
 * A calendar date without time or zone (`2023-11-30`), as Finnish documents
 * state deadlines and terms. Internally a `YYYY-MM-DD` string, which is also
 * how PostgreSQL's `date` type round-trips through MikroORM (`type: "date"`).
 */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: "Date",
  description: `A calendar date in ISO 8601 form YYYY-MM-DD, e.g. 2023-11-30; supported range ${SUPPORTED_DAYS}.`,
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return parseDate(value);
  },
  parseValue: parseDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError("Date must be a string YYYY-MM-DD", { extensions: { code: "BAD_USER_INPUT", reason: "must be a calendar date YYYY-MM-DD" } });
    }
    return parseDate(ast.value);
  },
});
