import { ApolloServer } from "@apollo/server";
import { buildSchema, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { formatError } from "./errors-format.ts";
import { BadUserInputError } from "./errors.ts";
import { jitExecutor } from "./jit-executor.ts";
import { InputValidationError } from "./validation.ts";

const sdl = /* GraphQL */ `
  type Query {
    items(count: Int!): [Item!]!
    failing(kind: String!): Item
    strict: Item!
    node: Node
  }
  interface Node { id: ID! }
  type Item implements Node { id: ID! name: String! tags: [String!]! broken: String! }
  type Other implements Node { id: ID! note: String }
`;

/** The same resolvers on both executors: a list, thrown errors of each kind, a non-null violation, an abstract type. */
function testSchema(): GraphQLSchema {
  const schema = buildSchema(sdl);
  const item = (i: number) => ({ id: `i${i}`, name: `Nimi ${i}`, tags: i % 2 ? ["a", "b"] : [], broken: i === 2 ? null : "ok" });
  const query = schema.getQueryType()!.getFields();
  query["items"]!.resolve = async (_root, { count }: { count: number }) => Array.from({ length: count }, (_, i) => item(i));
  query["failing"]!.resolve = (_root, { kind }: { kind: string }) => {
    if (kind === "input") throw new InputValidationError("input", [{ property: "name", constraints: { isNotEmpty: "must not be empty" } }]);
    if (kind === "user") throw new BadUserInputError("kind", "must be known");
    throw new Error("boom");
  };
  query["strict"]!.resolve = () => null;
  query["node"]!.resolve = () => ({ __typename: "Other", id: "o1", note: "huom" });
  (schema.getType("Node") as { resolveType?: (v: { __typename: string }) => string }).resolveType = (v) => v.__typename;
  return schema;
}

async function serve(executor: "jit" | "graphql-js") {
  const schema = testSchema();
  const server = new ApolloServer({ ...(executor === "jit" ? { gateway: jitExecutor(schema) } : { schema }), formatError, includeStacktraceInErrorResponses: false });
  await server.start();
  return {
    async run(query: string, variables?: Record<string, unknown>) {
      const response = await server.executeOperation({ query, ...(variables ? { variables } : {}) });
      if (response.body.kind !== "single") throw new Error("expected a single result");
      return { status: response.http.status, ...response.body.singleResult } as { status?: number; data?: unknown; errors?: GraphQLFormattedError[] };
    },
    stop: () => server.stop(),
  };
}

const operations: [string, string, Record<string, unknown>?][] = [
  ["a list", "query L($n: Int!) { items(count: $n) { id name tags ... on Node { id } } }", { n: 5 }],
  ["a non-null field failing inside a list", "{ items(count: 3) { id broken } }"],
  ["validation errors of an input", '{ failing(kind: "input") { id } }'],
  ["a user error", '{ failing(kind: "user") { id } }'],
  ["an unexpected error", '{ failing(kind: "other") { id } }'],
  ["a non-null root field that is null", "{ strict { id } }"],
  ["an abstract type", "{ node { __typename id ... on Other { note } } }"],
  ["a variable of the wrong type", "query V($n: Int!) { items(count: $n) { id } }", { n: "many" }],
];

describe("jitExecutor", () => {
  it.each(operations)("answers %s exactly as graphql-js does, on the first (interpreted) and the later (compiled) runs", async (_name, query, variables) => {
    const jit = await serve("jit");
    const reference = await serve("graphql-js");
    try {
      const expected = await reference.run(query, variables);
      for (let run = 0; run < 3; run++) expect(await jit.run(query, variables)).toEqual(expected);
    } finally {
      await jit.stop();
      await reference.stop();
    }
  });

  it("keeps the thrown error for formatError: input problems become BAD_USER_INPUT naming the field", async () => {
    const jit = await serve("jit");
    try {
      for (let run = 0; run < 2; run++) {
        const { errors } = await jit.run('{ failing(kind: "input") { id } }');
        expect(errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.name" });
        const unexpected = await jit.run('{ failing(kind: "other") { id } }');
        expect(unexpected.errors?.[0]).toMatchObject({ message: "Internal server error", path: ["failing"], extensions: { code: "INTERNAL_SERVER_ERROR" } });
      }
    } finally {
      await jit.stop();
    }
  });
});
