import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { isDatabaseTimeout, isDatabaseUnavailable } from "./database-timeouts.ts";
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

  it("recognises a database that is down or went away, and answers it as DATABASE_UNAVAILABLE without driver text", () => {
    expect(isDatabaseUnavailable(pgError("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("terminating connection due to administrator command", "57P01"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("the database system is shutting down", "57P03"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("insert failed", { cause: pgError("Connection terminated unexpectedly") }))).toBe(true);
    // Timeouts, a caller's bad value and other errors are not.
    expect(isDatabaseUnavailable(pgError("Connection terminated due to connection timeout"))).toBe(false);
    expect(isDatabaseUnavailable(pgError('invalid input syntax for type integer: "x"', "22P02"))).toBe(false);
    expect(isDatabaseUnavailable(pgError('relation "x" does not exist', "42P01"))).toBe(false);
    const original = pgError("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED");
    const wrapped = new GraphQLError(original.message, { path: ["county"], originalError: original });
    const formatted = formatError({ message: original.message, path: ["county"], extensions: { code: "INTERNAL_SERVER_ERROR" } }, wrapped);
    expect(formatted.extensions?.["code"]).toBe("DATABASE_UNAVAILABLE");
    expect(formatted.message).toMatch(/database is unavailable; the request was stopped/);
    expect(formatted.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });
});
