import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

function parseDecimal(value: unknown): string {
  if (typeof value !== "string" || !DECIMAL_PATTERN.test(value)) {
    throw new GraphQLError(`Decimal must be a string of digits with an optional "." fraction, got ${JSON.stringify(value)}`, {
      extensions: { code: "BAD_USER_INPUT", reason: 'must be a decimal number as a string, e.g. "1234.50"' },
    });
  }
  return value;
}

/**
 * An exact decimal number carried as a string ("1234567.89"), so that money
 * never passes through a binary floating-point number. PostgreSQL `numeric`
 * columns come back from `pg` as strings, which this scalar passes on as they are.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: "Decimal",
  description: 'An exact decimal number as a string, e.g. "1234567.89"; never a floating-point number.',
  serialize: (value) => (typeof value === "number" ? String(value) : parseDecimal(value)),
  parseValue: parseDecimal,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError("Decimal must be given as a string, e.g. \"12.50\"", { extensions: { code: "BAD_USER_INPUT" } });
    }
    return parseDecimal(ast.value);
  },
});

/** Euro amount "123.45" → cents as a bigint (exact). */
export function toCents(amount: string): bigint {
  const [whole = "0", fraction = ""] = amount.split(".");
  return BigInt(whole) * 100n + BigInt((fraction + "00").slice(0, 2));
}

/** Cents → "123.45". */
export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}
