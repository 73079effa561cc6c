import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * The hand SQL of a subgraph's scrub of an erased person's values
 * (personal-data-scrub.ts): which columns of its tables may hold a typed
 * value, the rows holding one (locked), writing them back, and the audit
 * trail's record of each scrub done.
 */

/** A table of the subgraph as the scrub sees it: its primary key and the columns free text or recorded values can be in. */
export interface ScrubTable {
  table: string;
  /** Primary key columns, in the key's order (none: the table is left alone). */
  key: string[];
  /** Columns of text, character varying, their arrays, json or jsonb that are neither a key nor a reference. */
  columns: { name: string; kind: "text" | "array" | "json" }[];
}

/** The entity type under which a subgraph records the scrub of a person's values in its own audit trail. */
export const SCRUB_ENTITY_TYPE = "DataSubject";

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const quote = (name: string) => {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain identifier: ${name.slice(0, 40)}`);
  return `"${name}"`;
};

function kindOf(type: string): ScrubTable["columns"][number]["kind"] | null {
  if (type === "text" || type === "character varying") return "text";
  if (type === "text[]" || type === "character varying[]") return "array";
  if (type === "json" || type === "jsonb") return "json";
  return null;
}

/**
 * scrubTables: of `tables`, each one's primary key and the columns a typed
 * value can be in (one statement). Columns of a primary or foreign key, or
 * named `id` or `…_id` (references to another subgraph's records, which
 * have no foreign key), generated columns, and every column of the audit
 * trail but `before` and `after` are left out: changing one would break a
 * reference, not remove a value typed in.
 */
export async function scrubTables(tx: EntityManager, tables: readonly string[]): Promise<ScrubTable[]> {
  const rows = await tx.getConnection().execute<{ table_name: string; column_name: string; type: string; key_position: number | null; foreign_key: boolean; generated: boolean }[]>(
    `/* scrubTables */ select c.relname as table_name, a.attname as column_name, format_type(a.atttypid, null) as type,
       array_position(p.conkey, a.attnum) as key_position,
       exists (select 1 from pg_constraint f where f.conrelid = c.oid and f.contype = 'f' and a.attnum = any(f.conkey)) as foreign_key,
       a.attgenerated <> '' as generated
     from pg_class c
     join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     left join pg_constraint p on p.conrelid = c.oid and p.contype = 'p'
     where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
       and c.relname in (select jsonb_array_elements_text(?::jsonb))
     order by c.relname, a.attnum`,
    [JSON.stringify(tables)],
    "all",
    tx.getTransactionContext(),
  );
  const out = new Map<string, ScrubTable & { keyAt: Map<string, number> }>();
  for (const r of rows) {
    if (!IDENTIFIER.test(r.table_name) || !IDENTIFIER.test(r.column_name)) continue;
    let table = out.get(r.table_name);
    if (!table) out.set(r.table_name, (table = { table: r.table_name, key: [], columns: [], keyAt: new Map() }));
    if (r.key_position !== null) {
      table.keyAt.set(r.column_name, r.key_position);
      continue;
    }
    const kind = kindOf(r.type);
    if (!kind || r.foreign_key || r.generated || r.column_name === "id" || r.column_name.endsWith("_id")) continue;
    if (r.table_name === "change_record" && r.column_name !== "before" && r.column_name !== "after") continue;
    table.columns.push({ name: r.column_name, kind });
  }
  return [...out.values()]
    .map(({ keyAt, ...table }) => ({ ...table, key: [...keyAt.entries()].sort((a, b) => a[1] - b[1]).map(([column]) => column) }))
    .filter((t) => t.key.length > 0 && t.columns.length > 0);
}

/**
 * scrubRows: the rows of `table` (whole, as JSON) in whose scrubbed columns
 * one of `needles` is, locked for the scrub. Text and arrays are searched
 * for the values as they are, JSON for them JSON-escaped.
 */
export async function scrubRows(tx: EntityManager, table: ScrubTable, needles: { raw: readonly string[]; json: readonly string[] }): Promise<Record<string, unknown>[]> {
  const conditions = table.columns.map((c) => {
    const column = `t.${quote(c.name)}`;
    if (c.kind === "text") return `position(r.v in coalesce(${column}, '')) > 0`;
    if (c.kind === "array") return `position(r.v in coalesce(array_to_string(${column}, chr(31)), '')) > 0`;
    return `position(j.v in coalesce(${column}::text, '')) > 0`;
  });
  const rows = await tx.getConnection().execute<{ row: Record<string, unknown> }[]>(
    `/* scrubRows */ select to_jsonb(t) as row from ${quote(table.table)} t
     where exists (
       select 1 from jsonb_array_elements_text(?::jsonb) with ordinality r(v, i)
       join jsonb_array_elements_text(?::jsonb) with ordinality j(v, i) using (i)
       where ${conditions.join(" or ")})
     for update`,
    [JSON.stringify(needles.raw), JSON.stringify(needles.json)],
    "all",
    tx.getTransactionContext(),
  );
  return rows.map((r) => r.row);
}

/** writeScrubbedRows: the scrubbed columns of `rows` (keyed by column, with the key) written back by key, in one statement. */
export async function writeScrubbedRows(tx: EntityManager, table: ScrubTable, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const name = quote(table.table);
  await tx.getConnection().execute(
    `/* writeScrubbedRows */ update ${name} t set ${table.columns.map((c) => `${quote(c.name)} = v.${quote(c.name)}`).join(", ")}
     from jsonb_populate_recordset(null::${name}, ?::jsonb) v
     where ${table.key.map((k) => `t.${quote(k)} = v.${quote(k)}`).join(" and ")}`,
    [JSON.stringify(rows)],
    "run",
    tx.getTransactionContext(),
  );
}

/** lockScrubOf: one scrub of a person's values at a time, until the transaction ends (a retry that overtakes the first waits for it). */
export async function lockScrubOf(tx: EntityManager, personId: string): Promise<void> {
  await tx.getConnection().execute(`/* lockScrubOf */ select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`personal-data-scrub:${personId}`], "all", tx.getTransactionContext());
}

/** scrubRecorded: whether the audit trail records the scrub of this erasure already (the answer to a repeated request). */
export async function scrubRecorded(tx: EntityManager, personId: string, erasureId: string): Promise<boolean> {
  const rows = await tx.getConnection().execute<{ found: number }[]>(
    `/* scrubRecorded */ select 1 as found from change_record
     where entity_type = ? and entity_id = ? and operation = 'DELETE' and before ->> 'erasureId' = ? limit 1`,
    [SCRUB_ENTITY_TYPE, personId, erasureId],
    "all",
    tx.getTransactionContext(),
  );
  return rows.length > 0;
}
