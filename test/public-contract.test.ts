import { readFileSync } from "node:fs";
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  type GraphQLField,
  type GraphQLSchema,
  type IntrospectionQuery,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  parse,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
} from "graphql";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserToken, Scope } from "@yhdyspinta/core";
import { VIEW_NAMES, viewDocument, type ViewName } from "../views/index.ts";
import { excludedCoordinates as excludedTagged } from "../schema/contract.ts";
import { GUARDED_BY_SCOPE } from "../schema/personal-data.ts";
import { startGateway } from "../gateway/src/gateway.ts";
import { bearer, gatewayOptionsFor, serviceSql, startTestStack, type TestStack } from "./support.ts";
import { forEachAtMost, valuesIn } from "./walks.ts";

let stack: TestStack;
let publicUrl: string;
/** Names, e-mails and phones of every person the test stack holds: none may reach a caller of the public contract. */
let personalValues: string[] = [];

const supergraph = readFileSync(new URL("../schema/supergraph.graphql", import.meta.url), "utf8");

/** `Type` and `Type.field` the full supergraph tags personal or internal. */
const excludedCoordinates = excludedTagged(supergraph);

/** The views' variables, as test/views.test.ts asks them. */
const VIEW_VARIABLES: Record<ViewName, Record<string, unknown>> = {
  "partnership-groups-by-municipality": { countyCodes: ["14", "08"], activeOn: "2024-06-01" },
  "coverage-matrix": { countyCode: "14" },
  "nomination-status": { countyCode: "14", closedSince: "2023-11-01" },
  "meeting-calendar": { countyCode: "08", from: "2023-12-01", to: "2024-12-31" },
  representation: { countyCode: "08", activeOn: "2024-06-01" },
  "plan-follow-up": { countyCode: "14" },
};

async function post(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

/** The personal values found in an answer's raw bytes (phones also without spaces). */
function leaked(text: string): string[] {
  return valuesIn(text, personalValues);
}

/**
 * Documents of a walk in flight at once. A novel document is planned off the
 * gateway's main thread (Hive Router's native planner), then answered by three
 * subgraph processes and the database: one request at a time leaves most of
 * them idle. The public walk's 35 documents took 17 s one at a time, 13–14 s
 * two or four at a time and 17 s eight at a time (the requests alone, on a
 * 2-core machine at a load of about 3).
 */
const IN_FLIGHT = 4;

function coordinates(schema: GraphQLSchema): Set<string> {
  const found = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    found.add(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) for (const f of Object.keys(type.getFields())) found.add(`${type.name}.${f}`);
  }
  return found;
}

/**
 * A view's document with every selection the public schema lacks left out
 * (and a field left with no selection, and a variable no longer used).
 */
function publicPart(document: string, schema: GraphQLSchema): { query: string; removed: string[] } {
  const removed: string[] = [];
  const typeInfo = new TypeInfo(schema);
  let doc: DocumentNode = visit(
    parse(document),
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (typeInfo.getFieldDef()) return undefined;
        removed.push(`${typeInfo.getParentType()?.name ?? "?"}.${node.name.value}`);
        return null;
      },
    }),
  );
  for (let changed = true; changed; ) {
    changed = false;
    doc = visit(doc, {
      Field: { leave: (node) => (node.selectionSet && node.selectionSet.selections.length === 0 ? ((changed = true), null) : undefined) },
      InlineFragment: { leave: (node) => (node.selectionSet.selections.length === 0 ? ((changed = true), null) : undefined) },
    });
  }
  // Variables used in what is left (a definition's own `$name` is no use).
  const inSelections = new Set<string>();
  visit(doc, { SelectionSet: (node) => void visit(node, { Variable: (v) => void inSelections.add(v.name.value) }) });
  doc = visit(doc, { OperationDefinition: (node) => ({ ...node, variableDefinitions: node.variableDefinitions?.filter((v) => inSelections.has(v.variable.name.value)) }) });
  return { query: print(doc), removed };
}

/**
 * A document selecting, from each `Query` field callable with the given
 * arguments, every field down to `depth` that needs no argument.
 */
function walk(schema: GraphQLSchema, args: Record<string, string>, depth: number): string[] {
  const select = (field: GraphQLField<unknown, unknown>, level: number): string | null => {
    const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
    if (required.some((a) => !(a.name in args))) return null;
    const argText = required.length > 0 ? `(${required.map((a) => `${a.name}: ${args[a.name]}`).join(", ")})` : "";
    const type = getNamedType(field.type);
    if (isLeafType(type)) return `${field.name}${argText}`;
    if (level >= depth || !(isObjectType(type) || isInterfaceType(type))) return null;
    const inner = Object.values(type.getFields()).map((f) => select(f, level + 1)).filter((s): s is string => s !== null);
    return inner.length > 0 ? `${field.name}${argText} { ${inner.join(" ")} }` : null;
  };
  return Object.values(schema.getQueryType()!.getFields()).flatMap((f) => {
    const s = select(f, 0);
    return s ? [`{ ${s} }`] : [];
  });
}

/**
 * A document built from the full graph's schema by the given choices: a
 * `Query` field, then at each level a few of the fields (personal ones
 * included), sometimes aliased or through an inline fragment, to depth 4.
 */
function randomDocument(schema: GraphQLSchema, choices: number[], args: Record<string, string>): string {
  let at = 0;
  const next = () => choices[at++ % choices.length]!;
  const select = (field: GraphQLField<unknown, unknown>, level: number): string | null => {
    const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
    if (required.some((a) => !(a.name in args))) return null;
    const argText = required.length > 0 ? `(${required.map((a) => `${a.name}: ${args[a.name]}`).join(", ")})` : "";
    const alias = next() % 5 === 0 ? `a${level}: ` : "";
    const type = getNamedType(field.type);
    if (isLeafType(type)) return `${alias}${field.name}${argText}`;
    if (level >= 4 || !(isObjectType(type) || isInterfaceType(type))) return null;
    const fields = Object.values(type.getFields());
    const picked = Array.from({ length: 1 + (next() % 4) }, () => fields[next() % fields.length]!);
    const inner = [...new Set(picked)].map((f) => select(f, level + 1)).filter((x): x is string => x !== null);
    if (inner.length === 0) return null;
    const body = next() % 4 === 0 ? `... on ${type.name} { ${inner.join(" ")} }` : inner.join(" ");
    return `${alias}${field.name}${argText} { ${body} }`;
  };
  // Only roots the given arguments can call: one needing another argument (a new
  // internal field, e.g. `dataSubject(personId)`) would only add `{ __typename }` samples.
  const roots = Object.values(schema.getQueryType()!.getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined || a.name in args));
  return `{ ${select(roots[next() % roots.length]!, 0) ?? "__typename"} }`;
}

let publicSchema: GraphQLSchema;

beforeAll(async () => {
  stack = await startTestStack("public", {
    // The schema walk below sends large documents: an operator may raise the limits for such a caller.
    // Its largest answer (every municipality to depth 4, 78 MB) takes the groups subgraph near the default
    // 10 s subgraph timeout on a busy machine, with other documents in flight: wider bounds.
    env: {
      GATEWAY_MAX_TOKENS: "200000",
      GATEWAY_MAX_COST: "1000000000",
      GATEWAY_MAX_FIELDS: "200000",
      GATEWAY_MAX_BODY_BYTES: "4194304",
      GATEWAY_MAX_DEPTH: "20",
      SUBGRAPH_TIMEOUT_MS: "120000",
      STATEMENT_TIMEOUT_MS: "100000",
      DB_ACQUIRE_TIMEOUT_MS: "100000",
    },
  });
  publicUrl = new URL("public/graphql", stack.gatewayUrl).toString();
  // A person of the test's own, with contacts, a member of a seeded group's seat.
  const suffix = Math.random().toString(36).slice(2, 8);
  await serviceSql(stack, "organisations", "insert into person (id, name, name_normalised, organisation_id, email, phone) values ($1, $2, $3, 'org-municipality-167', $4, $5)", [
    `person-public-${suffix}`,
    `Yksityinen Henkilö${suffix}`,
    `yksityinen henkilö${suffix}`,
    `yksityinen.${suffix}@example.fi`,
    `040 555 ${Math.floor(1000 + Math.random() * 8999)}`,
  ]);
  const reader = bearer(await mintUserToken(stack.authSecret, { sub: "dpo", scope: Scope.ContactsRead, role: "analyst" }));
  const people = await post(new URL("graphql", stack.gatewayUrl).toString(), "{ people(first: 500) { edges { node { name email phone } } } }", {}, reader);
  expect(people.body.errors).toBeUndefined();
  const nodes = (people.body.data!["people"] as { edges: { node: Record<string, string | null> }[] }).edges.map((e) => e.node);
  personalValues = nodes.flatMap((n) => [n["name"], n["email"], n["phone"]]).filter((v): v is string => typeof v === "string" && v.length > 0);
  expect(personalValues).toContain(`yksityinen.${suffix}@example.fi`);
  const introspection = await post(publicUrl, getIntrospectionQuery());
  expect(introspection.body.errors).toBeUndefined();
  publicSchema = buildClientSchema(introspection.body.data as unknown as IntrospectionQuery);
});

afterAll(async () => {
  await stack?.stop();
});

describe("personal fields in the full graph", () => {
  it("answers each scope-guarded personal field with null and FORBIDDEN to an anonymous caller", async () => {
    const reader = bearer(await mintUserToken(stack.authSecret, { sub: "dpo", scope: Scope.ContactsRead, role: "analyst" }));
    for (const [coordinate, { query, path }] of Object.entries(GUARDED_BY_SCOPE)) {
      const values = (data: unknown): unknown[] =>
        path.reduce<unknown[]>((at, key) => at.flatMap((v) => (Array.isArray(v) ? v : [v])).map((v) => (v as Record<string, unknown> | null)?.[key]), [data]).flat();
      const anonymous = await stack.query(query);
      expect(anonymous.errors?.map((e) => e.extensions?.["code"]), coordinate).toContain("FORBIDDEN");
      expect(values(anonymous.data).every((v) => v === null), coordinate).toBe(true);
      expect(leaked(JSON.stringify(anonymous)).filter((v) => v.includes("@") || /\d{3}/.test(v)), coordinate).toEqual([]);
      const authorised = await stack.query(query, {}, reader);
      expect(authorised.errors, coordinate).toBeUndefined();
      expect(values(authorised.data).some((v) => typeof v === "string"), coordinate).toBe(true);
    }
  });
});

describe("public contract at /public/graphql", () => {
  it("shows no marked type or field in introspection, and no mutations", async () => {
    const seen = coordinates(publicSchema);
    expect(excludedCoordinates.length).toBeGreaterThan(5);
    expect(excludedCoordinates.filter((c) => seen.has(c))).toEqual([]);
    expect(publicSchema.getMutationType() ?? null).toBeNull();
    expect([...seen].filter((c) => /Person|Attendance|GroupContact|^Change|\.(email|phone|changes|contacts|people|person|contactPerson|attendance)$/.test(c))).toEqual([]);
    // The full graph, on the same gateway, still has them.
    const full = await post(new URL("graphql", stack.gatewayUrl).toString(), getIntrospectionQuery());
    const fullSchema = buildClientSchema(full.body.data as unknown as IntrospectionQuery);
    expect(coordinates(fullSchema)).toContain("Person.email");
  });

  it("refuses a marked field or a mutation, whatever token comes with it", async () => {
    const admin = bearer(await mintUserToken(stack.authSecret, { sub: "admin", scope: `${Scope.ContactsRead} ${Scope.DataWrite}`, role: "admin" }));
    for (const query of [
      "{ people(first: 5) { edges { node { name email phone } } } }",
      '{ person(id: "person-maarita-mannelin") { name } }',
      "{ cooperationGroups(first: 5) { edges { node { contacts { title } seats { memberships { person { name } } } } } } }",
      "{ meetings(countyCode: \"08\") { attendance { present } } }",
      'mutation { deleteOrganisation(id: "org-municipality-167") }',
    ]) {
      const res = await post(publicUrl, query, {}, admin);
      expect(res.status, `${query}: ${res.text.slice(0, 300)}`).toBe(400);
      expect(res.body.data, query).toBeUndefined();
      expect(res.body.errors?.[0]?.extensions?.["code"], query).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(leaked(res.text), query).toEqual([]);
    }
  });

  it("answers the public part of each of the six views as the full graph does, with no personal value in it", async () => {
    const fullUrl = new URL("graphql", stack.gatewayUrl).toString();
    let namesInFullViews = 0;
    for (const view of VIEW_NAMES) {
      // The view as committed, on the full graph: the people it names show the search finds them.
      namesInFullViews += leaked((await post(fullUrl, viewDocument(view), VIEW_VARIABLES[view])).text).length;
      const { query, removed } = publicPart(viewDocument(view), publicSchema);
      const variables = Object.fromEntries(Object.entries(VIEW_VARIABLES[view]).filter(([name]) => query.includes(`$${name}`)));
      const open = await post(publicUrl, query, variables);
      expect(open.body.errors, view).toBeUndefined();
      expect(Object.values(open.body.data ?? {}).filter((v) => v !== null), view).not.toEqual([]);
      expect(leaked(open.text), view).toEqual([]);
      // The same document on the full graph, as anonymous: the same answer.
      const full = await post(fullUrl, query, variables);
      expect(open.body.data, view).toEqual(full.body.data);
      // What was left out is what the contract leaves out, nothing else.
      expect(removed.filter((c) => !/\.(person|contacts|attendance|contactPerson|changes|email|phone|changedBy)$/.test(c)), view).toEqual([]);
    }
    expect(namesInFullViews).toBeGreaterThan(0);
  }, 120_000);

  it("answers the views' public parts alike through the @apollo/gateway engine", async () => {
    const apollo = await startGateway({
      ...gatewayOptionsFor(stack),
      engine: "apollo",
      publicSupergraphPath: new URL("../schema/public-supergraph.graphql", import.meta.url).pathname,
    });
    try {
      const apolloPublic = new URL("public/graphql", apollo.url).toString();
      const introspection = await post(apolloPublic, getIntrospectionQuery());
      expect(coordinates(buildClientSchema(introspection.body.data as unknown as IntrospectionQuery))).toEqual(coordinates(publicSchema));
      for (const view of VIEW_NAMES) {
        const { query } = publicPart(viewDocument(view), publicSchema);
        const variables = Object.fromEntries(Object.entries(VIEW_VARIABLES[view]).filter(([name]) => query.includes(`$${name}`)));
        const viaApollo = await post(apolloPublic, query, variables);
        expect(viaApollo.body.errors, view).toBeUndefined();
        expect(viaApollo.body.data, view).toEqual((await post(publicUrl, query, variables)).body.data);
      }
    } finally {
      await apollo.stop();
    }
  }, 120_000);

  it("returns no personal value anywhere in a walk of the whole public graph", async () => {
    const documents = walk(publicSchema, { countyCode: '"08"', id: '"x"', code: '"837"', months: "0" }, 4);
    expect(documents.length).toBeGreaterThan(10);
    let answered = 0;
    let checked = 0;
    await forEachAtMost(documents, IN_FLIGHT, async (document) => {
      const res = await post(publicUrl, document);
      expect(res.status, document.slice(0, 80)).toBeLessThan(500);
      // An answer with errors (a subgraph that timed out, say) would pass the search below without showing anything.
      expect(res.body.errors, document.slice(0, 80)).toBeUndefined();
      expect(leaked(res.text), document.slice(0, 80)).toEqual([]);
      if (res.body.data && Object.values(res.body.data).some((v) => v !== null)) answered += 1;
      checked += 1;
    });
    expect(checked).toBe(documents.length);
    expect(answered).toBeGreaterThan(documents.length / 2);
  }, 300_000);

  it("returns no personal value to 300 random documents built from the full graph's schema", async () => {
    const full = await post(new URL("graphql", stack.gatewayUrl).toString(), getIntrospectionQuery());
    const fullSchema = buildClientSchema(full.body.data as unknown as IntrospectionQuery);
    const args = { countyCode: '"08"', id: '"person-maarita-mannelin"', code: '"837"', months: "0" };
    const samples = fc.sample(fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), { numRuns: 300, seed: 20261204 });
    const outcomes = { answered: 0, refused: 0, leakingOnTheFullGraph: 0 };
    await forEachAtMost(samples, IN_FLIGHT, async (choices) => {
      const document = randomDocument(fullSchema, choices, args);
      // The same document on the full graph, as anonymous: shows the search would find names there.
      if (leaked((await post(new URL("graphql", stack.gatewayUrl).toString(), document)).text).length > 0) outcomes.leakingOnTheFullGraph += 1;
      const res = await post(publicUrl, document);
      expect(res.status, document).toBeLessThan(500);
      expect(leaked(res.text), document).toEqual([]);
      if (res.body.errors?.[0]?.extensions?.["code"] === "GRAPHQL_VALIDATION_FAILED") outcomes.refused += 1;
      else outcomes.answered += 1;
    });
    expect(outcomes.answered + outcomes.refused).toBe(samples.length);
    // Both kinds occur: documents the contract answers and documents asking for what it lacks.
    expect(outcomes.answered).toBeGreaterThan(30);
    expect(outcomes.refused).toBeGreaterThan(30);
    expect(outcomes.leakingOnTheFullGraph).toBeGreaterThan(0);
  }, 300_000);
});
