import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { isDatabaseTimeout } from "./database-timeouts.ts";
import { formatError } from "./errors-format.ts";

/** An error as pg reports it, optionally with a SQLSTATE. */
const pgError = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe("database timeouts", () => {
  it("recognises statement_timeout, the client's query timeout and the acquire timeout, also wrapped", () => {
    expect(isDatabaseTimeout(pgError("canceling statement due to statement timeout", "57014"))).toBe(true);
    expect(isDatabaseTimeout(pgError("Query read timeout"))).toBe(true);
    expect(isDatabaseTimeout(pgError("timeout exceeded when trying to connect"))).toBe(true);
    expect(isDatabaseTimeout(new Error("select failed", { cause: pgError("Connection terminated due to connection timeout") }))).toBe(true);
    // A cancel by an operator (same SQLSTATE, other reason) and other errors are not timeouts.
    expect(isDatabaseTimeout(pgError("canceling statement due to user request", "57014"))).toBe(false);
    expect(isDatabaseTimeout(pgError('relation "x" does not exist', "42P01"))).toBe(false);
    expect(isDatabaseTimeout(undefined)).toBe(false);
  });

  it("answers a timed-out resolver with DATABASE_TIMEOUT and no SQL or driver text", () => {
    const original = pgError("canceling statement due to statement timeout", "57014");
    const wrapped = new GraphQLError(original.message, { path: ["organisations"], originalError: original });
    const formatted = formatError({ message: original.message, path: ["organisations"], extensions: { code: "INTERNAL_SERVER_ERROR" } }, wrapped);
    expect(formatted.extensions).toEqual({ code: "DATABASE_TIMEOUT" });
    expect(formatted.path).toEqual(["organisations"]);
    expect(formatted.message).not.toMatch(/statement|cancel/);
  });
});
