import { once } from "node:events";
import type { Writable } from "node:stream";
import { stringify } from "csv-stringify";
import { Kind, parse, print, visit, type FieldNode } from "graphql";
import { viewDocument, type ViewName, type ViewResult } from "@yhdyspinta/views";
import { columnsFor, VIEW_EXPORTS, type Column, type Row, type ViewExport } from "./columns.ts";
import { HttpRouteError } from "../http-routes.ts";
import { dataOrThrow, type GraphQLExecutor } from "../loopback-graphql.ts";
import { municipalityPages } from "./paging.ts";

export type ExportFormat = "csv" | "json";

/**
 * The committed view document, with `email` and `phone` asked of every
 * `person` when the caller may read contacts (the API checks the scope again).
 */
export function exportDocument(view: ViewName, withContacts: boolean): string {
  const document = viewDocument(view);
  if (!withContacts) return document;
  const contactField = (name: string): FieldNode => ({ kind: Kind.FIELD, name: { kind: Kind.NAME, value: name } });
  return print(
    visit(parse(document), {
      Field(node) {
        if (node.name.value !== "person" || !node.selectionSet) return undefined;
        return { ...node, selectionSet: { ...node.selectionSet, selections: [...node.selectionSet.selections, contactField("email"), contactField("phone")] } };
      },
    }),
  );
}

/**
 * The rows of a view for these variables, page by page for a paged view (by
 * cursor, or a few municipalities at a time, see paging.ts), so that only a
 * page's answer of the API is held at a time.
 */
export async function* viewRows(
  execute: GraphQLExecutor,
  view: ViewName,
  variables: Record<string, unknown>,
  withContacts: boolean,
): AsyncGenerator<Row> {
  // The answers are the view's (exportDocument adds only contact fields), typed as views/generated.ts has them.
  const definition: ViewExport = VIEW_EXPORTS[view];
  const document = exportDocument(view, withContacts);
  if (definition.municipalityPaging) {
    for await (const data of municipalityPages<ViewResult<ViewName>>(execute, document, definition.municipalityPaging, variables)) {
      yield* definition.rows(data, variables);
    }
    return;
  }
  let pageVariables = variables;
  for (;;) {
    const data = dataOrThrow(await execute<ViewResult<ViewName>>(document, pageVariables), pageVariables);
    if ("county" in data && data.county === null) {
      throw new HttpRouteError(404, `No county with code "${String(variables["countyCode"])}"`, "countyCode");
    }
    yield* definition.rows(data, variables);
    const cursor = definition.nextCursor?.(data) ?? null;
    if (cursor === null) return;
    pageVariables = { ...pageVariables, after: cursor };
  }
}

async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, "drain");
}

/**
 * What a spreadsheet reads as a formula at the start of a cell (OWASP "CSV
 * injection"): `=`, `+`, `-`, `@`, TAB and CR.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell as a spreadsheet shows it without running it: one starting
 * with a formula character gets a leading apostrophe (OWASP), which Excel and
 * LibreOffice read as "this is text". Only text (`string` columns): numbers,
 * booleans, dates and times are the API's own typed values, so a negative
 * count stays a number. JSON exports carry the values unchanged.
 */
export function spreadsheetText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cellText(value: Row[string] | undefined, column: Column): string {
  if (value === null || value === undefined) return "";
  if (column.type === "string" && typeof value === "string") return spreadsheetText(value);
  return String(value);
}

/**
 * Writes rows as CSV (RFC 4180: CRLF, quotes doubled, header row in the
 * dictionary's order) or as a JSON array of objects, honouring backpressure.
 * `excel`: `;` separators and a UTF-8 BOM, as Finnish Excel opens them.
 * A CSV cell holding the separator, a quote or any line break (also a bare
 * LF or CR, which csv-stringify quotes only as part of the CRLF record
 * delimiter) is quoted; text cells are neutralised against formulas
 * (`spreadsheetText`).
 */
export async function writeRows(
  rows: AsyncIterable<Row>,
  columns: Column[],
  format: ExportFormat,
  out: Writable,
  options: { excel?: boolean } = {},
): Promise<number> {
  let count = 0;
  if (format === "json") {
    await write(out, "[");
    for await (const row of rows) {
      const ordered = Object.fromEntries(columns.map((c) => [c.name, row[c.name] ?? null]));
      await write(out, `${count === 0 ? "\n" : ",\n"}${JSON.stringify(ordered)}`);
      count++;
    }
    await write(out, count === 0 ? "]\n" : "\n]\n");
    return count;
  }
  const stringifier = stringify({
    header: true,
    columns: columns.map((c) => c.name),
    delimiter: options.excel ? ";" : ",",
    bom: options.excel ?? false,
    record_delimiter: "windows",
    quoted_match: /[\r\n]/,
  });
  stringifier.pipe(out, { end: false });
  const finished = once(stringifier, "end");
  for await (const row of rows) {
    const record = columns.map((c) => cellText(row[c.name], c));
    if (!stringifier.write(record)) await once(stringifier, "drain");
    count++;
  }
  stringifier.end();
  await finished;
  return count;
}
