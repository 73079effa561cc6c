import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { z } from "zod";
import { forkForRegister } from "../audit/actor.ts";
import { RegisterFetchError, type RegisterAnswer, type RegisterClient } from "./http-client.ts";
import type { RegisterInfo } from "./provenance.ts";
import { RegisterSyncReport, RegisterSyncStatus, type RegisterSyncRefusal } from "./sync-report.ts";

/**
 * The one importer shape of every public register:
 * fetch → validate with a schema → map (`prepare`, no writes) → upsert with
 * provenance (`apply`, one transaction) → a sync report. A register that is
 * down or answers nonsense fails `prepare`, so nothing is written and the
 * report says why.
 */

/** A register's answer that does not have the documented shape. */
export class RegisterAnswerError extends Error {
  constructor(
    readonly register: string,
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${register}: ${reason} (${url})`);
    this.name = "RegisterAnswerError";
  }
}

/** Validates one answer against its schema; throws RegisterAnswerError naming the path and rule of the first problem. */
export function parseAnswer<S extends z.ZodType>(register: string, schema: S, answer: RegisterAnswer): z.infer<S> {
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String).join(".") || "(root)";
    throw new RegisterAnswerError(register, answer.url, `answer not in the documented shape at ${path}: ${issue.message}`);
  }
  return parsed.data;
}

export type SyncRefusal = RegisterSyncRefusal;

/** What one run is: its report id, when the register was read, whether it is a dry run. */
export interface SyncRun {
  id: string;
  register: RegisterInfo;
  fetchedAt: Date;
  dryRun: boolean;
}

export interface SyncCounts {
  created: number;
  updated: number;
  unchanged: number;
  refused: SyncRefusal[];
}

/** A register's importer: `prepare` reads the register (and may read the database), `apply` writes. */
export interface RegisterImporter<Prepared> {
  register: RegisterInfo;
  client: RegisterClient;
  /** What the report names as read, when not the client's base URL (e.g. an imported file). */
  sourceUrl?: string;
  /** Fetches, validates and maps everything; never writes. Throws on a register down or answering nonsense. */
  prepare(em: EntityManager, run: SyncRun): Promise<{ prepared: Prepared; refused: SyncRefusal[] }>;
  /** Upserts with provenance inside the run's one transaction. */
  apply(tx: EntityManager, prepared: Prepared, run: SyncRun): Promise<SyncCounts>;
}

export interface RunSyncOptions {
  dryRun?: boolean;
  /** Clock (tests). */
  now?: () => Date;
}

class DryRunRollback extends Error {}

const KEPT_REFUSALS = 1000;

/**
 * Why a run failed, in words fit for a report: a register's fault in full; any
 * other error by its name and code only (a database error's message carries
 * SQL text, which reports never show).
 */
function failureOf(error: unknown): string {
  if (error instanceof RegisterFetchError || error instanceof RegisterAnswerError) return error.message;
  const { name, code } = error as { name?: string; code?: unknown };
  return `sync failed: ${name ?? "Error"}${typeof code === "string" ? ` (${code})` : ""}; nothing was written`;
}

/** Runs one sync and stores its report (also for dry runs and failures). */
export async function runSync<P>(em: EntityManager, importer: RegisterImporter<P>, options: RunSyncOptions = {}): Promise<RegisterSyncReport> {
  const now = options.now ?? (() => new Date());
  const run: SyncRun = { id: randomUUID(), register: importer.register, fetchedAt: now(), dryRun: options.dryRun ?? false };
  const requestsBefore = importer.client.requests;
  const report: RegisterSyncReport = Object.assign(new RegisterSyncReport(), {
    id: run.id,
    register: importer.register.name,
    dryRun: run.dryRun,
    status: RegisterSyncStatus.SUCCEEDED,
    startedAt: run.fetchedAt,
    finishedAt: run.fetchedAt,
    sourceUrl: importer.sourceUrl ?? importer.client.baseUrl,
  });
  try {
    const { prepared, refused } = await importer.prepare(em.fork(), run);
    let counts: SyncCounts = { created: 0, updated: 0, unchanged: 0, refused: [] };
    try {
      // Audited as the register (`register:<name>`): every write of the run appears in the audit trail as its.
      await forkForRegister(em, importer.register.name).transactional(async (tx) => {
        counts = await importer.apply(tx, prepared, run);
        if (run.dryRun) throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
    const allRefused = [...refused, ...counts.refused];
    Object.assign(report, {
      created: counts.created,
      updated: counts.updated,
      unchanged: counts.unchanged,
      refused: allRefused.slice(0, KEPT_REFUSALS),
      refusedCount: allRefused.length,
    });
  } catch (error) {
    report.status = RegisterSyncStatus.FAILED;
    report.failure = failureOf(error);
  }
  report.requests = importer.client.requests - requestsBefore;
  report.finishedAt = now();
  const fork = em.fork();
  await fork.insert(RegisterSyncReport, { ...report });
  return report;
}
