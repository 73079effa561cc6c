import type { EntityManager } from "@mikro-orm/postgresql";

/** The HYTE import's hand SQL, on the run's transaction. */

async function inTransaction<T = unknown>(tx: EntityManager, sql: string, params: unknown[]): Promise<T> {
  return (await tx.getConnection().execute(sql, params, "all", tx.getTransactionContext())) as T;
}

export interface StoredHyteIndicator {
  id: string;
  funding_year: number;
  level: string;
  code: string;
  name: string;
  kind: string;
  better_direction: string;
  sotkanet_id: number | null;
  source: string;
}

/** hyteIndicatorsForUpdate: the stored indicators of these ids, whole, locked. */
export async function hyteIndicatorsForUpdate(tx: EntityManager, ids: readonly string[]): Promise<StoredHyteIndicator[]> {
  return await inTransaction<StoredHyteIndicator[]>(
    tx,
    `/* hyteIndicatorsForUpdate */ select id, funding_year, level, code, name, kind, better_direction, sotkanet_id, source from hyte_indicator where id in (?) order by id for update`,
    [ids],
  );
}

export interface HyteIndicatorRow {
  id: string;
  fundingYear: number;
  level: string;
  code: string;
  name: string;
  kind: string;
  betterDirection: string;
  sotkanetId: number | null;
  source: string;
}

/** upsertHyteIndicator: an indicator of a set by id; a known one takes the file's name, kind, direction, Sotkanet id and source. */
export async function upsertHyteIndicator(tx: EntityManager, r: HyteIndicatorRow): Promise<void> {
  await inTransaction(
    tx,
    `/* upsertHyteIndicator */ insert into hyte_indicator (id, funding_year, level, code, name, kind, better_direction, sotkanet_id, source) values (?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (id) do update set name = excluded.name, kind = excluded.kind, better_direction = excluded.better_direction, sotkanet_id = excluded.sotkanet_id, source = excluded.source`,
    [r.id, r.fundingYear, r.level, r.code, r.name, r.kind, r.betterDirection, r.sotkanetId, r.source],
  );
}
