import { readFile } from "node:fs/promises";
import { parse, print, visit, type DocumentNode, type EnumTypeDefinitionNode, type ObjectTypeDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { root } from "./compose.ts";
import {
  ALLOWED_BREAKING_FILE,
  apiSchemaSdl,
  changelogSection,
  CHANGELOG_FILE,
  checkSchemaChanges,
  releaseStep,
  RELEASED_API_FILE,
  withChangelogSection,
  type AllowedBreakingChange,
  type UsedOperation,
} from "./schema-changes.ts";
import { MANIFEST_FILE } from "./trusted-documents.ts";

const released = await readFile(`${root}${RELEASED_API_FILE}`, "utf8");
const operations = (JSON.parse(await readFile(`${root}${MANIFEST_FILE}`, "utf8")) as { operations: UsedOperation[] }).operations;

/** The released API schema with `edit` applied to its document. */
function edited(edit: (document: DocumentNode) => DocumentNode): string {
  return print(edit(parse(released)));
}

const withoutField = (type: string, field: string) =>
  edited((document) =>
    visit(document, {
      ObjectTypeDefinition: (node) => (node.name.value === type ? { ...node, fields: node.fields?.filter((f) => f.name.value !== field) } : undefined),
    }),
  );

const withField = (type: string, field: string) =>
  edited((document) => {
    const extra = (parse(`type X { """A new field.""" ${field}: String }`).definitions[0] as ObjectTypeDefinitionNode).fields ?? [];
    return visit(document, {
      ObjectTypeDefinition: (node) => (node.name.value === type ? { ...node, fields: [...(node.fields ?? []), ...extra] } : undefined),
    });
  });

describe("schema change check", () => {
  it("the committed supergraph's API schema is the released one: pnpm schema released it, so no change breaks what a view uses", async () => {
    const api = apiSchemaSdl(await readFile(`${root}schema/supergraph.graphql`, "utf8"));
    if (api !== released) {
      // What pnpm schema refused to release, named as it names it.
      const allowed = (JSON.parse(await readFile(`${root}${ALLOWED_BREAKING_FILE}`, "utf8")) as { allowed: AllowedBreakingChange[] }).allowed;
      expect((await checkSchemaChanges({ released, current: api, operations, allowed })).failures).toEqual([]);
    }
    expect(api, `${RELEASED_API_FILE} is not the committed supergraph's API schema: run pnpm schema`).toBe(released);
  });

  it("fails on removing a field a view uses, naming the view, even when the removal is listed as allowed", async () => {
    const current = withoutField("Municipality", "groupCoverage");
    const report = await checkSchemaChanges({
      released,
      current,
      operations,
      allowed: [{ path: "Municipality.groupCoverage", reason: "replaced" }],
    });
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]).toContain("Municipality.groupCoverage");
    expect(report.failures[0]).toContain("CoverageMatrix (views/coverage-matrix.graphql)");
    expect(report.breaking[0]?.usedBy).toContain("CoverageMatrix (views/coverage-matrix.graphql)");
  });

  it("fails on an argument a view passes being removed, naming the view", async () => {
    const current = edited((document) =>
      visit(document, {
        FieldDefinition: (node) => (node.name.value === "groupCoverage" ? { ...node, arguments: [] } : undefined),
      }),
    );
    const report = await checkSchemaChanges({ released, current, operations });
    expect(report.failures.join("\n")).toContain("views/coverage-matrix.graphql");
  });

  it("fails on removing a field no operation uses unless it is allowed with a reason, which the changelog gives", async () => {
    const unused = withoutField("Query", "grantProgramme");
    const refused = await checkSchemaChanges({ released, current: unused, operations });
    expect(refused.failures).toHaveLength(1);
    expect(refused.failures[0]).toContain("schema/breaking-changes.json");
    expect(refused.breaking[0]?.usedBy).toEqual([]);
    const allowed = await checkSchemaChanges({ released, current: unused, operations, allowed: [{ path: "Query.grantProgramme", reason: "replaced by the grants API" }] });
    expect(allowed.failures).toEqual([]);
    expect(changelogSection("2026-12-04", allowed)).toContain("### Breaking\n\n- Field 'grantProgramme' was removed from object type 'Query' — replaced by the grants API");
  });

  it("passes on adding a field and lists it for the changelog", async () => {
    const report = await checkSchemaChanges({ released, current: withField("Municipality", "population"), operations });
    expect(report.failures).toEqual([]);
    expect(report.breaking).toEqual([]);
    const section = changelogSection("2026-12-04", report);
    expect(section).toBe("## 2026-12-04\n\n### Added and safe\n\n- Field 'population' was added to object type 'Municipality'\n");
    const changelog = withChangelogSection(withChangelogSection(null, "## 2026-12-01\n\n### Added and safe\n\n- Older\n"), section);
    expect(changelog.indexOf("## 2026-12-04")).toBeLessThan(changelog.indexOf("## 2026-12-01"));
    expect(changelog).toMatch(/^# API changelog\n/);
  });

  it("reports a dangerous change without failing", async () => {
    const current = edited((document) =>
      visit(document, {
        EnumTypeDefinition: (node) =>
          node.name.value === "MeetingKind" ? { ...node, values: [...(node.values ?? []), ...((parse("enum X { NEW_KIND }").definitions[0] as EnumTypeDefinitionNode).values ?? [])] } : undefined,
      }),
    );
    const report = await checkSchemaChanges({ released, current, operations });
    expect(report.failures).toEqual([]);
    expect(report.dangerous.map((c) => c.message)).toEqual(["Enum value 'NEW_KIND' was added to enum 'MeetingKind'"]);
  });

  it("pnpm schema's step: refuses a removal a view uses, and releases an added field with a changelog section", async () => {
    const committed: Record<string, string> = { [RELEASED_API_FILE]: released, [CHANGELOG_FILE]: withChangelogSection(null, "## 2026-01-01\n\n### Added and safe\n\n- Older\n") };
    const read = async (file: string) => committed[file] ?? null;
    const removed = await releaseStep({ api: withoutField("WellbeingServicesCounty", "themes"), operations, read, date: "2026-12-04" });
    expect(removed.files).toEqual({});
    expect(removed.report?.failures.join("\n")).toContain("CoverageMatrix (views/coverage-matrix.graphql)");
    const added = await releaseStep({ api: withField("Municipality", "population"), operations, read, date: "2026-12-04" });
    expect(added.report?.failures).toEqual([]);
    expect(added.files[RELEASED_API_FILE]).toContain("population: String");
    expect(added.files[CHANGELOG_FILE]).toContain("## 2026-12-04\n\n### Added and safe\n\n- Field 'population' was added to object type 'Municipality'\n\n## 2026-01-01");
    expect(await releaseStep({ api: released, operations, read, date: "2026-12-04" })).toEqual({ files: {}, report: null });
  });
});
