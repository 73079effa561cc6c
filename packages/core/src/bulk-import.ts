import type { IncomingMessage, ServerResponse } from "node:http";
import type { EntityManager } from "@mikro-orm/postgresql";
import { validate } from "class-validator";
import { GraphQLError } from "graphql";
import { forkForViewer } from "./audit/actor.ts";
import { Scope, type Viewer } from "./auth.ts";
import { BadUserInputError } from "./errors.ts";
import { sendJson, type Routes } from "./http.ts";
import { logger } from "./logger.ts";
import { uniqueRuleOf } from "./unique-rules.ts";
import type { InternalRouteDeps } from "./subgraph.ts";
import { stageProvenanceMany, type ProvenanceInput } from "./provenance.ts";

/**
 * The subgraph side of the bulk import (docs/IMPORT.md): the gateway parses a
 * spreadsheet, maps its headers to the kind's column keys and posts the rows
 * to `POST /internal/import` of the subgraph that owns the kind. Each row is
 * matched by its natural key and checked by the same rules files and input
 * classes as the mutations, in one transaction for the whole file (a refused row does not stop the
 * next rows' checks, as long as the database has not refused a statement). A dry run, or a file with any refused row, is rolled back:
 * all or nothing. Every write is audited as the importer (the request's
 * signed caller), and created or changed records get the file's name and
 * SHA-256 as provenance. A handler with `prepare` gets its rows in chunks
 * (`IMPORT_CHUNK_ROWS`): a few set-based reads, one flush and batched writes
 * per chunk, so the statements grow with the chunks, not the rows.
 */

export type ImportStatus = "created" | "updated" | "unchanged" | "refused";

/** One changed field of an updated record. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Why a row is refused: the column (the kind's column key), the rule as the mutation would say it, the error code. */
export interface RowProblem {
  column: string;
  rule: string;
  code: "BAD_USER_INPUT" | "FORBIDDEN" | "AMBIGUOUS" | "NOT_FOUND";
}

export interface RowReport {
  /** Line of the row in the file (the header is line 1). */
  row: number;
  status: ImportStatus;
  /** The natural key the row was matched by, as people write it. */
  key: string;
  /** Id of the record created or matched. */
  id?: string;
  changes?: FieldChange[];
  problems?: RowProblem[];
}

export interface ImportFile {
  name: string;
  sha256: string;
}

export interface ImportRow {
  row: number;
  /** Cell values by column key; a column missing from the file is missing here (its field stays as it is). */
  values: Record<string, string>;
}

export interface ImportRequest {
  kind: string;
  dryRun: boolean;
  file: ImportFile;
  /** Taken a chunk at a time (`IMPORT_CHUNK_ROWS`): a generator keeps only the chunk being handled in memory. */
  rows: Iterable<ImportRow>;
}

export interface ImportReport {
  kind: string;
  dryRun: boolean;
  /** True when the changes were committed (an apply without refused rows). */
  applied: boolean;
  file: ImportFile;
  counts: Record<ImportStatus, number>;
  rows: RowReport[];
}

/**
 * The report's rows as they are produced, each kept as its JSON text (a few
 * dozen bytes a row), joined in pieces of `REPORT_PIECE_ROWS`: a 100,000-row
 * file's report is a few MB of text, not 100,000 objects, and it is written
 * out piece by piece (`reportPieces`).
 */
export class ReportRows {
  readonly counts: Record<ImportStatus, number> = emptyCounts();
  /** A row was refused as FORBIDDEN (another county's): the route answers 403. */
  forbidden = false;
  private readonly pieces: string[] = [];
  private pending: string[] = [];

  add(report: RowReport): void {
    this.counts[report.status] += 1;
    if (report.problems?.some((p) => p.code === "FORBIDDEN")) this.forbidden = true;
    this.pending.push(JSON.stringify(report));
    if (this.pending.length >= REPORT_PIECE_ROWS) this.seal();
  }

  /** Rows held as text (for the tests). */
  get size(): number {
    return this.counts.created + this.counts.updated + this.counts.unchanged + this.counts.refused;
  }

  /** The rows' JSON text in pieces, comma-joined; the pieces together are the elements of the report's `rows` array. */
  *json(): Generator<string> {
    this.seal();
    for (const [i, piece] of this.pieces.entries()) yield i === 0 ? piece : `,${piece}`;
  }

  /** The rows as objects (tests of small files). */
  toArray(): RowReport[] {
    return JSON.parse(`[${[...this.json()].join("")}]`) as RowReport[];
  }

  private seal(): void {
    if (this.pending.length === 0) return;
    this.pieces.push(this.pending.join(","));
    this.pending = [];
  }
}

/** Report rows joined into one piece of text. */
const REPORT_PIECE_ROWS = 1000;

/** What `runImport` answers: the report, its rows as text (`ReportRows`). */
export interface ImportResult {
  kind: string;
  dryRun: boolean;
  applied: boolean;
  file: ImportFile;
  rows: ReportRows;
}

/** The pieces of an import result's JSON (an `ImportReport`), to write one after the other. */
export function* reportPieces(result: ImportResult): Generator<string> {
  const head = JSON.stringify({ kind: result.kind, dryRun: result.dryRun, applied: result.applied, file: result.file, counts: result.rows.counts });
  yield `${head.slice(0, -1)},"rows":[`;
  yield* result.rows.json();
  yield "]}";
}

/** A row's outcome as a kind's handler states it (`row` is added by the route). */
export type RowOutcome = Omit<RowReport, "row">;

/** What a kind's row handler gets besides the row. */
export interface ImportRowContext {
  viewer: Viewer;
  file: ImportFile;
  /** Provenance to store for a record the row creates or changes. */
  provenance: ProvenanceInput;
  /** Values a handler reads once per file (e.g. the classification year), by its own key. */
  memo: Map<string, unknown>;
  /**
   * Values of the chunk being handled (a chunked handler's, see `prepare`):
   * what `prepare` fetched and what the chunk's rows created or changed, for
   * the later rows of the chunk to find. A new map for each chunk.
   */
  chunk: Map<string, unknown>;
  /** A chunked handler's `writeProvenance`: the chunk's flush gives the record the file's provenance. */
  stageProvenance(recordType: string, recordId: string): void;
}

export interface ImportKindHandler {
  /** Column key of each input field a rule may name (`input.businessId` → `businessId`); unnamed fields fall back to `fallbackColumn`. */
  columnOf: Readonly<Record<string, string>>;
  /** Column named when a rule names no column (e.g. FORBIDDEN for the row's county). */
  fallbackColumn: string;
  handle(tx: EntityManager, values: Record<string, string>, context: ImportRowContext): Promise<RowOutcome>;
  /**
   * Makes the handler chunked: the rows come in chunks of `IMPORT_CHUNK_ROWS`,
   * and this fetches, in a few set-based queries, what the chunk's rows look
   * up (into `context.chunk`), so that `handle` reads no row on its own.
   * `handle` then neither flushes nor writes provenance itself
   * (`context.stageProvenance`), and refuses a row before it changes the
   * unit of work; the chunk is flushed once. A handler without `prepare`
   * gets one row at a time and flushes itself.
   */
  prepare?(tx: EntityManager, rows: Record<string, string>[], context: ImportRowContext): Promise<void>;
  /** A chunked handler's writes that need the chunk's flushed rows (link tables), batched; runs after the chunk's flush. */
  afterFlush?(tx: EntityManager, context: ImportRowContext): Promise<void>;
}

/** A row refused before any rule ran (a cell that does not parse, a reference that does not match). */
export class RowRefused extends Error {
  constructor(readonly problems: RowProblem[]) {
    super(problems.map((p) => `${p.column}: ${p.rule}`).join("; "));
  }
}

/** Refuses a row naming one column. */
export function refuse(column: string, rule: string, code: RowProblem["code"] = "BAD_USER_INPUT"): never {
  throw new RowRefused([{ column, rule, code }]);
}

/**
 * Checks an input instance with its class-validator rules (the ones the
 * mutation's argument validation runs), refusing the row with every problem
 * named by column.
 */
export async function validateInput(input: object, columnOf: Readonly<Record<string, string>>, fallback: string): Promise<void> {
  const errors = await validate(input, { skipMissingProperties: true, forbidUnknownValues: false });
  if (errors.length === 0) return;
  throw new RowRefused(
    errors.flatMap((e) =>
      Object.values(e.constraints ?? { invalid: "is invalid" }).map((rule) => ({ column: columnOf[`input.${e.property}`] ?? fallback, rule, code: "BAD_USER_INPUT" as const })),
    ),
  );
}

/** The provenance an imported record gets: the file's name and hash. */
export function importProvenance(file: ImportFile): ProvenanceInput {
  const section = `Tuonti / import: ${file.name} (sha256 ${file.sha256})`;
  return { section: section.length > 255 ? `${section.slice(0, 254)}…` : section };
}

/** Equal as the report compares values: lists and nulls by their JSON. */
export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

class Rollback extends Error {}

/** The problems of an error a rule threw, by column. */
function problemsOf(error: unknown, handler: ImportKindHandler): RowProblem[] | null {
  if (error instanceof RowRefused) return error.problems;
  if (error instanceof GraphQLError) {
    const code = error.extensions["code"];
    if (code === "BAD_USER_INPUT") {
      const field = String(error.extensions["field"] ?? "");
      return [{ column: handler.columnOf[field] ?? handler.fallbackColumn, rule: String(error.extensions["reason"] ?? error.message), code: "BAD_USER_INPUT" }];
    }
    if (code === "FORBIDDEN") return [{ column: handler.fallbackColumn, rule: error.message, code: "FORBIDDEN" }];
    if (code === "NOT_FOUND") return [{ column: handler.fallbackColumn, rule: error.message, code: "NOT_FOUND" }];
  }
  const unique = uniqueRuleOf(error);
  if (unique) return [{ column: handler.columnOf[unique.field] ?? handler.fallbackColumn, rule: unique.reason, code: "BAD_USER_INPUT" }];
  return null;
}

function emptyCounts(): Record<ImportStatus, number> {
  return { created: 0, updated: 0, unchanged: 0, refused: 0 };
}

/** Largest import request body (the gateway's 20 MB file limit, as lines of JSON with the resolved ids). */
const MAX_IMPORT_BODY_BYTES = 96 * 1024 * 1024;

/** The request body as bytes: kept as they came (about the file's size), its rows parsed a chunk at a time. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_IMPORT_BODY_BYTES) throw new BadUserInputError("body", `an import request is at most ${MAX_IMPORT_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** First line of an import request: what is imported and the column key of each cell of the row lines. */
export interface ImportRequestHead {
  kind: string;
  dryRun: boolean;
  file: ImportFile;
  columns: string[];
}

function isImportRequestHead(head: unknown): head is ImportRequestHead {
  const b = head as Partial<ImportRequestHead> | null;
  return (
    typeof b === "object" && b !== null && typeof b.kind === "string" && typeof b.dryRun === "boolean" &&
    typeof b.file?.name === "string" && typeof b.file?.sha256 === "string" && Array.isArray(b.columns) && b.columns.every((c) => typeof c === "string")
  );
}

/**
 * An import request as the gateway posts it (`application/x-ndjson`): a head
 * line (`ImportRequestHead`), then one line per row, `[line, cell, …]` with
 * the cells in the head's column order and `null` for a column the row does
 * not have. Lines of text, so that the subgraph parses a chunk's rows when
 * it handles them instead of the whole file at once.
 */
export function* importRequestLines(head: ImportRequestHead, rows: Iterable<ImportRow>): Generator<string> {
  yield `${JSON.stringify(head)}\n`;
  for (const row of rows) yield `${JSON.stringify([row.row, ...head.columns.map((c) => row.values[c] ?? null)])}\n`;
}

/** Reads an import request's head line and gives its rows, each parsed from the body when it is taken. */
export function parseImportRequest(body: Buffer): { head: ImportRequestHead; rows: Iterable<ImportRow> } {
  const lineEnd = (from: number) => {
    const end = body.indexOf(0x0a, from);
    return end < 0 ? body.length : end;
  };
  const first = lineEnd(0);
  let head: unknown;
  try {
    head = JSON.parse(body.toString("utf8", 0, first));
  } catch {
    throw new BadUserInputError("body", "the import request's first line is not JSON");
  }
  if (!isImportRequestHead(head)) throw new BadUserInputError("body", "the import request's first line is not an import request (kind, dryRun, file, columns)");
  const { columns } = head;
  function* rows(): Generator<ImportRow> {
    for (let start = first + 1; start < body.length; ) {
      const end = lineEnd(start);
      const text = body.toString("utf8", start, end);
      start = end + 1;
      if (text.trim() === "") continue;
      let cells: unknown;
      try {
        cells = JSON.parse(text);
      } catch {
        throw new BadUserInputError("body", "an import request's row line is not JSON");
      }
      if (!Array.isArray(cells) || typeof cells[0] !== "number" || cells.length !== columns.length + 1) {
        throw new BadUserInputError("body", "an import request's row line is not [line, cell, …] in the head's columns");
      }
      const values: Record<string, string> = {};
      for (const [j, column] of columns.entries()) {
        const cell: unknown = cells[j + 1];
        if (typeof cell === "string") values[column] = cell;
        else if (cell !== null) throw new BadUserInputError("body", "an import request's cell is text or null");
      }
      yield { row: cells[0], values };
    }
  }
  return { head, rows: rows() };
}

/** Transaction-wide lock: imports into one subgraph run one at a time, so parallel applies of one file come out as sequential ones. */
const IMPORT_LOCK = "yhdyspinta:import";

/** Rows of a chunk: one flush, one unit of work (cleared after it), a few prefetching queries (`ImportKindHandler.prepare`). */
export const IMPORT_CHUNK_ROWS = 500;

/** An error of a chunk's writes that the row-by-row redo of the chunk names (or throws again). */
class ChunkFailed extends Error {}

type Run = (sql: string, params?: unknown[]) => Promise<unknown>;

/**
 * One chunk of a chunked handler, inside a savepoint: prepare, every row's
 * `handle`, the staged provenance, one flush, `afterFlush`. When the
 * database refuses the chunk's writes (a unique violation), the savepoint
 * is rolled back and `ChunkFailed` thrown, for the chunk to be redone row
 * by row; a single row's refusal is reported as the row's, as before.
 */
async function runChunk(tx: EntityManager, rows: ImportRow[], handler: ImportKindHandler, context: ImportRowContext, staged: Map<string, string[]>, run: Run): Promise<RowOutcome[]> {
  context.chunk = new Map();
  staged.clear();
  await run("savepoint yhdyspinta_import_chunk");
  const outcomes: RowOutcome[] = [];
  try {
    await handler.prepare!(tx, rows.map((r) => r.values), context);
    for (const row of rows) {
      try {
        outcomes.push(await handler.handle(tx, row.values, context));
      } catch (error) {
        if (!(error instanceof RowRefused || error instanceof GraphQLError)) throw error;
        const problems = problemsOf(error, handler);
        if (!problems) throw error;
        outcomes.push({ status: "refused", key: "", problems });
      }
    }
    for (const [recordType, ids] of staged) await stageProvenanceMany(tx, recordType, ids, context.provenance);
    await tx.flush();
    await handler.afterFlush?.(tx, context);
    await run("release savepoint yhdyspinta_import_chunk");
  } catch (error) {
    await run("rollback to savepoint yhdyspinta_import_chunk");
    tx.clear();
    if (rows.length > 1) throw new ChunkFailed();
    const problems = problemsOf(error, handler);
    if (!problems) throw error;
    return [{ status: "refused", key: "", problems }];
  }
  tx.clear();
  return outcomes;
}

/**
 * Runs an import request in one transaction: rolled back for a dry run or
 * when a row is refused. Exported for the tests and the benchmark; the route
 * below is how the gateway calls it.
 */
export async function runImport(em: EntityManager, viewer: Viewer, request: ImportRequest, handlers: Readonly<Record<string, ImportKindHandler>>): Promise<ImportResult> {
  // Imports into this process wait their turn here, before taking a database connection: each
  // waiting on the advisory lock below held a pooled connection, and 20 parallel applies used
  // up the pool (a 500 for every import past its size). The advisory lock still orders imports
  // across replicas.
  const turn = importTail.then(async () => await runImportNow(em, viewer, request, handlers));
  importTail = turn.catch(() => undefined);
  return await turn;
}

let importTail: Promise<unknown> = Promise.resolve();

/** Rows in chunks of `size`, taken from `items` as each chunk is wanted. */
export function* chunksOf<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

async function runImportNow(em: EntityManager, viewer: Viewer, request: ImportRequest, handlers: Readonly<Record<string, ImportKindHandler>>): Promise<ImportResult> {
  const handler = handlers[request.kind];
  if (!handler) throw new BadUserInputError("kind", `this subgraph imports ${Object.keys(handlers).join(", ")}, not "${request.kind}"`);
  const report: ImportResult = { kind: request.kind, dryRun: request.dryRun, applied: false, file: request.file, rows: new ReportRows() };
  const staged = new Map<string, string[]>();
  const context: ImportRowContext = {
    viewer,
    file: request.file,
    provenance: importProvenance(request.file),
    memo: new Map(),
    chunk: new Map(),
    stageProvenance(recordType, recordId) {
      let ids = staged.get(recordType);
      if (!ids) staged.set(recordType, (ids = []));
      ids.push(recordId);
    },
  };
  const add = (row: ImportRow, outcome: RowOutcome) => report.rows.add({ row: row.row, ...outcome });
  try {
    await em.transactional(async (tx) => {
      const connection = tx.getConnection();
      const run = async (sql: string, params: unknown[] = []) => await connection.execute(sql, params, "all", tx.getTransactionContext());
      // Waiting for another import's lock is not one slow statement: no statement timeout while waiting, the usual one after.
      const [saved] = (await run("select current_setting('statement_timeout') as value")) as { value: string }[];
      await run("select set_config('statement_timeout', '0', true)");
      await run("select pg_advisory_xact_lock(hashtext(?))", [IMPORT_LOCK]);
      await run("select set_config('statement_timeout', ?, true)", [saved?.value ?? "0"]);
      if (handler.prepare) {
        for (const rows of chunksOf(request.rows, IMPORT_CHUNK_ROWS)) {
          let outcomes: RowOutcome[];
          try {
            outcomes = await runChunk(tx as EntityManager, rows, handler, context, staged, run);
          } catch (error) {
            if (!(error instanceof ChunkFailed)) throw error;
            // The database refused the chunk's writes: row by row, to name the row as a row-at-a-time import would.
            outcomes = [];
            for (const row of rows) outcomes.push(...(await runChunk(tx as EntityManager, [row], handler, context, staged, run)));
          }
          rows.forEach((row, i) => add(row, outcomes[i]!));
        }
      } else {
        for (const row of request.rows) {
          let outcome: RowOutcome;
          try {
            outcome = await handler.handle(tx as EntityManager, row.values, context);
          } catch (error) {
            const problems = problemsOf(error, handler);
            if (!problems) throw error;
            // A refused row may leave unflushed records behind; the file is rolled back, but they must not reach later rows' flushes.
            outcome = { status: "refused", key: "", problems };
          }
          // Rows are independent: a unit of work per row keeps each flush (and the memory) the size of one row.
          tx.clear();
          add(row, outcome);
        }
      }
      if (request.dryRun || report.rows.counts.refused > 0) throw new Rollback();
    });
    report.applied = true;
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return report;
}

/** Response header of a subgraph's import report (an error's answer has none). */
export const IMPORT_REPORT_HEADER = "x-import-report";

/**
 * What a handler's `prepare` read for the current chunk, stored in the
 * chunk's map under `kind`; a handler that finds none was called without its
 * `prepare` (a programming error, not a refused row).
 */
export function chunkReads<T>(chunk: Map<string, unknown>, kind: string): T {
  const reads = chunk.get(kind) as T | undefined;
  if (reads === undefined) throw new Error(`the ${kind} import's prepare did not run for this chunk`);
  return reads;
}

/** Writes text pieces to a response as its buffer drains, and ends it. */
export async function writeAll(res: ServerResponse, pieces: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<void> {
  for await (const piece of pieces) {
    // A connection already closed emits no more "close" (nor "drain") to wait for.
    if (res.destroyed) throw new Error("the connection closed");
    if (!res.write(piece)) await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        res.off("drain", done);
        res.off("close", closed);
        if (error) reject(error);
        else resolve();
      };
      const closed = () => done(new Error("the connection closed"));
      res.on("drain", done).on("close", closed);
    });
  }
  res.end();
}

/**
 * `POST /internal/import`: the subgraph's import entry (signed by the
 * gateway like every non-probe path). Answers the report: 200 when applied
 * or a clean dry run, 403 when a row is refused as FORBIDDEN, 422 when a row
 * is refused otherwise.
 */
export function importRoutes(deps: InternalRouteDeps, handlers: Readonly<Record<string, ImportKindHandler>>): Routes {
  return {
    "/internal/import": async (req: IncomingMessage, res: ServerResponse) => {
      try {
        if (req.method !== "POST") {
          sendJson(res, 405, { error: "An import is posted" });
          return;
        }
        const viewer = deps.viewerOf(req);
        if (!viewer.scopes.has(Scope.DataWrite)) {
          sendJson(res, 403, { error: "Importing needs scope data:write", code: "FORBIDDEN" });
          return;
        }
        let request: ReturnType<typeof parseImportRequest>;
        try {
          request = parseImportRequest(await readBody(req));
        } catch (error) {
          sendJson(res, 400, { error: error instanceof GraphQLError ? error.message : "The body is not an import request" });
          return;
        }
        const { head, rows } = request;
        const result = await runImport(forkForViewer(deps.orm.em, viewer), viewer, { kind: head.kind, dryRun: head.dryRun, file: head.file, rows }, handlers);
        // Marked as a report, for the gateway to relay as it comes (an error's JSON is not one).
        res.writeHead(result.rows.forbidden ? 403 : result.rows.counts.refused > 0 ? 422 : 200, { "content-type": "application/json; charset=utf-8", [IMPORT_REPORT_HEADER]: "1" });
        await writeAll(res, reportPieces(result));
      } catch (error) {
        if (error instanceof BadUserInputError && !res.headersSent) {
          sendJson(res, 400, { error: error.message });
          return;
        }
        logger().error({ error: error instanceof Error ? error.name : "unknown" }, "import failed");
        if (res.headersSent) res.destroy();
        else sendJson(res, 500, { error: "Internal server error" });
      }
    },
  };
}
