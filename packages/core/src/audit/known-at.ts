import { ReferenceKind } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError } from "../errors.ts";
import { CHANGE_OUTBOX_TABLE } from "../change-feed.ts";
import { ChangeRecord } from "./entity.ts";
import { graphqlTypeName } from "./record.ts";

/**
 * The register as it was known at an instant (`knownAt`), read from the
 * audit trail. A record's state known at T is its state before the first
 * change recorded after T; a record with no change after T is read as it is
 * now; a record created after T is absent and one deleted after T is back.
 *
 * The request's reads run in one transaction that shadows every audited
 * table with a temporary view of that name (PostgreSQL searches `pg_temp`
 * before the other schemas), so the loaders, the query builder and the
 * hand-written queries answer from the known state without a line of their
 * own changing. The transaction is rolled back when the request ends.
 *
 * Contact values changed after T read as the trail holds them (masked).
 */

/** Header the gateway forwards to the subgraphs with the request's `knownAt`. */
export const KNOWN_AT_HEADER = "x-yhdyspinta-known-at";

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads a `knownAt` value: an ISO 8601 instant with its offset, not in the
 * future. Returns it normalised (UTC, milliseconds) or throws
 * BAD_USER_INPUT naming `field`.
 */
export function parseKnownAt(value: string, field = "knownAt", now = new Date()): string {
  if (!INSTANT.test(value)) throw new BadUserInputError(field, "must be an ISO 8601 instant with its offset, e.g. 2026-03-01T12:00:00Z");
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new BadUserInputError(field, "is not a valid instant");
  if (at.getTime() > now.getTime()) throw new BadUserInputError(field, "must not be in the future");
  return at.toISOString();
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (value: string) => `'${value.replaceAll("'", "''")}'`;

interface ShadowedTable {
  table: string;
  entityType: string;
  idColumn: string;
  /** [column, property] of every column the trail's snapshots hold. */
  columns: [string, string][];
}

const tablesByOrm = new WeakMap<object, ShadowedTable[]>();

/** Tables of the service's entities that the trail can reconstruct: a single `id`-like key, not the trail or the outbox themselves. */
function shadowedTables(em: EntityManager): ShadowedTable[] {
  const metadata = em.getMetadata();
  const cached = tablesByOrm.get(metadata);
  if (cached) return cached;
  const tables: ShadowedTable[] = [];
  for (const meta of metadata.getAll().values()) {
    if (meta.abstract || meta.embeddable || meta.virtual || !meta.class || meta.class === ChangeRecord) continue;
    if (meta.tableName === CHANGE_OUTBOX_TABLE || meta.primaryKeys.length !== 1) continue;
    const pk = meta.properties[meta.primaryKeys[0]!];
    if (!pk?.fieldNames?.[0]) continue;
    const columns: [string, string][] = [];
    for (const prop of meta.props) {
      if (prop.persist === false || prop.formula) continue;
      if (!(prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner))) continue;
      if (prop.fieldNames?.length !== 1) continue;
      columns.push([prop.fieldNames[0]!, prop.name]);
    }
    tables.push({ table: meta.tableName, entityType: graphqlTypeName(meta.class), idColumn: pk.fieldNames[0]!, columns });
  }
  tablesByOrm.set(metadata, tables);
  return tables;
}

/** jsonb_build_object of a snapshot keyed by property, as one keyed by column (in chunks: at most 100 arguments a call). */
function columnObject(columns: [string, string][], snapshot: string): string {
  const parts: string[] = [];
  for (let i = 0; i < columns.length; i += 40) {
    const pairs = columns.slice(i, i + 40).map(([column, property]) => `${quoteLiteral(column)}, ${snapshot}->${quoteLiteral(property)}`);
    parts.push(`jsonb_build_object(${pairs.join(", ")})`);
  }
  return parts.length ? parts.join(" || ") : "'{}'::jsonb";
}

/**
 * Starts the request's transaction on `em` (a fresh fork) and shadows the
 * service's tables with their state known at `at` (normalised by
 * `parseKnownAt`). End with `em.rollback()`.
 */
export async function beginKnownAt(em: EntityManager, at: string): Promise<void> {
  await em.begin();
  const rows = await em.execute<{ schema: string }[]>("/* knownAtSchema */ select current_schema() as schema");
  const schema = quoteIdent(rows[0]!.schema);
  const instant = `${quoteLiteral(at)}::timestamptz`;
  const statements = shadowedTables(em).map(({ table, entityType, idColumn, columns }) => {
    const qualified = `${schema}.${quoteIdent(table)}`;
    const type = quoteLiteral(entityType);
    return `create temp view ${quoteIdent(table)} as
      select t.* from ${qualified} t
       where not exists (select 1 from ${schema}.change_record c where c.entity_type = ${type} and c.entity_id = t.${quoteIdent(idColumn)}::text and c.changed_at > ${instant})
      union all
      select (jsonb_populate_record(null::${qualified}, ${columnObject(columns, "f.before")})).*
        from (select distinct on (c.entity_id) c.before from ${schema}.change_record c
               where c.entity_type = ${type} and c.changed_at > ${instant}
               order by c.entity_id, c.changed_at, c.id) f
       where f.before is not null`;
  });
  if (statements.length) await em.execute(`/* knownAtViews */ ${statements.join(";\n")}`);
}
