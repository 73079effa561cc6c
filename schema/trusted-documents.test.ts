import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { root } from "./compose.ts";
import { buildManifest, MANIFEST_FILE, manifestText, operationsInSource } from "./trusted-documents.ts";

describe("trusted documents manifest", () => {
  it("is current: views/trusted-documents.json is what pnpm schema writes", async () => {
    const built = manifestText(await buildManifest());
    expect(await readFile(`${root}${MANIFEST_FILE}`, "utf8"), `${MANIFEST_FILE} is stale: run pnpm schema`).toBe(built);
    const sources = JSON.parse(built).operations.map((op: { source: string }) => op.source);
    expect(sources).toEqual(expect.arrayContaining(["views/coverage-matrix.graphql", "packages/web/browser/dashboard/main.ts", "gateway/src/calendar/routes.ts"]));
  }, 60_000);

  it("finds operations in source literals, filling in the file's string constants", () => {
    const source = [
      'const FIELDS = "id name";',
      "const A = `query A($id: ID!) { group(id: $id) { ${FIELDS} } }`;",
      "const B = `query about ${unknown}`;",
      "const C = `not GraphQL`;",
      "const D = `mutation D { x }`;",
    ].join("\n");
    expect(operationsInSource(source)).toEqual(["query A($id: ID!) { group(id: $id) { id name } }", "mutation D { x }"]);
  });
});
