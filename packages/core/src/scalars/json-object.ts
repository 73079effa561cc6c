import { GraphQLScalarType, Kind, type ValueNode } from "graphql";

/** JSON object values of a change (a record's fields by name). */
export const JSONObjectScalar = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: "JSONObject",
  description: "A JSON object: the recorded fields of a record by name.",
  serialize: (value) => value as Record<string, unknown>,
  parseValue: (value) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new TypeError("JSONObject must be an object");
    return value as Record<string, unknown>;
  },
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind !== Kind.OBJECT) throw new TypeError("JSONObject must be an object");
    throw new TypeError("JSONObject literals are not accepted; pass a variable");
  },
});
