import type { EntityManager } from "@mikro-orm/postgresql";
import { readPrepared } from "@yhdyspinta/core";
import {
  INDICATOR_VALUE_COLUMNS,
  INDICATOR_VALUE_REVISION_COLUMNS,
  type IndicatorValueRevisionRow,
  type IndicatorValueRow,
} from "./indicator-value-audit.queries.ts";

/**
 * The Sotkanet sync's hand SQL and the county indicator follow-up's read.
 * Reads for the sync's `prepare` and the loaders take the EntityManager; the
 * `…ForUpdate` reads and every write take the run's transaction (`tx`) and
 * run on its connection, inside it.
 */

/** A statement on the transaction's connection, inside its transaction. */
async function inTransaction<T = unknown>(tx: EntityManager, sql: string, params: unknown[]): Promise<T> {
  return (await tx.getConnection().execute(sql, params, "all", tx.getTransactionContext())) as T;
}

/**
 * countyGoalIndicators: the indicator ids the given counties' plans' goals
 * name, by county and id. A loader read (every plan follow-up asks it): a
 * prepared statement on the read database, as `readPrepared` runs them.
 */
export async function countyGoalIndicators(em: EntityManager, codes: readonly string[]): Promise<{ county_code: string; indicator_id: string }[]> {
  const rows = await readPrepared(
    em,
    `/* countyGoalIndicators */ select distinct p.county_code, i.indicator_id
       from wellbeing_plan p
       join wellbeing_goal g on g.plan_id = p.id
       cross join lateral unnest(g.indicator_ids) as i(indicator_id)
      where p.county_code = any($1) order by p.county_code, i.indicator_id`,
    [[...codes]],
  );
  return rows as { county_code: string; indicator_id: string }[];
}

/** sotkanetIdsInUse: Sotkanet ids named by plans' goals ("sotkanet-<id>") or stored with a Sotkanet id, ascending. */
export async function sotkanetIdsInUse(em: EntityManager): Promise<number[]> {
  const rows = await em.getConnection().execute<{ id: number }[]>(
    `/* sotkanetIdsInUse */ select sotkanet_id as id from indicator where sotkanet_id is not null
     union select substring(g.key from 10)::int from (select unnest(indicator_ids) as key from wellbeing_goal) g where g.key ~ '^sotkanet-[0-9]{1,9}$'`,
    [],
    "all",
  );
  return [...new Set(rows.map((r) => Number(r.id)))].sort((a, b) => a - b);
}

/**
 * sotkanetStoredIndicators: the stored indicators of these Sotkanet ids:
 * their data-updated day, the register of their metadata and whether any
 * value was synced.
 */
export async function sotkanetStoredIndicators(
  em: EntityManager,
  ids: readonly number[],
): Promise<{ id: string; data_updated_on: string | null; source_register: string | null; synced: boolean }[]> {
  return await em.getConnection().execute<{ id: string; data_updated_on: string | null; source_register: string | null; synced: boolean }[]>(
    `/* sotkanetStoredIndicators */ select i.id, to_char(i.data_updated_on, 'YYYY-MM-DD') as data_updated_on, i.source_register,
               exists (select 1 from indicator_value v where v.indicator_id = i.id and v.source_register = 'sotkanet') as synced
             from indicator i where i.sotkanet_id in (?)`,
    [ids.length ? [...ids] : [-1]],
    "all",
  );
}

/** An indicator row, every column (the sync audits the whole row it replaces). */
export interface StoredIndicator {
  id: string;
  sotkanet_id: number | null;
  name: string;
  name_sv: string | null;
  name_en: string | null;
  unit: string | null;
  source: string;
  data_updated_on: string | null;
  source_register: string | null;
  source_url: string | null;
  fetched_at: Date | null;
  sync_report_id: string | null;
}

/** sotkanetIndicatorsForUpdate: the stored indicators of these keys, locked. */
export async function sotkanetIndicatorsForUpdate(tx: EntityManager, keys: readonly string[]): Promise<StoredIndicator[]> {
  return await inTransaction<StoredIndicator[]>(
    tx,
    `/* sotkanetIndicatorsForUpdate */ select id, sotkanet_id, name, name_sv, name_en, unit, source, to_char(data_updated_on, 'YYYY-MM-DD') as data_updated_on,
                    source_register, source_url, fetched_at, sync_report_id
             from indicator where id in (?) for update`,
    [keys.length ? [...keys] : [""]],
  );
}

/**
 * An indicator's columns as the sync writes them, with its provenance (in
 * this order). Once written, `updateIndicator` refuses to change those an edit
 * takes (`SOTKANET_KEPT_FIELDS` in indicator.rules.ts): keep the two alike.
 */
export type SyncedIndicatorFields = readonly [
  name: string,
  nameSv: string | null,
  nameEn: string | null,
  unit: string | null,
  source: string,
  dataUpdatedOn: string | null,
  sourceRegister: string,
  sourceUrl: string,
  fetchedAt: Date,
  syncReportId: string,
];

/** insertSyncedIndicator: a new indicator from the register. */
export async function insertSyncedIndicator(tx: EntityManager, key: string, sotkanetId: number, fields: SyncedIndicatorFields): Promise<void> {
  await inTransaction(
    tx,
    `/* insertSyncedIndicator */ insert into indicator (id, sotkanet_id, name, name_sv, name_en, unit, source, data_updated_on, source_register, source_url, fetched_at, sync_report_id)
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [key, sotkanetId, ...fields],
  );
}

/** updateSyncedIndicator: a known indicator takes the register's metadata and provenance. */
export async function updateSyncedIndicator(tx: EntityManager, key: string, fields: SyncedIndicatorFields): Promise<void> {
  await inTransaction(
    tx,
    `/* updateSyncedIndicator */ update indicator set name = ?, name_sv = ?, name_en = ?, unit = ?, source = ?, data_updated_on = ?, source_register = ?, source_url = ?, fetched_at = ?, sync_report_id = ? where id = ?`,
    [...fields, key],
  );
}

/**
 * detachSyncedIndicator: an indicator the register no longer has loses its
 * register provenance and data-updated day, so that `updateIndicator` takes
 * its names, unit and source again (`checkSotkanetKeptFields`). Its values
 * keep theirs: they did come from the register.
 */
export async function detachSyncedIndicator(tx: EntityManager, key: string): Promise<void> {
  await inTransaction(
    tx,
    `/* detachSyncedIndicator */ update indicator set data_updated_on = null, source_register = null, source_url = null, fetched_at = null, sync_report_id = null where id = ?`,
    [key],
  );
}

/** A stored value, every column (the sync and the file import audit the whole row they replace). */
export type StoredIndicatorValue = IndicatorValueRow;

/** sotkanetValuesForUpdate: every stored value of these indicators, whole, locked. */
export async function sotkanetValuesForUpdate(tx: EntityManager, indicatorIds: readonly string[]): Promise<StoredIndicatorValue[]> {
  return await inTransaction<StoredIndicatorValue[]>(
    tx,
    `/* sotkanetValuesForUpdate */ select ${INDICATOR_VALUE_COLUMNS} from indicator_value where indicator_id in (?) for update`,
    [indicatorIds.length ? [...indicatorIds] : [""]],
  );
}

/**
 * insertIndicatorValueRevisions: keeps stored values, about to be replaced,
 * as revisions (one statement for the chunk). Returns the revisions written,
 * whole (for the audit trail).
 */
export async function insertIndicatorValueRevisions(
  tx: EntityManager,
  olds: readonly StoredIndicatorValue[],
  replacedAt: Date,
  replacedBySyncReportId: string,
): Promise<IndicatorValueRevisionRow[]> {
  if (olds.length === 0) return [];
  return await inTransaction<IndicatorValueRevisionRow[]>(
    tx,
    `/* insertIndicatorValueRevisions */ insert into indicator_value_revision (indicator_value_id, value, absolute_value, source_register, source_url, fetched_at, sync_report_id, replaced_at, replaced_by_sync_report_id)
             values ${olds.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
             returning ${INDICATOR_VALUE_REVISION_COLUMNS}`,
    olds.flatMap((old) => [old.id, old.value, old.absolute_value, old.source_register, old.source_url, old.fetched_at, old.sync_report_id, replacedAt, replacedBySyncReportId]),
  );
}

/** A stored value's new figure from the register (`updateSyncedIndicatorValues`). */
export interface SyncedValueUpdate {
  id: string;
  value: number | null;
  absoluteValue: number | null;
  sotkanetRegionId: number;
  sourceUrl: string;
}

/**
 * updateSyncedIndicatorValues: stored values take the register's figures and
 * provenance, the chunk in one statement (the register, fetch time and sync
 * report are the run's, the same for every value).
 */
export async function updateSyncedIndicatorValues(
  tx: EntityManager,
  chunk: readonly SyncedValueUpdate[],
  run: { sourceRegister: string; fetchedAt: Date; syncReportId: string },
): Promise<void> {
  if (chunk.length === 0) return;
  await inTransaction(
    tx,
    `/* updateSyncedIndicatorValues */ update indicator_value v
        set value = n.value, absolute_value = n.absolute_value, sotkanet_region_id = n.sotkanet_region_id, source_url = n.source_url,
            source_register = ?, fetched_at = ?, sync_report_id = ?
       from (values ${chunk.map(() => "(?::bigint, ?::double precision, ?::double precision, ?::integer, ?::text)").join(", ")})
            as n(id, value, absolute_value, sotkanet_region_id, source_url)
      where v.id = n.id`,
    [run.sourceRegister, run.fetchedAt, run.syncReportId, ...chunk.flatMap((u) => [u.id, u.value, u.absoluteValue, u.sotkanetRegionId, u.sourceUrl])],
  );
}

/**
 * insertSyncedIndicatorValues: new values, 12 columns each (indicator id,
 * region kind, region code, Sotkanet region id, year, sex, value, absolute
 * value, source register, source URL, fetched at, sync report id). Returns
 * the rows written, whole (for the audit trail).
 */
export async function insertSyncedIndicatorValues(tx: EntityManager, chunk: readonly (readonly unknown[])[]): Promise<StoredIndicatorValue[]> {
  return await inTransaction<StoredIndicatorValue[]>(
    tx,
    `/* insertSyncedIndicatorValues */ insert into indicator_value (indicator_id, region_kind, region_code, sotkanet_region_id, year, sex, value, absolute_value, source_register, source_url, fetched_at, sync_report_id)
           values ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
           returning ${INDICATOR_VALUE_COLUMNS}`,
    chunk.flat(),
  );
}
