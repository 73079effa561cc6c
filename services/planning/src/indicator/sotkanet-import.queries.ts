import type { EntityManager } from "@mikro-orm/postgresql";
import { INDICATOR_VALUE_COLUMNS, type IndicatorValueRow } from "./indicator-value-audit.queries.ts";

/**
 * The Sotkanet import's writes: upserts whose conflict rules an entity flush
 * does not express. Give them the import transaction's EntityManager.
 */

/** upsertIndicator: an indicator by id; `metadataWins` replaces name, unit and source, else a known indicator stays as it is. */
export async function upsertIndicator(tx: EntityManager, params: readonly unknown[], metadataWins: boolean): Promise<void> {
  const onConflict = metadataWins
    ? `do update set name = excluded.name, name_en = excluded.name_en, unit = excluded.unit, source = excluded.source`
    : `do nothing`;
  await tx.execute(
    `/* upsertIndicator */ insert into indicator (id, sotkanet_id, name, name_en, unit, source) values (?, ?, ?, ?, ?, ?) on conflict (id) ${onConflict}`,
    [...params],
    "run",
  );
}

/**
 * upsertIndicatorValues: values (8 columns each) by indicator, region, year
 * and sex; a known one takes the new value, one that has it already is left
 * as it is. A value it writes has no register provenance (`registerProvenance`
 * is null for a value imported from a file): a synced one it overwrites loses
 * the sync's (register, source URL, fetch time, sync report). Returns the
 * rows it created or changed, whole (for the audit trail).
 */
export async function upsertIndicatorValues(tx: EntityManager, chunk: readonly (readonly unknown[])[]): Promise<IndicatorValueRow[]> {
  return await tx.execute<IndicatorValueRow[]>(
    `/* upsertIndicatorValues */ insert into indicator_value (indicator_id, region_kind, region_code, sotkanet_region_id, year, sex, value, absolute_value)
     values ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
     on conflict (indicator_id, region_kind, region_code, year, sex)
     do update set value = excluded.value, absolute_value = excluded.absolute_value, sotkanet_region_id = excluded.sotkanet_region_id,
                   source_register = null, source_url = null, fetched_at = null, sync_report_id = null
     where (indicator_value.value, indicator_value.absolute_value, indicator_value.sotkanet_region_id)
           is distinct from (excluded.value, excluded.absolute_value, excluded.sotkanet_region_id)
     returning ${INDICATOR_VALUE_COLUMNS}`,
    chunk.flat(),
    "all",
  );
}
