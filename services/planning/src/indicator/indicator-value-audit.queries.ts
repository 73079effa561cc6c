import { randomUUID } from "node:crypto";
import type { EntityName } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { auditActorOf, auditedRow, type ChangeOperation, changedFields, graphqlTypeName, maskValues } from "@yhdyspinta/core";
import { IndicatorValueRevision } from "./indicator-revision.entity.ts";
import { IndicatorValue } from "./indicator.entity.ts";

/**
 * The audit trail of indicator values and their revisions written with hand
 * SQL (the Sotkanet sync and the Sotkanet file import): whole rows, as the ORM's own entries
 * hold them, so that a `knownAt` read rebuilds a value from the `before` of
 * its first later entry (packages/core/src/audit/known-at.ts). A run writes
 * thousands of values: the entries go in a few statements, not one a value,
 * and a value the write left as it was gets none.
 */

/** The figure and its register provenance: the columns a value and its revisions share. */
interface FigureColumns {
  value: number | null;
  absolute_value: number | null;
  source_register: string | null;
  source_url: string | null;
  /** ISO 8601 in UTC with milliseconds, as the ORM's own entries hold an instant (the driver's text would be PostgreSQL's). */
  fetched_at: string | null;
  sync_report_id: string | null;
}

/** An `indicator_value` row, every column (as `INDICATOR_VALUE_COLUMNS` selects it). */
export interface IndicatorValueRow extends FigureColumns {
  id: string;
  indicator_id: string;
  region_kind: string;
  region_code: string;
  sotkanet_region_id: number | null;
  year: number;
  sex: string;
}

/** Every column of `indicator_value`, for a select or a `returning` that the trail records whole. */
export const INDICATOR_VALUE_COLUMNS = `id, indicator_id, region_kind, region_code, sotkanet_region_id, year, sex, value, absolute_value, source_register, source_url,
  to_char(fetched_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as fetched_at, sync_report_id`;

/** A value's write: no `before` when it was created, no `after` when it was deleted. */
export interface IndicatorValueChange {
  before: IndicatorValueRow | null;
  after: IndicatorValueRow | null;
}

/** An `indicator_value_revision` row, every column (as `INDICATOR_VALUE_REVISION_COLUMNS` selects it). */
export interface IndicatorValueRevisionRow extends FigureColumns {
  id: string;
  indicator_value_id: string;
  /** ISO 8601 in UTC with milliseconds. */
  replaced_at: string;
  replaced_by_sync_report_id: string | null;
}

/** Every column of `indicator_value_revision`, for a `returning` that the trail records whole. */
export const INDICATOR_VALUE_REVISION_COLUMNS = `id, indicator_value_id, value, absolute_value, source_register, source_url,
  to_char(fetched_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as fetched_at, sync_report_id,
  to_char(replaced_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as replaced_at, replaced_by_sync_report_id`;

/** Entries a statement inserts at most. */
const CHUNK = 500;

/**
 * Records the writes of indicator values in the caller's transaction (pass
 * its EntityManager), as its actor (e.g. `register:sotkanet`), one statement
 * per 500 entries; a change that leaves every column as it was is not
 * recorded. Returns how many entries were written. Nothing is recorded
 * outside an audited fork (no actor), as with `recordChange`.
 */
export async function recordIndicatorValueChanges(tx: EntityManager, changes: readonly IndicatorValueChange[]): Promise<number> {
  return await recordRowChanges(tx, IndicatorValue, changes);
}

/**
 * Records the revisions a write created (`indicator_value_revision` rows,
 * whole), as `recordIndicatorValueChanges` records values: so that a
 * `knownAt` read from before their creation does not list them.
 */
export async function recordIndicatorValueRevisionsCreated(tx: EntityManager, created: readonly IndicatorValueRevisionRow[]): Promise<number> {
  return await recordRowChanges(
    tx,
    IndicatorValueRevision,
    created.map((after) => ({ before: null, after })),
  );
}

/** The writes of rows of `entity` (whole rows, by column, with an `id`), as `recordIndicatorValueChanges` describes. */
async function recordRowChanges(
  tx: EntityManager,
  entity: EntityName<object> & Function,
  changes: readonly { before: { id: string } | null; after: { id: string } | null }[],
): Promise<number> {
  const actor = auditActorOf(tx);
  if (!actor || changes.length === 0) return 0;
  const entityType = graphqlTypeName(entity);
  const entries: Record<string, unknown>[] = [];
  for (const { before, after } of changes) {
    const row = after ?? before;
    if (!row) continue;
    const operation: ChangeOperation = before === null ? "CREATE" : after === null ? "DELETE" : "UPDATE";
    const rawBefore = before && auditedRow(tx, entity, before);
    const rawAfter = after && auditedRow(tx, entity, after);
    const maskedBefore = maskValues(rawBefore);
    const maskedAfter = maskValues(rawAfter);
    const fields = changedFields(maskedBefore, maskedAfter, { before: rawBefore, after: rawAfter });
    if (operation === "UPDATE" && fields.length === 0) continue;
    // A missing key reads as SQL null in jsonb_to_recordset: a CREATE has no `before`, a DELETE no `after`.
    entries.push({
      id: randomUUID(),
      entity_id: String(row.id),
      operation,
      ...(maskedBefore ? { before: maskedBefore } : {}),
      ...(maskedAfter ? { after: maskedAfter } : {}),
      changed_fields: fields,
    });
  }
  // A chunk's entries as one JSON text, cast when the statement runs: the ORM writes the parameter
  // into the statement, and such a literal typed jsonb when parsed (`?::jsonb`) took PostgreSQL
  // 130–330 ms for 500 entries (470 KB) where the cast from text took 25 ms.
  for (let start = 0; start < entries.length; start += CHUNK) {
    await tx.getConnection().execute(
      `/* recordIndicatorValueChanges */ insert into change_record (id, changed_at, actor_subject, actor_role, entity_type, entity_id, operation, before, after, changed_fields)
       select e.id, now(), ?, ?, ?, e.entity_id, e.operation, e.before, e.after, e.changed_fields
         from jsonb_to_recordset(cast(? as text)::jsonb) as e(id text, entity_id text, operation text, before jsonb, after jsonb, changed_fields jsonb)`,
      [actor.subject, actor.role, entityType, JSON.stringify(entries.slice(start, start + CHUNK))],
      "run",
      tx.getTransactionContext(),
    );
  }
  return entries.length;
}
