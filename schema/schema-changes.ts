import { Supergraph } from "@apollo/federation-internals";
import { CriticalityLevel, diff, type Change } from "@graphql-inspector/core";
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  lexicographicSortSchema,
  parse,
  printSchema,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type GraphQLNamedType,
  type GraphQLSchema,
} from "graphql";

/** Where the API schema of the last release is kept, and the API's changelog (relative to the repository root). */
export const RELEASED_API_FILE = "schema/released/api.graphql";
export const CHANGELOG_FILE = "schema/CHANGELOG.md";
/** Breaking changes accepted on purpose, each with its reason. */
export const ALLOWED_BREAKING_FILE = "schema/breaking-changes.json";

/** A breaking change accepted on purpose: the change's path (`Type.field`, `Type.field.argument`, `Enum.VALUE`, `Type`) and why. */
export interface AllowedBreakingChange {
  path: string;
  reason: string;
}

/** An operation clients run: a registered document or a view. */
export interface UsedOperation {
  name: string;
  /** Where it is written, e.g. `views/coverage-matrix.graphql`; named in a failure. */
  source: string;
  body: string;
}

/** The API schema clients see (no federation directives or join types), printed in a stable order. */
export function apiSchemaSdl(supergraphSdl: string): string {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  return `${printSchema(lexicographicSortSchema(api)).trimEnd()}\n`;
}

/**
 * The schema coordinates each operation depends on, by coordinate: the types
 * it touches, the fields it selects (`Type.field`), the arguments it passes
 * (`Type.field.arg`), every field of the input types its variables and
 * arguments take (`Input.field`), and every value of the enums it reads or
 * sends (`Enum.VALUE`).
 */
export function coordinatesUsed(schema: GraphQLSchema, operations: readonly UsedOperation[]): Map<string, Set<string>> {
  const used = new Map<string, Set<string>>();
  for (const op of operations) {
    const label = `${op.name} (${op.source})`;
    const add = (coordinate: string) => {
      let users = used.get(coordinate);
      if (!users) used.set(coordinate, (users = new Set()));
      users.add(label);
    };
    const seen = new Set<string>();
    const addType = (type: GraphQLNamedType) => {
      add(type.name);
      if (seen.has(type.name)) return;
      seen.add(type.name);
      if (isEnumType(type)) for (const value of type.getValues()) add(`${type.name}.${value.name}`);
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          add(`${type.name}.${field.name}`);
          addType(getNamedType(field.type));
        }
      }
    };
    const typeInfo = new TypeInfo(schema);
    visit(
      parse(op.body),
      visitWithTypeInfo(typeInfo, {
        VariableDefinition(node) {
          const type = typeFromAST(schema, node.type as never);
          if (type) addType(getNamedType(type));
        },
        Field(node) {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          if (!parent || !field || node.name.value.startsWith("__")) return;
          addType(parent);
          add(`${parent.name}.${field.name}`);
          addType(getNamedType(field.type));
          for (const argument of node.arguments ?? []) {
            const definition = field.args.find((a) => a.name === argument.name.value);
            if (!definition) continue;
            add(`${parent.name}.${field.name}.${definition.name}`);
            addType(getNamedType(definition.type));
          }
        },
      }),
    );
  }
  return used;
}

export interface BreakingChange {
  change: Change;
  /** The operations that use what the change breaks (they make it fail whatever the allowed list says). */
  usedBy: string[];
  /** The reason it is allowed, when it is listed and no operation uses it. */
  allowedBecause?: string;
}

export interface SchemaChangeReport {
  breaking: BreakingChange[];
  dangerous: Change[];
  safe: Change[];
  /** Why the change may not be released; empty when it may. */
  failures: string[];
}

/**
 * Compares the API schema with the released one (graphql-inspector's diff):
 * a breaking change fails when an operation uses what it breaks (naming the
 * operations) and otherwise unless it is allowed with a reason; dangerous
 * changes are reported, never fail.
 */
export async function checkSchemaChanges(input: {
  released: string;
  current: string;
  operations: readonly UsedOperation[];
  allowed?: readonly AllowedBreakingChange[];
}): Promise<SchemaChangeReport> {
  const released = buildSchema(input.released);
  const changes = await diff(released, buildSchema(input.current));
  const used = coordinatesUsed(released, input.operations);
  const usersOf = (path: string | undefined) => {
    if (!path) return [];
    const parts = path.split(".");
    // A change to an argument breaks the operations that select its field (a required argument added, a type changed).
    const coordinates = parts.length === 3 ? [path, parts.slice(0, 2).join(".")] : [path];
    return [...new Set(coordinates.flatMap((c) => [...(used.get(c) ?? [])]))].sort();
  };
  const report: SchemaChangeReport = { breaking: [], dangerous: [], safe: [], failures: [] };
  // A new field's description or deprecation is part of adding it, not a change of its own.
  const added = changes.filter((c) => /_ADDED$/.test(c.type) && !/DESCRIPTION|DEPRECATION|DIRECTIVE/.test(c.type) && c.path);
  const partOfAddition = (c: Change) =>
    c.criticality.level === CriticalityLevel.NonBreaking && added.some((a) => a !== c && c.path && (c.path === a.path || c.path.startsWith(`${a.path}.`)));
  for (const change of changes) {
    if (partOfAddition(change)) continue;
    if (change.criticality.level === CriticalityLevel.Dangerous) report.dangerous.push(change);
    if (change.criticality.level === CriticalityLevel.NonBreaking) report.safe.push(change);
    if (change.criticality.level !== CriticalityLevel.Breaking) continue;
    const usedBy = usersOf(change.path);
    const allowed = input.allowed?.find((a) => a.path === change.path && a.reason.trim() !== "");
    report.breaking.push({ change, usedBy, ...(allowed && usedBy.length === 0 ? { allowedBecause: allowed.reason } : {}) });
    if (usedBy.length > 0) {
      report.failures.push(`${change.message} (${change.path}): breaks ${usedBy.join(", ")}; change the operation first, then the schema`);
    } else if (!allowed) {
      report.failures.push(`${change.message} (${change.path}): breaking; list it with a reason in ${ALLOWED_BREAKING_FILE} if it is meant`);
    }
  }
  return report;
}

/** A changelog section for the changes of a report (none when nothing changed). */
export function changelogSection(date: string, report: SchemaChangeReport): string {
  const lines = (changes: readonly string[]) => changes.map((c) => `- ${c}`).join("\n");
  const parts: string[] = [];
  if (report.breaking.length > 0) {
    parts.push(`### Breaking\n\n${lines(report.breaking.map((b) => `${b.change.message}${b.allowedBecause ? ` — ${b.allowedBecause}` : ""}`))}`);
  }
  if (report.dangerous.length > 0) parts.push(`### Dangerous\n\n${lines(report.dangerous.map((c) => `${c.message}${c.criticality.reason ? ` (${c.criticality.reason})` : ""}`))}`);
  if (report.safe.length > 0) parts.push(`### Added and safe\n\n${lines(report.safe.map((c) => c.message))}`);
  return parts.length === 0 ? "" : `## ${date}\n\n${parts.join("\n\n")}\n`;
}

const CHANGELOG_HEADER = `# API changelog

Changes of the composed API schema, newest first, written by \`pnpm schema\`
from the differences between \`schema/released/api.graphql\` and the schema the
services compose (graphql-inspector). Breaking changes need a reason in
\`schema/breaking-changes.json\` and may not touch what a registered document
or a view uses (README, "Schema change checks").
`;

/** The changelog with a new section on top (the header kept). */
export function withChangelogSection(changelog: string | null, section: string): string {
  const body = (changelog ?? CHANGELOG_HEADER).replace(CHANGELOG_HEADER, "").trimStart();
  return `${CHANGELOG_HEADER}\n${section}${body ? `\n${body}` : ""}`.trimEnd() + "\n";
}

export interface ReleaseStep {
  /** Files to write (root-relative path → content): the new snapshot and changelog when the change may be released. */
  files: Record<string, string>;
  report: SchemaChangeReport | null;
}

/**
 * What `pnpm schema` does with the composed API schema: nothing when it is
 * the released one; the snapshot alone the first time; otherwise the checked
 * change, with the new snapshot and a changelog section unless it fails.
 * `read` gives a committed file's text (null when absent).
 */
export async function releaseStep(input: {
  api: string;
  operations: readonly UsedOperation[];
  read: (file: string) => Promise<string | null>;
  date: string;
}): Promise<ReleaseStep> {
  const released = await input.read(RELEASED_API_FILE);
  if (released === input.api) return { files: {}, report: null };
  if (released === null) {
    const first = `## ${input.date}\n\nFirst snapshot of the API schema (\`${RELEASED_API_FILE}\`): later sections list changes against it.\n`;
    return { files: { [RELEASED_API_FILE]: input.api, [CHANGELOG_FILE]: withChangelogSection(await input.read(CHANGELOG_FILE), first) }, report: null };
  }
  const allowed = JSON.parse((await input.read(ALLOWED_BREAKING_FILE)) ?? '{"allowed":[]}') as { allowed: AllowedBreakingChange[] };
  const report = await checkSchemaChanges({ released, current: input.api, operations: input.operations, allowed: allowed.allowed });
  if (report.failures.length > 0) return { files: {}, report };
  return {
    files: {
      [RELEASED_API_FILE]: input.api,
      [CHANGELOG_FILE]: withChangelogSection(await input.read(CHANGELOG_FILE), changelogSection(input.date, report)),
    },
    report,
  };
}
