import { describe, expect, it } from "vitest";
import { composeSupergraph, printReorderedServiceSdl, printServiceSdl, readCheckedIn, SUBGRAPHS } from "./compose.ts";

describe("checked-in schema", () => {
  it("matches what the services produce and composes without errors", async () => {
    const sdls = Object.fromEntries(
      await Promise.all(SUBGRAPHS.map(async ({ name }) => [name, await printServiceSdl(name)] as const)),
    );
    for (const { name } of SUBGRAPHS) {
      expect(await readCheckedIn(`${name}.graphql`), `schema/${name}.graphql is stale: run pnpm schema`).toBe(sdls[name]);
    }
    expect(await readCheckedIn("supergraph.graphql"), "schema/supergraph.graphql is stale: run pnpm schema").toBe(
      composeSupergraph(sdls),
    );
    // Three tsx processes print the SDL; on a busy two-core machine that alone can take a minute.
  }, 180_000);

  it("does not depend on module import order or resolver order", async () => {
    const reordered = await Promise.all(SUBGRAPHS.map(async ({ name }) => [name, await printReorderedServiceSdl(name)] as const));
    for (const [name, sdl] of reordered) {
      expect(sdl, `schema/${name}.graphql changes when modules load in another order`).toBe(await readCheckedIn(`${name}.graphql`));
    }
  }, 180_000);

  it("reports composition errors", () => {
    const broken = {
      organisations: 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { a: Int }\ntype Municipality @key(fields: "code") { code: ID! }',
      groups: 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { b: Int }\ntype Municipality @key(fields: "code") { code: String! }',
      planning: 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\ntype Query { c: Int }',
    };
    expect(() => composeSupergraph(broken)).toThrow(/Composition failed/);
  });
});
