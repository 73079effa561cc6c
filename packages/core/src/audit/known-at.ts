import { ReferenceKind } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError } from "../errors.ts";
import { CHANGE_OUTBOX_TABLE } from "../change-feed.ts";
import { readPreparedIn } from "../loaders.ts";
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
 * Tables with a composite key are shadowed too: those audited row by row
 * (their changes found by the snapshot's key properties), and link tables
 * audited as a list field of their owner (`auditedAsList`), whose rows known
 * at T are the list in the owner's first later change that holds it.
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
  if (Number.isNaN(at.getTime()) || !onTheCalendar(value)) throw new BadUserInputError(field, "is not a valid instant (no such day or time of day)");
  if (at.getTime() > now.getTime()) throw new BadUserInputError(field, "must not be in the future");
  return at.toISOString();
}

/** Whether the date, the time of day and the offset of a well-formed instant exist (`Date` rolls 30 February over into March). */
function onTheCalendar(value: string): boolean {
  const [year, month, day, hour, minute, second = 0] = (value.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/) ?? [])
    .slice(1)
    .filter((part) => part !== undefined)
    .map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year!, month! - 1, day!);
  const offset = /[+-](\d{2}):(\d{2})$/.exec(value);
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour! <= 23 &&
    minute! <= 59 &&
    second <= 59 &&
    (!offset || (Number(offset[1]) <= 14 && Number(offset[2]) <= 59))
  );
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (value: string) => `'${value.replaceAll("'", "''")}'`;

interface ShadowedTable {
  table: string;
  entityType: string;
  /** [column, property] of the primary key: one (matched on the change's `entity_id`) or several (matched on the snapshot's key properties). */
  key: [string, string][];
  /** [column, property] of every column the trail's snapshots hold. */
  columns: [string, string][];
}

/** A link table audited as a list field of its owner (see `auditedAsList`), with its columns. */
interface ListTable {
  table: string;
  ownerType: string;
  ownerColumn: string;
  itemColumn: string;
  field: string;
  /** [column, value] the rebuilt rows hold; rows with other values are not rebuilt. */
  fixed: [string, string][];
}

/** How a link table is audited as a list field of its owner: see `auditedAsList`. */
export interface AuditedListSpec {
  /** The owner entity whose changes hold the list (their `before`/`after` field `field`). */
  owner: Function;
  /** Property of the link holding the owner's (single) key. */
  ownerKey: string;
  /** Property of the link holding an item of the list. */
  item: string;
  /** The owner's audited field: the whole list, as `auditAlongside` records it. */
  field: string;
  /** Properties every row of the list has with these values (e.g. a subject type); rows with others are not the list's. */
  fixed?: Record<string, string>;
}

const listAudited = new Map<Function, AuditedListSpec>();

/**
 * Declares that the rows of link entity `link` are not audited one by one but
 * as a list field of their owner (`auditAlongside`: the owner's changes hold
 * `field` whole, before and after): a `knownAt` read rebuilds the owner's rows
 * from the `before` of the owner's first later change that holds the field
 * (none for an owner created later). Every column of the link must be the
 * owner key, the item or a fixed one.
 */
export function auditedAsList(link: Function, spec: AuditedListSpec): void {
  listAudited.set(link, spec);
}

const tablesByOrm = new WeakMap<object, { tables: ShadowedTable[]; lists: ListTable[] }>();

const persisted = (prop: { persist?: boolean; formula?: unknown; kind: ReferenceKind; owner?: boolean }) =>
  prop.persist !== false &&
  !prop.formula &&
  (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner));

/**
 * Tables of the service's entities that the trail can reconstruct (not the
 * trail or the outbox themselves): those audited row by row, with a single or
 * composite key (of scalar columns), and the link tables audited as a list field of their owner.
 */
function shadowedTables(em: EntityManager): { tables: ShadowedTable[]; lists: ListTable[] } {
  const metadata = em.getMetadata();
  const cached = tablesByOrm.get(metadata);
  if (cached) return cached;
  const tables: ShadowedTable[] = [];
  const lists: ListTable[] = [];
  for (const meta of metadata.getAll().values()) {
    if (meta.abstract || meta.embeddable || meta.virtual || !meta.class || meta.class === ChangeRecord) continue;
    if (meta.tableName === CHANGE_OUTBOX_TABLE || meta.primaryKeys.length === 0) continue;
    const columns: [string, string][] = [];
    for (const prop of meta.props) {
      if (!persisted(prop) || prop.fieldNames?.length !== 1) continue;
      columns.push([prop.fieldNames[0]!, prop.name]);
    }
    const columnOf = (property: string) => columns.find(([, p]) => p === property)?.[0];
    const list = listAudited.get(meta.class);
    if (list) {
      const ownerColumn = columnOf(list.ownerKey);
      const itemColumn = columnOf(list.item);
      const fixed = Object.entries(list.fixed ?? {}).map(([p, value]): [string, string] => [columnOf(p) ?? "", value]);
      const covered = new Set([ownerColumn, itemColumn, ...fixed.map(([c]) => c)]);
      if (!ownerColumn || !itemColumn || fixed.some(([c]) => !c) || columns.some(([c]) => !covered.has(c))) {
        throw new Error(`auditedAsList(${meta.className}): every column must be the owner key, the item or a fixed one`);
      }
      lists.push({ table: meta.tableName, ownerType: graphqlTypeName(list.owner), ownerColumn, itemColumn, field: list.field, fixed });
      continue;
    }
    const key = meta.primaryKeys.map((name): [string, string] | undefined => {
      const prop = meta.properties[name];
      return prop?.kind === ReferenceKind.SCALAR && prop.fieldNames?.length === 1 ? [prop.fieldNames[0]!, prop.name] : undefined;
    });
    if (key.some((k) => !k)) continue;
    tables.push({ table: meta.tableName, entityType: graphqlTypeName(meta.class), key: key as [string, string][], columns });
  }
  const found = { tables, lists };
  tablesByOrm.set(metadata, found);
  return found;
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
  // The hand-written reads that go to the pool (`readPrepared`) read in this transaction instead, where the views are.
  readPreparedIn(em.getTransactionContext());
  const rows = await em.execute<{ schema: string }[]>("/* knownAtSchema */ select current_schema() as schema");
  const schema = quoteIdent(rows[0]!.schema);
  const instant = `${quoteLiteral(at)}::timestamptz`;
  const trail = `${schema}.change_record`;
  const { tables, lists } = shadowedTables(em);
  const statements = tables.map(({ table, entityType, key, columns }) => {
    const qualified = `${schema}.${quoteIdent(table)}`;
    const type = quoteLiteral(entityType);
    if (key.length === 1) {
      return `create temp view ${quoteIdent(table)} as
      select t.* from ${qualified} t
       where not exists (select 1 from ${trail} c where c.entity_type = ${type} and c.entity_id = t.${quoteIdent(key[0]![0])}::text and c.changed_at > ${instant})
      union all
      select (jsonb_populate_record(null::${qualified}, ${columnObject(columns, "f.before")})).*
        from (select distinct on (c.entity_id) c.before from ${trail} c
               where c.entity_type = ${type} and c.changed_at > ${instant}
               order by c.entity_id, c.changed_at, c.id) f
       where f.before is not null`;
    }
    // A composite key: a change's record is the one its snapshot's key properties name (before, or
    // after for a CREATE), as a raw-SQL write may spell its entity_id otherwise than the ORM does.
    const keyOf = (property: string) => `coalesce(c.before, c.after)->>${quoteLiteral(property)}`;
    const sameKey = key.map(([column, property]) => `${keyOf(property)} = t.${quoteIdent(column)}::text`).join(" and ");
    return `create temp view ${quoteIdent(table)} as
      select t.* from ${qualified} t
       where not exists (select 1 from ${trail} c where c.entity_type = ${type} and c.changed_at > ${instant} and ${sameKey})
      union all
      select (jsonb_populate_record(null::${qualified}, ${columnObject(columns, "f.before")})).*
        from (select distinct on (${key.map(([, p]) => keyOf(p)).join(", ")}) c.before from ${trail} c
               where c.entity_type = ${type} and c.changed_at > ${instant} and ${key.map(([, p]) => `${keyOf(p)} is not null`).join(" and ")}
               order by ${key.map(([, p]) => keyOf(p)).join(", ")}, c.changed_at, c.id) f
       where f.before is not null`;
  });
  for (const { table, ownerType, ownerColumn, itemColumn, field, fixed } of lists) {
    const qualified = `${schema}.${quoteIdent(table)}`;
    const type = quoteLiteral(ownerType);
    // The owner's first change after the instant that holds the list (or creates the owner: no list then).
    const holds = `(c.before is null or c.before->${quoteLiteral(field)} is not null)`;
    const ofList = fixed.map(([column, value]) => `t.${quoteIdent(column)}::text = ${quoteLiteral(value)}`);
    const values = [[ownerColumn, "f.entity_id"], [itemColumn, "i.item"], ...fixed.map(([column, value]) => [column, quoteLiteral(value)])];
    statements.push(`create temp view ${quoteIdent(table)} as
      select t.* from ${qualified} t
       where not (${[...ofList, `exists (select 1 from ${trail} c where c.entity_type = ${type} and c.entity_id = t.${quoteIdent(ownerColumn)}::text and c.changed_at > ${instant} and ${holds})`].join(" and ")})
      union all
      select (jsonb_populate_record(null::${qualified}, jsonb_build_object(${values.map(([column, value]) => `${quoteLiteral(column!)}, ${value}`).join(", ")}))).*
        from (select distinct on (c.entity_id) c.entity_id, c.before from ${trail} c
               where c.entity_type = ${type} and c.changed_at > ${instant} and ${holds}
               order by c.entity_id, c.changed_at, c.id) f
        cross join lateral jsonb_array_elements_text(case when jsonb_typeof(f.before->${quoteLiteral(field)}) = 'array' then f.before->${quoteLiteral(field)} else '[]'::jsonb end) i(item)`);
  }
  if (statements.length) await em.execute(`/* knownAtViews */ ${statements.join(";\n")}`);
}
