import { buildSchema, getVariableValues, GraphQLError, type GraphQLScalarType, type OperationDefinitionNode, parse } from "graphql";
import { ArgumentValidationError } from "type-graphql";
import { describe, expect, it } from "vitest";
import { formatError, redactForLog } from "./errors-format.ts";
import { configureLogger } from "./logger.ts";

/** The JSON lines the process logger writes from now on. */
function captureLog(): string[] {
  const lines: string[] = [];
  configureLogger("test", { write: (line: string) => void lines.push(line) });
  return lines;
}

describe("formatError", () => {
  it("turns type-graphql 2.0 argument validation errors into BAD_USER_INPUT naming the field, without the input", () => {
    const original = new ArgumentValidationError([
      { property: "amount", value: "1.234", target: { amount: "1.234", secret: "x" }, constraints: { matches: "at most 2 decimals" }, children: [] },
    ] as never);
    const wrapped = new GraphQLError(original.message, { path: ["awardGrant"], originalError: original });
    const formatted = formatError({ message: original.message, path: ["awardGrant"], extensions: { ...original.extensions } }, wrapped);
    expect(formatted.message).toBe('Invalid value for "amount": at most 2 decimals');
    expect(formatted.extensions).toEqual({
      code: "BAD_USER_INPUT",
      field: "amount",
      reason: "at most 2 decimals",
      problems: [{ field: "amount", reason: "at most 2 decimals" }],
    });
    expect(JSON.stringify(formatted)).not.toContain("secret");
  });

  it("answers unexpected errors without internals and logs them without personal data", () => {
    const logged = captureLog();
    {
      const db = new Error('invalid input syntax for type date: "maarita.mannelin@siunsote.fi 050 591 2580"');
      const formatted = formatError(
        { message: db.message, path: ["createPerson"], extensions: { code: "INTERNAL_SERVER_ERROR" } },
        new GraphQLError(db.message, { originalError: db }),
      );
      expect(formatted).toEqual({ message: "Internal server error", path: ["createPerson"], extensions: { code: "INTERNAL_SERVER_ERROR" } });
    }
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("invalid input syntax for type date");
    expect(logged[0]).not.toMatch(/mannelin|591/);
  });

  it("redacts quoted values, e-mail addresses and phone numbers", () => {
    expect(redactForLog("Key (email)=(a.b@example.fi) exists; call +358 50 123 4567 or 'x'")).toBe(
      "Key (email)=([redacted e-mail]) exists; call [redacted number] or '[redacted]'",
    );
  });

  it("names only the field a caller may not read", () => {
    const formatted = formatError(
      { message: "Access denied", path: ["_entities", 0, "email"], extensions: { code: "UNAUTHORIZED" } },
      new GraphQLError("Access denied"),
    );
    expect(formatted.message).toBe('Not authorised to read "email": it needs a token with the required scope');
    expect(formatted.extensions).toEqual({ code: "FORBIDDEN" });
  });
});

describe("formatError for request errors and database data exceptions", () => {
  it("keeps a coded-less 4xx request error's message as BAD_REQUEST", () => {
    const error = new GraphQLError("provided sha does not match query", { extensions: { http: { status: 400 } } });
    const formatted = formatError({ message: error.message, extensions: { code: "INTERNAL_SERVER_ERROR" } }, error);
    expect(formatted).toEqual({ message: "provided sha does not match query", extensions: { code: "BAD_REQUEST" } });
  });

  it("answers a PostgreSQL data exception (class 22) as BAD_USER_INPUT without SQL text", () => {
    const driver = Object.assign(new Error('select * from "group" where id = $1 - invalid input syntax for type uuid: "x"'), { code: "22P02" });
    const error = new GraphQLError(driver.message, { originalError: driver, path: ["cooperationGroup"] });
    const formatted = formatError({ message: error.message, path: ["cooperationGroup"], extensions: { code: "INTERNAL_SERVER_ERROR" } }, error);
    expect(formatted.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(formatted.message).toContain('"cooperationGroup"');
    expect(formatted.message).not.toMatch(/select|uuid/);
  });
});

describe("formatError for internal errors", () => {
  it("answers a generic message with the request id, which the log line names too", async () => {
    const { withRequestId } = await import("./request-id.ts");
    const logged = captureLog();
    {
      const error = new GraphQLError("boom at alice@example.org", { originalError: new Error("boom at alice@example.org") });
      const formatted = withRequestId("req-42", () => formatError({ message: error.message, extensions: { code: "INTERNAL_SERVER_ERROR" } }, error));
      expect(formatted).toEqual({ message: "Internal server error (request req-42)", extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-42" } });
    }
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!)).toMatchObject({ level: "error", service: "test", requestId: "req-42", msg: "internal error" });
    expect(logged.join("\n")).not.toContain("alice@example.org");
  });
});

describe("formatError for variables refused during variable coercion", () => {
  const schema = buildSchema(`
    scalar Date
    enum Kind { ASSOCIATION MUNICIPALITY }
    input PeriodInput { startsOn: Date! kind: Kind codes: [String!] }
    type Query { periods(input: PeriodInput, startsOn: Date): Int }
  `);
  const dateType = schema.getType("Date") as GraphQLScalarType;
  dateType.parseValue = (value: unknown) => {
    if (typeof value !== "string" || Number.isNaN(Date.parse(value))) throw new TypeError(`not a date: ${JSON.stringify(value)}`);
    return value;
  };

  /** What a caller gets for `variables` of `query`: graphql-js's refusal as Apollo Server codes it, through formatError. */
  function refused(query: string, variables: Record<string, unknown>) {
    const operation = parse(query).definitions[0] as OperationDefinitionNode;
    const { errors } = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    expect(errors).toHaveLength(1);
    const error = errors![0]!;
    return formatError({ message: error.message, extensions: { code: "BAD_USER_INPUT" } }, error);
  }

  it("names the variable of a top-level value and the rule", () => {
    const formatted = refused(`query($startsOn: Date) { periods(startsOn: $startsOn) }`, { startsOn: "2026-13-45" });
    expect(formatted.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "startsOn" });
    expect(formatted.extensions?.["reason"]).toContain('Expected type "Date"');
  });

  it("names the path inside an input object, list indexes and missing or unknown fields included", () => {
    const query = `query($i: PeriodInput) { periods(input: $i) }`;
    expect(refused(query, { i: { startsOn: "2026-13-45" } }).extensions?.["field"]).toBe("i.startsOn");
    expect(refused(query, { i: { startsOn: "2026-01-01", kind: "SEURA" } }).extensions?.["field"]).toBe("i.kind");
    expect(refused(query, { i: { startsOn: "2026-01-01", codes: ["167", 5] } }).extensions?.["field"]).toBe("i.codes[1]");
    expect(refused(query, { i: {} }).extensions).toMatchObject({ field: "i.startsOn", reason: expect.stringContaining("was not provided") });
    expect(refused(query, { i: { startsOn: "2026-01-01", secret: 1 } }).extensions?.["field"]).toBe("i.secret");
  });

  it("names a missing or null required variable", () => {
    expect(refused(`query($d: Date!) { periods(startsOn: $d) }`, {}).extensions).toMatchObject({ field: "d", reason: 'required type "Date!" was not provided' });
    expect(refused(`query($d: Date!) { periods(startsOn: $d) }`, { d: null }).extensions).toMatchObject({ field: "d", reason: 'non-null type "Date!" must not be null' });
  });

  it("is not fooled by a path-like text inside the refused value", () => {
    const formatted = refused(`query($i: PeriodInput) { periods(input: $i) }`, { i: { startsOn: 'x at "i.codes"; Y' } });
    expect(formatted.extensions?.["field"]).toBe("i.startsOn");
  });
});
