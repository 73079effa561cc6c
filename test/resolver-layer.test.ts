import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resolverLayerViolations, serviceSources } from "./source-rules.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

describe("resolver layer (docs/DEVELOPING.md: rules beside the entity, resolvers thin)", () => {
  it("catches a resolver importing another resolver, however the path is written", () => {
    const files = [
      { path: "services/groups/src/seat/seat.resolver.ts", text: 'import { membershipDay } from "../group/group.resolver.ts";\n' },
      { path: "services/groups/src/a/a.resolver.ts", text: 'import type { X } from "./b.resolver";\nexport { Y } from "../c/c.resolver.ts";\n' },
      { path: "services/groups/src/d/d.resolver.ts", text: 'const m = await import("../e/e.resolver.ts");\n' },
    ];
    expect(resolverLayerViolations(files).map((v) => `${v.path}:${v.line} ${v.text}`)).toEqual([
      "services/groups/src/seat/seat.resolver.ts:1 imports services/groups/src/group/group.resolver.ts",
      "services/groups/src/a/a.resolver.ts:1 imports services/groups/src/a/b.resolver",
      "services/groups/src/a/a.resolver.ts:2 imports services/groups/src/c/c.resolver.ts",
      "services/groups/src/d/d.resolver.ts:1 imports services/groups/src/e/e.resolver.ts",
    ]);
  });

  it("catches a resolver file exporting a function other features would import", () => {
    const files = [{ path: "services/x/src/g/g.resolver.ts", text: 'import { rule } from "./g.rules.ts";\n\nexport async function lockGroupFor() {}\nexport const ref = {};\n' }];
    expect(resolverLayerViolations(files)).toEqual([{ path: "services/x/src/g/g.resolver.ts", line: 3, rule: "resolver exports a function", text: "exports function lockGroupFor" }]);
  });

  it("lets resolvers import rules, loaders, entities and inputs, and others import resolvers", () => {
    const files = [
      { path: "services/g/src/a/a.resolver.ts", text: 'import { lockGroupFor } from "../group/group.rules.ts";\nimport { A } from "./a.entity.ts";\nimport { resolverless } from "./resolver-helpers.ts";\n' },
      { path: "services/g/src/service.ts", text: 'import { AResolver } from "./a/a.resolver.ts";\n' },
    ];
    expect(resolverLayerViolations(files)).toEqual([]);
  });

  it("holds in every service", () => {
    const files = serviceSources(root);
    // Guard against a scan that found nothing: the groups service's resolvers are read.
    expect(files.map((f) => f.path)).toContain("services/groups/src/coordination/coordination.resolver.ts");
    expect(resolverLayerViolations(files)).toEqual([]);
  });
});
