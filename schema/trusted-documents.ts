import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { addTypenameToDocument } from "@apollo/client/utilities";
import { Kind, parse, print, type DocumentNode } from "graphql";
import { VIEW_NAMES, viewDocument } from "../views/index.ts";
import { exportDocument } from "../gateway/src/exports/export.ts";
import { VIEW_EXPORTS } from "../gateway/src/exports/columns.ts";
import { MUNICIPALITIES_PER_PAGE, outlineDocument, pageDocument } from "../gateway/src/exports/paging.ts";
import { root } from "./compose.ts";

/** One registered operation, in Apollo's persisted query manifest format plus where it comes from. */
export interface TrustedOperation {
  /** sha256 (hex) of `body`: the `persistedQuery.sha256Hash` and the `/graphql/<id>` path. */
  id: string;
  name: string;
  type: "query" | "mutation" | "subscription";
  /** The document as Apollo Client sends it (graphql-js `print`, with `__typename` in every selection set). */
  body: string;
  /** The file it is written in (`views/coverage-matrix.graphql`), or the exports' variant it is. */
  source: string;
}

export interface TrustedDocumentManifest {
  format: "apollo-persisted-query-manifest";
  version: 1;
  operations: TrustedOperation[];
}

/** Where the manifest is committed (next to the views, which the gateway image carries). */
export const MANIFEST_FILE = "views/trusted-documents.json";

/** Directories whose TypeScript holds operations the project's own code sends: the dashboard, the explorer's examples, exports and calendar feeds. */
const CODE_DIRS = ["packages/web/browser", "gateway/src"];

function operationOf(document: DocumentNode): { name: string; type: TrustedOperation["type"] } | null {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return operation?.name ? { name: operation.name.value, type: operation.operation } : null;
}

function entry(text: string, source: string): TrustedOperation {
  const document = parse(text);
  const operation = operationOf(document);
  if (!operation) throw new Error(`${source}: a registered document needs a named operation`);
  // The body Apollo Client's InMemoryCache and PersistedQueryLink produce from the text, so that its hash is the id.
  const body = print(addTypenameToDocument(document));
  return { id: createHash("sha256").update(body).digest("hex"), ...operation, body, source };
}

/**
 * GraphQL operations written as string literals in TypeScript sources: a
 * template or quoted literal that starts with `query Name`/`mutation Name`
 * and parses. `${NAME}` in a template is replaced by the same file's
 * `const NAME = "…"` (the calendar feeds share their field list so).
 */
export function operationsInSource(source: string): string[] {
  const constants = new Map<string, string>();
  for (const m of source.matchAll(/const (\w+) = (?:"([^"\\]*)"|`([^`$\\]*)`);/g)) constants.set(m[1]!, m[2] ?? m[3] ?? "");
  const found: string[] = [];
  for (const m of source.matchAll(/`((?:query|mutation) \w+[^`]*)`/g)) {
    const text = m[1]!.replace(/\$\{(\w+)\}/g, (whole, name: string) => constants.get(name) ?? whole);
    if (text.includes("${")) continue;
    try {
      if (operationOf(parse(text))) found.push(text);
    } catch {
      // Not GraphQL (an error message that starts with "query …").
    }
  }
  return found;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(`${root}${dir}`, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && !e.name.endsWith(".d.ts"))
    .map((e) => `${e.parentPath.slice(root.length)}/${e.name}`.replace(/\/+/g, "/"))
    .sort();
}

/**
 * Every operation the project registers: the six views, the operations in the
 * dashboard's and the gateway's own code, and the documents the exports derive
 * from the views (with contacts, and a paged view's outline and pages of 1 to
 * MUNICIPALITIES_PER_PAGE municipalities), in that order; the same body
 * from two places is listed once, under the first.
 */
export async function buildManifest(): Promise<TrustedDocumentManifest> {
  const operations: TrustedOperation[] = [];
  for (const view of VIEW_NAMES) operations.push(entry(viewDocument(view), `views/${view}.graphql`));
  for (const dir of CODE_DIRS) {
    for (const file of await sourceFiles(dir)) {
      for (const text of operationsInSource(await readFile(`${root}${file}`, "utf8"))) operations.push(entry(text, file));
    }
  }
  for (const view of VIEW_NAMES) {
    for (const withContacts of [false, true]) {
      const variant = withContacts ? "with contacts" : "without contacts";
      const document = exportDocument(view, withContacts);
      operations.push(entry(document, `exports: ${view} ${variant}`));
      const paging = VIEW_EXPORTS[view].municipalityPaging;
      if (!paging) continue;
      operations.push(entry(outlineDocument(document, paging), `exports: ${view} ${variant}, outline`));
      for (let size = 1; size <= MUNICIPALITIES_PER_PAGE; size++) {
        operations.push(entry(pageDocument(document, paging, size), `exports: ${view} ${variant}, page of ${size}`));
      }
    }
  }
  const seen = new Set<string>();
  const unique = operations.filter((op) => !seen.has(op.id) && seen.add(op.id));
  return { format: "apollo-persisted-query-manifest", version: 1, operations: unique };
}

export function manifestText(manifest: TrustedDocumentManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
