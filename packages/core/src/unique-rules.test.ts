import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { formatError } from "./errors-format.ts";
import { configureLogger } from "./logger.ts";
import { uniqueRuleError, uniqueRuleOf } from "./unique-rules.ts";

/** A unique violation as node-postgres reports it (MikroORM's exception copies these properties). */
function uniqueViolation(constraint: string): Error {
  return Object.assign(new Error(`duplicate key value violates unique constraint "${constraint}"`), {
    code: "23505",
    constraint,
    detail: "Key (county_code, lower(name::text))=(14, nuorten kumppanuusryhmä) already exists.",
  });
}

function format(error: Error, path: string[]) {
  return formatError({ message: error.message, path, extensions: { code: "INTERNAL_SERVER_ERROR" } }, new GraphQLError(error.message, { path, originalError: error }));
}

describe("unique rules", () => {
  it("answers a violation of a natural-key index as BAD_USER_INPUT with the index's field and rule, without SQL text or values", () => {
    const formatted = format(uniqueViolation("cooperation_group_active_name_unique"), ["createCooperationGroup"]);
    expect(formatted.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.name" });
    expect(formatted.message).toMatch(/^Invalid value for "input.name": a cooperation group with this name already exists in the county/);
    expect(formatted.path).toEqual(["createCooperationGroup"]);
    expect(JSON.stringify(formatted)).not.toMatch(/duplicate key|lower\(name|nuorten|23505/);
    expect(format(uniqueViolation("meeting_group_starts_at_unique"), ["scheduleMeeting"]).extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.startsAt" });
  });

  it("keeps any other unique violation an internal error (an index without a rule is a bug)", () => {
    const lines: string[] = [];
    configureLogger("test", { write: (line: string) => void lines.push(line) });
    const formatted = format(uniqueViolation("audit_something_unique"), ["createPerson"]);
    expect(formatted.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });
    expect(uniqueRuleOf({ code: "23503", constraint: "cooperation_group_active_name_unique" })).toBeUndefined();
    expect(uniqueRuleOf({ code: "23505", constraint: "toString" })).toBeUndefined();
    expect(lines).toHaveLength(1);
  });

  it("gives the resolver's check the same field and rule, naming the existing record", () => {
    const error = uniqueRuleError("group_seat_active_label_unique", "seat seat-1 of group group-pk-keskinen");
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.label" });
    expect(error.message).toContain("the group already has a seat with this label");
    expect(error.message).toContain("(existing: seat seat-1 of group group-pk-keskinen)");
    expect(error.message.startsWith(format(uniqueViolation("group_seat_active_label_unique"), ["createGroupSeat"]).message)).toBe(true);
  });
});
