import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { root } from "./compose.ts";
import { apiSchemaSdl } from "./schema-changes.ts";
import { TYPED_VIEWS_FILE, typedViewsText } from "./typed-views.ts";

describe("typed views", () => {
  it("are current: views/generated.ts is what pnpm schema writes from the views and the checked-in supergraph", async () => {
    const generated = await typedViewsText(apiSchemaSdl(await readFile(`${root}schema/supergraph.graphql`, "utf8")));
    expect(await readFile(`${root}${TYPED_VIEWS_FILE}`, "utf8"), `${TYPED_VIEWS_FILE} is stale: run pnpm schema`).toBe(generated);
    // Every view is typed by name, and no field of any view falls back to `any`.
    expect(generated).toMatch(/export interface ViewResults \{\n {2}"partnership-groups-by-municipality": PartnershipGroupsByMunicipalityQuery;/);
    expect(generated).toContain("export const CoverageMatrixDocument = ");
    expect(generated).not.toMatch(/\bany\b/);
  }, 60_000);
});
