import { readFileSync } from "node:fs";
import { buildSchema, getIntrospectionQuery, Kind, parse, specifiedRules, validate, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { GATEWAY_LIMITS, measureOperation, operationLimitRules } from "@yhdyspinta/core";
import { VIEW_NAMES, viewDocument } from "../../views/index.ts";
import { aliasBomb, depthBomb, fragmentBomb } from "../../test/attacks.ts";

const schema = buildSchema(readFileSync(new URL("../../schema/supergraph.graphql", import.meta.url), "utf8"));

function measure(source: string, stop = false) {
  const document = parse(source);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return measureOperation(schema, operation, fragments, GATEWAY_LIMITS, stop ? GATEWAY_LIMITS : undefined);
}

describe("operation limits", () => {
  it("let every committed view through with headroom (README, Operation limits)", () => {
    for (const name of VIEW_NAMES) {
      const errors = validate(schema, parse(viewDocument(name)), operationLimitRules(GATEWAY_LIMITS));
      expect(errors, name).toEqual([]);
      const { depth, cost, fields } = measure(viewDocument(name));
      expect(depth, name).toBeLessThanOrEqual(GATEWAY_LIMITS.maxDepth - 3);
      expect(cost, name).toBeLessThanOrEqual(GATEWAY_LIMITS.maxCost / 3);
      expect(fields, name).toBeLessThanOrEqual(GATEWAY_LIMITS.maxFields / 10);
      console.log(`${name}: depth ${depth}, cost ${cost}, fields ${fields}`);
    }
  });

  it("refuse a depth bomb naming the limit and the measured depth", () => {
    const errors = validate(schema, parse(depthBomb(12)), operationLimitRules(GATEWAY_LIMITS));
    const depth = errors.find((e) => e.extensions["limit"] === "maxDepth");
    expect(depth?.message).toMatch(/depth 1[23] exceeds the limit of 10/);
    expect(errors.some((e) => e.extensions["limit"] === "maxCost")).toBe(true);
  });

  it("multiply the cost by `first` and by list arguments", () => {
    const small = measure(`{ cooperationGroups(first: 5) { edges { node { id } } } }`).cost;
    const large = measure(`{ cooperationGroups(first: 500) { edges { node { id } } } }`).cost;
    expect(large).toBeGreaterThan(small * 50);
    const two = measure(`{ counties(codes: ["14", "08"]) { code } }`).cost;
    const all = measure(`{ counties { code } }`).cost;
    expect(all).toBeGreaterThan(two * 5);
  });

  it("refuse too many aliases and directives, and cyclic or repeated fragments stay cheap to measure", () => {
    const errors = validate(schema, parse(aliasBomb(500)), operationLimitRules(GATEWAY_LIMITS));
    expect(errors.map((e) => e.message)).toContain("Operation aliases 500 exceeds the limit of 30 (maxAliases)");
    const directives = `{ counties { ${Array.from({ length: 40 }, () => "code @include(if: true)").join(" ")} } }`;
    expect(validate(schema, parse(directives), operationLimitRules(GATEWAY_LIMITS)).map((e) => e.extensions["limit"])).toContain(
      "maxDirectives",
    );
    // 30 fragments each spreading the next twice: 2^30 paths, measured once per fragment
    // (walking every path would not end within the test's timeout).
    const chain = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Municipality { code ...F${i + 1} ...F${i + 1} }`).join("\n");
    const { cost } = measure(`{ municipality(code: "167") { ...F0 } }\n${chain}\nfragment F30 on Municipality { code }`);
    expect(cost).toBeGreaterThan(GATEWAY_LIMITS.maxCost);
  });

  it("count fragments as executed, `__typename` included, and stop counting at the limit", () => {
    // Each fragment selects one field and spreads the next twice: level n executes 2^(n+1) - 1 fields.
    for (const field of ["__typename", "nameFi"]) {
      const small = measure(fragmentBomb(8, field));
      expect(small.fields, field).toBe(2 ** 9 - 1 + 1);
      expect(small.cost, field).toBe(2 ** 9 - 1 + 1);
      const errors = validate(schema, parse(fragmentBomb(20, field)), operationLimitRules(GATEWAY_LIMITS));
      const fields = errors.find((e) => e.extensions["limit"] === "maxFields");
      expect(fields?.message, field).toMatch(/^Operation fields \(fragments expanded\) exceeds the limit of 3000 \(maxFields\)/);
      expect(fields?.extensions["code"]).toBe("GRAPHQL_VALIDATION_FAILED");
    }
    // The check's own work stays within the document's selections however deep the chain goes
    // (2^280 fields as executed), and stops once the limit is passed.
    for (const levels of [20, 280]) {
      const bomb = fragmentBomb(levels, "__typename");
      const selections = (bomb.match(/__typename|\.\.\.|county/g) ?? []).length;
      const full = measure(bomb);
      expect(full.work).toBeLessThanOrEqual(selections);
      expect(full.fields).toBeGreaterThan(2 ** levels);
      const stopped = measure(bomb, true);
      expect(stopped.stoppedAt).toBe("maxFields");
      expect(stopped.work).toBeLessThanOrEqual(full.work);
      expect(validate(schema, parse(bomb), [...specifiedRules, ...operationLimitRules(GATEWAY_LIMITS)]).length).toBeGreaterThan(0);
    }
  });

  it("measure a fragment anew under each page size it is spread under", () => {
    const query = `{ a: cooperationGroups(first: 1) { ...G } b: cooperationGroups(first: 500) { ...G } }
      fragment G on CooperationGroupConnection { edges { node { id } } }`;
    const once = measure(`{ b: cooperationGroups(first: 500) { edges { node { id } } } }`).cost;
    expect(measure(query).cost).toBeGreaterThanOrEqual(once);
  });

  it("let GraphiQL's introspection query through", () => {
    expect(validate(schema, parse(getIntrospectionQuery()), operationLimitRules(GATEWAY_LIMITS))).toEqual([]);
    const { cost, fields } = measure(getIntrospectionQuery());
    console.log(`introspection: cost ${cost}, fields ${fields}`);
  });
});
