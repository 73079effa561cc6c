import { buildSchema, execute, type GraphQLResolveInfo, parse } from "graphql";
import { compileQuery, isCompiledQuery } from "graphql-jit";
import { describe, expect, it } from "vitest";
import { type OptionalProperties, propertiesToLeaveOut, selectedFieldNames } from "./selection.ts";

const schema = buildSchema(`
  type Group { id: ID! name: String kind: String }
  type Meeting {
    id: ID!
    title: String
    agenda: [String!]!
    decisions: [String!]!
    minutesRef: String
    group: Group!
  }
  type Query { meetings(county: ID): [Meeting!]! }
`);

interface Row {
  id: string;
  title: string;
  agenda: string[];
  decisions: string[];
  minutesRef: string | null;
  groupId: string;
}

const OPTIONAL: OptionalProperties<Row> = { agenda: ["agenda"], decisions: ["decisions"], minutesRef: ["minutesRef"] };

/**
 * The resolve info of `meetings` for a document, as graphql-js and as
 * graphql-jit (the subgraphs' executor) hand it to the resolver.
 */
async function infosOf(document: string, variables: Record<string, unknown> = {}): Promise<GraphQLResolveInfo[]> {
  const infos: GraphQLResolveInfo[] = [];
  schema.getQueryType()!.getFields()["meetings"]!.resolve = (_root, _args, _context, info) => {
    infos.push(info);
    return [];
  };
  const parsed = parse(document);
  const js = await execute({ schema, document: parsed, variableValues: variables });
  expect(js.errors).toBeUndefined();
  const compiled = compileQuery(schema, parsed);
  if (!isCompiledQuery(compiled)) throw new Error(`not compiled: ${JSON.stringify(compiled.errors)}`);
  const jit = await compiled.query(undefined, {}, variables);
  expect(jit.errors).toBeUndefined();
  expect(infos).toHaveLength(2);
  return infos;
}

const sorted = (names: ReadonlySet<string> | null) => (names ? [...names].sort() : null);

describe("selectedFieldNames", () => {
  it("merges every field node, fragment spreads (nested) and inline fragments, by field name, not alias", async () => {
    const infos = await infosOf(`
      query Q {
        meetings { id heading: title ...M }
        meetings { group { name } }
      }
      fragment M on Meeting { ... on Meeting { ...N } g: group { kind } }
      fragment N on Meeting { items: agenda }
    `);
    for (const info of infos) expect(sorted(selectedFieldNames(info))).toEqual(["agenda", "group", "id", "title"]);
  });

  it("counts fields under @skip and @include as selected, whatever the condition", async () => {
    const infos = await infosOf(
      `query Q($no: Boolean!) { meetings { id decisions @include(if: $no) minutesRef @skip(if: true) ... @include(if: false) { agenda } } }`,
      { no: false },
    );
    for (const info of infos) expect(sorted(selectedFieldNames(info))).toEqual(["agenda", "decisions", "id", "minutesRef"]);
  });

  it("cannot tell the selection when a spread names a fragment it does not have", () => {
    const document = parse(`query Q { meetings { id ...Gone } }`);
    const operation = document.definitions[0]!;
    if (operation.kind !== "OperationDefinition") throw new Error("operation expected");
    const field = operation.selectionSet.selections[0]!;
    if (field.kind !== "Field") throw new Error("field expected");
    expect(selectedFieldNames({ fieldNodes: [field], fragments: {} })).toBeNull();
  });
});

describe("propertiesToLeaveOut", () => {
  it("leaves out exactly the optional properties no selected field needs", async () => {
    for (const info of await infosOf(`{ meetings { id title group { id } } }`)) {
      expect(propertiesToLeaveOut(info, OPTIONAL).sort()).toEqual(["agenda", "decisions", "minutesRef"]);
    }
    for (const info of await infosOf(`{ meetings { id a: agenda ...F } } fragment F on Meeting { ... { minutesRef } }`)) {
      expect(propertiesToLeaveOut(info, OPTIONAL)).toEqual(["decisions"]);
    }
    for (const info of await infosOf(`{ meetings { agenda decisions minutesRef } }`)) {
      expect(propertiesToLeaveOut(info, OPTIONAL)).toEqual([]);
    }
  });

  it("keeps a property any of its fields needs", async () => {
    const needsTwo: OptionalProperties<Row> = { minutesRef: ["minutesRef", "title"] };
    for (const info of await infosOf(`{ meetings { title } }`)) expect(propertiesToLeaveOut(info, needsTwo)).toEqual([]);
    for (const info of await infosOf(`{ meetings { id } }`)) expect(propertiesToLeaveOut(info, needsTwo)).toEqual(["minutesRef"]);
  });

  it("refuses a field name the returned type does not have", async () => {
    const [info] = await infosOf(`{ meetings { id } }`);
    expect(() => propertiesToLeaveOut(info!, { agenda: ["agendaItems"] })).toThrow(/Meeting has no field "agendaItems"/);
  });
});
