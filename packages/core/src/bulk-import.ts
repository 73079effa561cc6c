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
  rows: ImportRow[];
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

/** Largest import request body (the gateway's 20 MB file limit, as JSON with column keys). */
const MAX_IMPORT_BODY_BYTES = 96 * 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_IMPORT_BODY_BYTES) throw new BadUserInputError("body", `an import request is at most ${MAX_IMPORT_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function isImportRequest(body: unknown): body is ImportRequest {
  const b = body as Partial<ImportRequest> | null;
  return (
    typeof b === "object" && b !== null && typeof b.kind === "string" && typeof b.dryRun === "boolean" &&
    typeof b.file?.name === "string" && typeof b.file?.sha256 === "string" && Array.isArray(b.rows)
  );
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
export async function runImport(em: EntityManager, viewer: Viewer, request: ImportRequest, handlers: Readonly<Record<string, ImportKindHandler>>): Promise<ImportReport> {
  // Imports into this process wait their turn here, before taking a database connection: each
  // waiting on the advisory lock below held a pooled connection, and 20 parallel applies used
  // up the pool (a 500 for every import past its size). The advisory lock still orders imports
  // across replicas.
  const turn = importTail.then(async () => await runImportNow(em, viewer, request, handlers));
  importTail = turn.catch(() => undefined);
  return await turn;
}

let importTail: Promise<unknown> = Promise.resolve();

async function runImportNow(em: EntityManager, viewer: Viewer, request: ImportRequest, handlers: Readonly<Record<string, ImportKindHandler>>): Promise<ImportReport> {
  const handler = handlers[request.kind];
  if (!handler) throw new BadUserInputError("kind", `this subgraph imports ${Object.keys(handlers).join(", ")}, not "${request.kind}"`);
  const report: ImportReport = { kind: request.kind, dryRun: request.dryRun, applied: false, file: request.file, counts: emptyCounts(), rows: [] };
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
  const add = (row: ImportRow, outcome: RowOutcome) => {
    report.counts[outcome.status] += 1;
    report.rows.push({ row: row.row, ...outcome });
  };
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
        for (let start = 0; start < request.rows.length; start += IMPORT_CHUNK_ROWS) {
          const rows = request.rows.slice(start, start + IMPORT_CHUNK_ROWS);
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
      if (request.dryRun || report.counts.refused > 0) throw new Rollback();
    });
    report.applied = true;
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return report;
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
        let body: unknown;
        try {
          body = await readJson(req);
        } catch (error) {
          sendJson(res, 400, { error: error instanceof GraphQLError ? error.message : "The body is not JSON" });
          return;
        }
        if (!isImportRequest(body)) {
          sendJson(res, 400, { error: "The body is not an import request (kind, dryRun, file, rows)" });
          return;
        }
        const report = await runImport(forkForViewer(deps.orm.em, viewer), viewer, body, handlers);
        const forbidden = report.rows.some((r) => r.problems?.some((p) => p.code === "FORBIDDEN"));
        sendJson(res, forbidden ? 403 : report.counts.refused > 0 ? 422 : 200, report);
      } catch (error) {
        if (error instanceof BadUserInputError) {
          sendJson(res, 400, { error: error.message });
          return;
        }
        logger().error({ error: error instanceof Error ? error.name : "unknown" }, "import failed");
        sendJson(res, 500, { error: "Internal server error" });
      }
    },
  };
}
