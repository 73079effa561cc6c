import pg from "pg";
import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * The scrub outbox's hand SQL (table of Migration20261205100000_personal_data_scrub):
 * an anonymised person's values, one row per other subgraph, until that
 * subgraph has scrubbed them (scrub.delivery.ts). Not an entity on purpose:
 * the audit subscriber would record the values into the change feed.
 */

/** Channel on which an anonymisation announces its scrubs to the delivery worker. */
export const SCRUB_CHANNEL = "personal_data_scrub";

export interface ScrubRow {
  id: string;
  erasure_id: string;
  person_id: string;
  subgraph: string;
  scrub_values: string[];
  reason: string;
  requested_by: string | null;
  attempts: number;
}

const COLUMNS = `id, erasure_id, person_id, subgraph, scrub_values, reason, requested_by, attempts`;

/** Statements inside one transaction of the outbox's database. */
export interface ScrubTx {
  run<T>(sql: string, params: unknown[]): Promise<T[]>;
}

/** Where the outbox is read and written: transactions on the ORM's connections (a request, the retention job) or on a pool of its own (the worker). */
export interface ScrubStore {
  transaction<T>(work: (tx: ScrubTx) => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

/** The outbox through the ORM: a request's or a job's EntityManager. */
export function ormScrubStore(em: EntityManager): ScrubStore {
  return {
    transaction: async (work) =>
      await em.fork().transactional(async (tx) => await work({ run: async <T>(sql: string, params: unknown[]) => await tx.getConnection().execute<T[]>(sql, params, "all", tx.getTransactionContext()) })),
    end: async () => {},
  };
}

/**
 * The delivery worker's own small pool: its statements run in the
 * background, outside any request, and must not count in the process's
 * per-request SQL statistics (stats.ts), which only the ORM's connections
 * feed. `?` placeholders as the ORM's (inlined by its platform).
 */
export function poolScrubStore(databaseUrl: string, platform: { formatQuery(sql: string, params: readonly unknown[]): string }, statementTimeoutMs: number): ScrubStore {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, statement_timeout: statementTimeoutMs });
  // A dropped connection fails the statement using it; the pool itself must not crash the process.
  pool.on("error", () => undefined);
  return {
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const result = await work({ run: async <T>(sql: string, params: unknown[]) => (await client.query(platform.formatQuery(sql, params))).rows as T[] });
        await client.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    end: () => pool.end(),
  };
}

/**
 * insertScrubs: one row per subgraph with the person's values, in the
 * anonymisation's transaction, and a notification at its commit. One statement.
 */
export async function insertScrubs(
  tx: EntityManager,
  scrub: { ids: readonly string[]; erasureId: string; personId: string; subgraphs: readonly string[]; values: readonly string[]; reason: string; requestedBy: string | null },
): Promise<void> {
  await tx.getConnection().execute(
    `/* insertScrubs */ with added as (
       insert into personal_data_scrub (id, erasure_id, person_id, subgraph, scrub_values, reason, requested_by)
       select s.id, ?, ?, s.subgraph, ?::jsonb, ?, ? from jsonb_to_recordset(?::jsonb) as s(id text, subgraph text)
       returning 1)
     select pg_notify('${SCRUB_CHANNEL}', '') from (select count(*) from added) n`,
    [scrub.erasureId, scrub.personId, JSON.stringify(scrub.values), scrub.reason, scrub.requestedBy, JSON.stringify(scrub.subgraphs.map((subgraph, i) => ({ id: scrub.ids[i], subgraph })))],
    "all",
    tx.getTransactionContext(),
  );
}

/** pendingScrubs: the subgraphs an erasure's values still wait for. */
export async function pendingScrubs(tx: ScrubTx, erasureId: string): Promise<string[]> {
  const rows = await tx.run<{ subgraph: string }>(`/* pendingScrubs */ select subgraph from personal_data_scrub where erasure_id = ? order by subgraph`, [erasureId]);
  return rows.map((r) => r.subgraph);
}

/** lockScrub: an erasure's row for one subgraph, locked (waiting for a delivery under way); null once delivered. */
export async function lockScrub(tx: ScrubTx, erasureId: string, subgraph: string): Promise<ScrubRow | null> {
  const rows = await tx.run<ScrubRow>(`/* lockScrub */ select ${COLUMNS} from personal_data_scrub where erasure_id = ? and subgraph = ? for update`, [erasureId, subgraph]);
  return rows[0] ?? null;
}

/** claimDueScrub: the oldest row due for an attempt that no other worker holds, locked; null when none. */
export async function claimDueScrub(tx: ScrubTx, skip: readonly string[]): Promise<ScrubRow | null> {
  const rows = await tx.run<ScrubRow>(
    `/* claimDueScrub */ select ${COLUMNS} from personal_data_scrub
     where next_attempt_at <= now() and not (id in (select jsonb_array_elements_text(?::jsonb)))
     order by next_attempt_at, requested_at, id limit 1 for update skip locked`,
    [JSON.stringify(skip)],
  );
  return rows[0] ?? null;
}

/** deleteScrub: the row of a delivered scrub goes, and with it the values. */
export async function deleteScrub(tx: ScrubTx, id: string): Promise<void> {
  await tx.run(`/* deleteScrub */ delete from personal_data_scrub where id = ?`, [id]);
}

/** recordScrubFailure: a failed attempt, and when to try again. */
export async function recordScrubFailure(tx: ScrubTx, id: string, failure: { attempts: number; nextAttemptAt: Date; error: string }): Promise<void> {
  await tx.run(`/* recordScrubFailure */ update personal_data_scrub set attempts = ?, next_attempt_at = ?, last_error = ? where id = ?`, [
    failure.attempts,
    failure.nextAttemptAt,
    failure.error,
    id,
  ]);
}

/** nextScrubAttempt: when the earliest row waiting is due; null when none waits. */
export async function nextScrubAttempt(tx: ScrubTx): Promise<Date | null> {
  const rows = await tx.run<{ at: Date | string | null }>(`/* nextScrubAttempt */ select min(next_attempt_at) as at from personal_data_scrub`, []);
  const at = rows[0]?.at ?? null;
  return at === null ? null : new Date(at);
}
