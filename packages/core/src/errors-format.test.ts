import { GraphQLError } from "graphql";
import { ArgumentValidationError } from "type-graphql";
import { describe, expect, it } from "vitest";
import { formatError } from "./errors-format.ts";

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
});
