import type { IncomingMessage, ServerResponse } from "node:http";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import {
  canWriteCounty,
  IMPORT_REPORT_HEADER,
  importRequestLines,
  Scope,
  sendJson,
  signViewer,
  VIEWER_HEADER,
  ViewerRole,
  writeAll,
  type ImportRow,
  type RowProblem,
  type Routes,
  type Viewer,
} from "@yhdyspinta/core";
import { spreadsheetText } from "../exports/export.ts";
import { HttpRouteError, sendHttpError, viewerOf, type HttpRouteOptions } from "../http-routes.ts";
import { IMPORT_KIND_NAMES, IMPORT_KINDS, isImportKind, templateHeader, type ImportKind } from "./kinds.ts";
import { IMPORT_LIMITS, ImportFileError, parseImportFile } from "./parse.ts";
import { resolvePlanningReferences } from "./planning-resolve.ts";

export interface ImportRouteOptions extends HttpRouteOptions {
  subgraphUrls: Readonly<Record<string, string>>;
  internalAuthSecret: string;
}

/** A kind's template: Finnish / English headers and one example row, as Finnish Excel opens it (BOM, `;`). */
export function templateCsv(kind: ImportKind): string {
  const header = kind.columns.map(templateHeader);
  const example = kind.columns.map((c) => spreadsheetText(c.example));
  return `\uFEFF${stringify([header, example], { delimiter: ";", record_delimiter: "windows" })}`;
}

/** A kind's template as an XLSX workbook: the headers and example row on the first sheet, the column guide on the second. */
export async function templateXlsx(kind: ImportKind): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(kind.fi);
  sheet.addRow(kind.columns.map(templateHeader));
  sheet.addRow(kind.columns.map((c) => c.example));
  sheet.getRow(1).font = { bold: true };
  const guide = book.addWorksheet("Ohje - Guide");
  guide.addRow(["Sarake / Column", "Pakollinen / Required", "Ohje / Guide"]);
  for (const c of kind.columns) guide.addRow([templateHeader(c), c.required ? "x" : "", c.guide]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A kind's column guide (plain text, one column a line). */
export function templateGuide(kind: ImportKind): string {
  return [
    `${kind.name} (${kind.fi}): one row per record; CSV UTF-8, comma or semicolon separated; at most ${IMPORT_LIMITS.maxRows} rows and 20 MB.`,
    ...kind.columns.map((c) => `${templateHeader(c)}${c.required ? " (required)" : ""}: ${c.guide}`),
    "",
  ].join("\n");
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > IMPORT_LIMITS.maxBytes) throw new HttpRouteError(413, `the file is larger than ${IMPORT_LIMITS.maxBytes} bytes (20 MB); split it`, "file");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function postInternal(options: ImportRouteOptions, viewer: Viewer, subgraph: string, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const base = options.subgraphUrls[subgraph];
  if (!base) throw new HttpRouteError(503, `the ${subgraph} subgraph is not configured`);
  let response: Response;
  try {
    response = await fetch(new URL(path, base), {
      method: "POST",
      headers: { "content-type": "application/json", [VIEWER_HEADER]: await signViewer(viewer, options.internalAuthSecret) },
      body: JSON.stringify(body),
    });
  } catch {
    throw new HttpRouteError(503, `the ${subgraph} subgraph did not answer; nothing of this file was applied there unless a report said so, and importing the file again completes it`);
  }
  const json = (await response.json().catch(() => null)) as unknown;
  if (response.status >= 500 || json === null) {
    throw new HttpRouteError(503, `the ${subgraph} subgraph failed (status ${response.status}); its transaction was rolled back, import the file again`);
  }
  return { status: response.status, json };
}

async function getInternal(options: ImportRouteOptions, viewer: Viewer, subgraph: string, path: string): Promise<{ status: number; json: unknown }> {
  const base = options.subgraphUrls[subgraph];
  if (!base) throw new HttpRouteError(503, `the ${subgraph} subgraph is not configured`);
  const response = await fetch(new URL(path, base), { headers: { [VIEWER_HEADER]: await signViewer(viewer, options.internalAuthSecret) } }).catch(() => {
    throw new HttpRouteError(503, `the ${subgraph} subgraph did not answer`);
  });
  return { status: response.status, json: (await response.json().catch(() => ({}))) as unknown };
}

type Resolved = { id: string; countyCode?: string | null } | { problems: RowProblem[] };

/** The distinct items (by their JSON) and, for each item, the index of its distinct one. */
function distinct<T>(items: T[]): [T[], number[]] {
  const seen = new Map<string, number>();
  const unique: T[] = [];
  const at = items.map((item) => {
    const key = JSON.stringify(item);
    let i = seen.get(key);
    if (i === undefined) {
      seen.set(key, (i = unique.length));
      unique.push(item);
    }
    return i;
  });
  return [unique, at];
}

/**
 * For memberships and nominations: the ids behind the organisations and people a row names
 * (by business ID or name, by e-mail or name within the organisation); for
 * seats, and a membership's seat columns, the organisation (business ID or
 * name), municipality (code or name) and association category (name) of
 * a seat's constituency,
 * asked of the organisations subgraph in one request, and the member a
 * deputy stands in for (the row of this file with that person in the same
 * group). A row whose keys do not resolve carries its problems
 * (`__problems`) and is refused by the subgraph like a row breaking a rule.
 */
async function resolveReferences(options: ImportRouteOptions, viewer: Viewer, kind: ImportKind, rows: ImportRow[]): Promise<void> {
  if (kind.name !== "memberships" && kind.name !== "nominations" && kind.name !== "seats") return;
  const organisation = (v: Record<string, string>) => ({
    text: v["organisation"] ?? "",
    column: "organisation",
    ...(v["municipality"]?.trim() ? { municipality: v["municipality"], municipalityColumn: "municipality" } : {}),
    countyCode: v["county"]?.trim() || null,
  });
  // A seat's constituency (seats: its own columns; memberships: the seat columns): each non-empty cell, with the row and the key it fills.
  const constituency = {
    seats: { organisation: ["organisation", "organisationId"], municipality: ["municipality", "municipalityCode"], category: ["category", "categoryId"] },
    memberships: { organisation: ["seatOrganisation", "seatOrganisationId"], municipality: ["seatMunicipality", "seatMunicipalityCode"], category: ["seatCategory", "seatCategoryId"] },
  } as const;
  const seatKeys = kind.name === "seats" || kind.name === "memberships" ? constituency[kind.name] : null;
  const cells = (part: "organisation" | "municipality" | "category") => {
    if (!seatKeys) return [];
    const [column, key] = seatKeys[part];
    return rows.flatMap((r, i) => (r.values[column]?.trim() ? [{ i, column, key, text: r.values[column]!, countyCode: r.values["county"]?.trim() || null }] : []));
  };
  const seatOrganisations = cells("organisation");
  const seatMunicipalities = [...cells("municipality"), ...(kind.name === "memberships" ? rows.flatMap((r, i) => (r.values["municipality"]?.trim() ? [{ i, column: "municipality", key: "municipalityCode", text: r.values["municipality"]!, countyCode: null }] : [])) : [])];
  const seatCategories = cells("category");
  const rowOrganisations = kind.name === "seats" ? [] : rows.map((r) => organisation(r.values));
  const organisations = [...rowOrganisations, ...seatOrganisations.map((c) => ({ text: c.text, column: c.column, countyCode: c.countyCode }))];
  const people = kind.name === "seats" ? [] : rows.map((r) => ({ name: r.values["person"] ?? "", nameColumn: "person", ...(r.values["email"]?.trim() ? { email: r.values["email"], emailColumn: "email" } : {}), organisation: organisation(r.values) }));
  const municipalities = seatMunicipalities.map((c) => ({ text: c.text, column: c.column }));
  const categories = seatCategories.map((c) => ({ text: c.text, column: c.column, countyCode: c.countyCode }));
  // Each key asked once: a file names the same organisations and people on many rows.
  const [uniqueOrganisations, organisationAt] = distinct(organisations);
  const [uniquePeople, personAt] = distinct(people);
  const [uniqueMunicipalities, municipalityAt] = distinct(municipalities);
  const [uniqueCategories, categoryAt] = distinct(categories);
  const { status, json } = await postInternal(options, viewer, "organisations", "internal/import/resolve", {
    organisations: uniqueOrganisations,
    people: uniquePeople,
    municipalities: uniqueMunicipalities,
    categories: uniqueCategories,
  });
  if (status !== 200) throw new HttpRouteError(503, "the organisations subgraph could not resolve the file's organisations and people");
  const unique = json as { organisations: Resolved[]; people: Resolved[]; municipalities?: Resolved[]; categories?: Resolved[] };
  const answer = {
    organisations: organisationAt.map((i) => unique.organisations[i]),
    people: personAt.map((i) => unique.people[i]),
    municipalities: unique.municipalities && municipalityAt.map((i) => unique.municipalities![i]),
    categories: unique.categories && categoryAt.map((i) => unique.categories![i]),
  };
  const problemsOf = rows.map(() => [] as RowProblem[]);
  const take = (i: number, resolved: Resolved | undefined, key: string) => {
    if (!resolved) return;
    if ("problems" in resolved) problemsOf[i]!.push(...resolved.problems);
    else rows[i]!.values[key] = resolved.id;
  };
  for (const i of rowOrganisations.keys()) {
    take(i, answer.organisations[i], "organisationId");
    take(i, answer.people[i], "personId");
  }
  for (const [n, c] of seatOrganisations.entries()) take(c.i, answer.organisations[rowOrganisations.length + n], c.key);
  for (const [n, c] of seatMunicipalities.entries()) {
    // The membership's own municipality only narrows its organisation; as a seat key it is a hint, its problems are the organisation's.
    if (c.key === "municipalityCode" && kind.name === "memberships") {
      const resolved = answer.municipalities?.[n];
      if (resolved && "id" in resolved) rows[c.i]!.values[c.key] = resolved.id;
    } else take(c.i, answer.municipalities?.[n], c.key);
  }
  for (const [n, c] of seatCategories.entries()) take(c.i, answer.categories?.[n], c.key);
  const memberKey = (group: string | undefined, person: string | undefined) => `${(group ?? "").trim().toLowerCase()}|${(person ?? "").trim().toLowerCase()}`;
  const members = new Map(rows.map((r) => [memberKey(r.values["group"], r.values["person"]), r]));
  for (const [i, row] of rows.entries()) {
    const deputyOf = row.values["deputyOf"]?.trim();
    if (!deputyOf) continue;
    const member = members.get(memberKey(row.values["group"], deputyOf));
    if (member?.values["personId"]) row.values["deputyOfPersonId"] = member.values["personId"];
    else problemsOf[i]!.push({ column: "deputyOf", rule: `no row of this file has "${deputyOf}" as a member of this group`, code: "NOT_FOUND" });
  }
  for (const [i, problems] of problemsOf.entries()) if (problems.length) rows[i]!.values["__problems"] = JSON.stringify(problems);
}

/** Rows of the request to the subgraph sent as one write. */
const REQUEST_PIECE_ROWS = 500;

/** The request's lines in pieces of `REQUEST_PIECE_ROWS` rows, as bytes, made as the subgraph takes them. */
async function* requestBody(lines: Iterable<string>): AsyncGenerator<Uint8Array> {
  let piece: string[] = [];
  for (const line of lines) {
    piece.push(line);
    if (piece.length > REQUEST_PIECE_ROWS) {
      yield Buffer.from(piece.join(""), "utf8");
      piece = [];
    }
  }
  if (piece.length > 0) yield Buffer.from(piece.join(""), "utf8");
}

/**
 * Runs an import: parse, resolve references (memberships), then the owning
 * subgraph's `/internal/import` in one transaction, and writes its report
 * to `res` with the file's own header of each column key (`headers`).
 * Shared by the HTTP route, the upload page and the CLI (which posts to
 * the route). The rows go to the subgraph as lines of JSON written as it
 * reads them, and its report is relayed as it comes: neither is held as
 * one string here.
 */
export async function runImportFile(
  options: ImportRouteOptions,
  viewer: Viewer,
  kind: ImportKind,
  file: { name: string; content: Buffer },
  dryRun: boolean,
  res: ServerResponse,
): Promise<void> {
  let parsed;
  try {
    parsed = await parseImportFile(file.content, kind);
  } catch (error) {
    if (error instanceof ImportFileError) throw new HttpRouteError(400, `${file.name}: ${error.message}`, "file");
    throw error;
  }
  await resolveReferences(options, viewer, kind, parsed.rows);
  await resolvePlanningReferences(async (subgraph, path, body) => await postInternal(options, viewer, subgraph, path, body), kind, parsed.rows);
  const columns = [...new Set([...parsed.columns.map((c) => c.column.key), ...parsed.rows.flatMap((r) => Object.keys(r.values))])];
  const head = { kind: kind.name, dryRun, file: { name: file.name, sha256: parsed.sha256 }, columns };
  const base = options.subgraphUrls[kind.subgraph];
  if (!base) throw new HttpRouteError(503, `the ${kind.subgraph} subgraph is not configured`);
  let response: Response;
  try {
    response = await fetch(new URL("internal/import", base), {
      method: "POST",
      headers: { "content-type": "application/x-ndjson", [VIEWER_HEADER]: await signViewer(viewer, options.internalAuthSecret) },
      body: requestBody(importRequestLines(head, parsed.rows)) as unknown as BodyInit,
      duplex: "half",
    } as RequestInit);
  } catch {
    throw new HttpRouteError(503, `the ${kind.subgraph} subgraph did not answer; nothing of this file was applied there unless a report said so, and importing the file again completes it`);
  }
  if (response.headers.get(IMPORT_REPORT_HEADER) !== "1" || !response.body) {
    const json = (await response.json().catch(() => null)) as { error?: string } | null;
    if (response.status >= 500 || json === null) {
      throw new HttpRouteError(503, `the ${kind.subgraph} subgraph failed (status ${response.status}); its transaction was rolled back, import the file again`);
    }
    throw new HttpRouteError(response.status === 405 ? 400 : response.status, json.error ?? "refused");
  }
  // The subgraph's report is one JSON object ending in "}": relayed as it comes, all but that brace, then the headers.
  const headers = JSON.stringify(Object.fromEntries(parsed.columns.map((c) => [c.column.key, c.header])));
  const reader = response.body.getReader();
  res.writeHead(response.status, { "content-type": "application/json; charset=utf-8" });
  try {
    await writeAll(
      res,
      (async function* () {
        let held: Uint8Array | null = null;
        for (let next = await reader.read(); !next.done; next = await reader.read()) {
          if (held) yield held;
          held = next.value;
        }
        if (!held || held.at(-1) !== 0x7d) throw new Error("the subgraph's report did not end as JSON");
        yield held.subarray(0, -1);
        yield `,"headers":${headers}}`;
      })(),
    );
  } catch (error) {
    // The client gone, or the subgraph's answer cut: stop reading it, so that the subgraph's writing ends too.
    await reader.cancel().catch(() => undefined);
    throw error;
  }
}

/**
 * `GET /import/export/organisations.csv?countyCode=&search=` (a county's
 * organisations in the import's columns, to edit and import again), `GET
 * /import/kinds` (the kinds and their columns), `GET
 * /import/templates/<kind>.csv`, `.xlsx` and `.txt` (templates and column guide),
 * `POST /import/<kind>?file=<name>[&apply=true]` with the CSV or XLSX file
 * as the body: the dry-run report, or the applied one. Importing needs a
 * coordinator's or an admin's token with `data:write`; the county rules of
 * each row are the mutations' own (FORBIDDEN for another county's data).
 */
export function importRoutes(options: ImportRouteOptions): Routes {
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const rest = decodeURIComponent(url.pathname.slice("/import/".length));
      if (rest === "kinds") {
        sendJson(res, 200, { kinds: IMPORT_KIND_NAMES.map((n) => IMPORT_KINDS[n]), limits: IMPORT_LIMITS });
        return;
      }
      const exported = /^export\/([a-z]+)\.csv$/.exec(rest);
      if (exported) {
        const name = exported[1]!;
        if (name !== "organisations") throw new HttpRouteError(404, `No import export "${name}"; exported in the import's columns: organisations`);
        const viewer = await viewerOf(options, req);
        const countyCode = url.searchParams.get("countyCode") ?? "";
        if (!/^\d{2}$/.test(countyCode)) throw new HttpRouteError(400, 'Invalid value for "countyCode": a 2-digit county code', "countyCode");
        if (!canWriteCounty(viewer, countyCode)) throw new HttpRouteError(403, `Exporting for import needs a role for county ${countyCode}`);
        const search = url.searchParams.get("search");
        const path = `internal/import/export?countyCode=${countyCode}${search ? `&search=${encodeURIComponent(search)}` : ""}`;
        const { status, json } = await getInternal(options, viewer, "organisations", path);
        if (status !== 200) throw new HttpRouteError(status, (json as { error?: string }).error ?? "export failed");
        const kind = IMPORT_KINDS.organisations;
        const rows = (json as { rows: Record<string, string>[] }).rows.map((r) => kind.columns.map((c) => spreadsheetText(r[c.key] ?? "")));
        res.writeHead(200, {
          "content-type": "text/csv; charset=utf-8; header=present",
          "content-disposition": `attachment; filename="${name}-${countyCode}.csv"`,
          "cache-control": "private, no-store",
        });
        res.end(`\uFEFF${stringify([kind.columns.map(templateHeader), ...rows], { delimiter: ";", record_delimiter: "windows", quoted_match: /[\r\n]/ })}`);
        return;
      }
      const template = /^templates\/([a-z]+)\.(csv|txt|xlsx)$/.exec(rest);
      if (template) {
        const name = template[1]!;
        if (!isImportKind(name)) throw new HttpRouteError(404, `No import kind "${name}"; kinds are ${IMPORT_KIND_NAMES.join(", ")}`);
        const format = template[2] as "csv" | "txt" | "xlsx";
        const body = format === "csv" ? templateCsv(IMPORT_KINDS[name]) : format === "txt" ? templateGuide(IMPORT_KINDS[name]) : await templateXlsx(IMPORT_KINDS[name]);
        res.writeHead(200, {
          "content-type": { csv: "text/csv; charset=utf-8; header=present", txt: "text/plain; charset=utf-8", xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }[format],
          "content-disposition": `attachment; filename="${name}-template.${format}"`,
        });
        res.end(body);
        return;
      }
      if (!isImportKind(rest)) throw new HttpRouteError(404, `No import kind "${rest}"; kinds are ${IMPORT_KIND_NAMES.join(", ")}`);
      if (req.method !== "POST") throw new HttpRouteError(405, "A file is imported with POST");
      const viewer = await viewerOf(options, req);
      if (viewer.role !== ViewerRole.Coordinator && viewer.role !== ViewerRole.Admin) {
        throw new HttpRouteError(403, "Importing needs a coordinator's or an admin's token");
      }
      if (!viewer.scopes.has(Scope.DataWrite)) throw new HttpRouteError(403, "Importing needs scope data:write");
      const apply = url.searchParams.get("apply");
      if (apply !== null && apply !== "true" && apply !== "false") throw new HttpRouteError(400, 'Invalid value for "apply": true or false', "apply");
      const fileName = (url.searchParams.get("file") ?? `${rest}.csv`).slice(0, 200);
      const content = await readBody(req);
      await runImportFile(options, viewer, IMPORT_KINDS[rest], { name: fileName, content }, apply !== "true", res);
    } catch (error) {
      // A report cut off while relayed (the subgraph's connection lost): the client sees the connection end, not a second answer.
      if (res.headersSent) res.destroy();
      else sendHttpError(res, error, "import");
    }
  };
  return { "/import/*": handler };
}
