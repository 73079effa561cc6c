import { fileURLToPath } from "node:url";
import madge from "madge";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Every source folder that holds runtime code: a cycle between any two modules fails. */
const SOURCES = ["services/organisations/src", "services/groups/src", "services/planning/src", "packages/core/src", "packages/stack/src", "packages/web/src", "gateway/src"];

describe("module graph", () => {
  it("has no import cycles (type-only imports included)", async () => {
    const graph = await madge(SOURCES.map((dir) => `${root}${dir}`), {
      baseDir: root,
      fileExtensions: ["ts"],
      excludeRegExp: [/\.test\.ts$/],
    });
    // Guard against a graph madge could not resolve: the core entry point reaches its modules.
    expect(graph.obj()["packages/core/src/index.ts"]).toContain("packages/core/src/service.ts");
    expect(graph.circular()).toEqual([]);
  });
});
