import { type FilterQuery, type QueryOrderMap, ReferenceKind } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import type pg from "pg";
import { recordStatement } from "./statement-log.ts";
import { inSpan } from "./tracing.ts";
/**
 * Helpers for DataLoader batch functions: a batch runs one `IN (...)` query and
 * must answer in key order, with `null` or `[]` for keys that matched nothing.
 */
export function orderByKeys<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const byKey = new Map<K, V>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((key) => byKey.get(key) ?? null);
}

export function groupByKeys<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const byKey = new Map<K, V[]>();
  for (const key of keys) byKey.set(key, []);
  for (const row of rows) byKey.get(keyOf(row))?.push(row);
  return keys.map((key) => byKey.get(key) ?? []);
}

/**
 * DataLoader cache key for argument objects (e.g. a `kind` filter next to a
 * parent id): a stable string, so equal arguments share one batch entry.
 */
export function cacheKey(value: unknown): string {
  if (value === null || typeof value !== "object" || value instanceof Date) return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined || typeof item === "function" ? "null" : cacheKey(item))).join(",")}]`;
  // Keys in code-unit order, written directly: a loader's key per load of every sibling (seats, memberships).
  let text = "{";
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === "function") continue;
    if (text.length > 1) text += ",";
    text += `${JSON.stringify(key)}:${cacheKey(item)}`;
  }
  return `${text}}`;
}

/**
 * Read-only rows for DataLoader batches on hot paths: the query builder's
 * results mapped to property names, without entity instances. MikroORM's
 * hydration and identity map (instance property descriptors, change
 * tracking) cost several times the query itself on large fan-outs; a loader's
 * result is only read by resolvers, never changed and flushed. Mutations keep
 * using managed entities.
 */
export async function findRows<T extends object>(
  em: EntityManager,
  entity: new () => T,
  where: NoInfer<FilterQuery<T>>,
  orderBy?: NoInfer<QueryOrderMap<T>>,
  options: FindRowsOptions<T> = {},
): Promise<T[]> {
  const { limit, leaveOut } = options;
  const context = em.getTransactionContext();
  const plain = plainStatement(em, entity, where as Record<string, unknown>, orderBy as Record<string, unknown> | undefined, options, context ? "orm" : "prepared");
  if (plain && !context) {
    // As the query builder runs a select: on the read database (a replica, when configured).
    return mapRows(em, entity, await readPrepared(em, plain.sql, plain.params));
  }
  if (plain) {
    // Inside a transaction: on its connection, through the ORM.
    const rows = (await em.getConnection("write").execute(plain.sql, plain.params, "all", context)) as Record<string, unknown>[];
    return mapRows(em, entity, rows);
  }
  const qb = em.createQueryBuilder(entity);
  if (leaveOut?.length) qb.select(columnsWithout(em, entity, leaveOut) as never);
  else qb.select("*");
  qb.where(where);
  if (orderBy) qb.orderBy(orderBy);
  if (limit !== undefined) qb.limit(limit);
  return await qb.execute("all");
}

/** pg's pool behind each ORM connection (the primary's, a replica's). */
const pools = new WeakMap<object, Promise<pg.Pool>>();
/** Name of each prepared statement text: unique for the process, so no connection ever holds two texts under one name. */
const preparedNames = new Map<string, string>();
let preparedCount = 0;

/**
 * A read as a named prepared statement on the read database's pool, its values
 * bound as numbered parameters (`$1`; a list as one array parameter,
 * `= any($1)`): `findRows`' plain reads outside a transaction and hand-written
 * reads on hot paths. Never inside the caller's transaction but a `knownAt`
 * request's (`readPreparedIn`), where it runs unprepared (as the read
 * connection's `execute` without a context). Through the ORM every statement
 * is sent as new text with its values written into it, which PostgreSQL parses
 * and plans each time: for a 20-key batch that is twice the server CPU of a
 * prepared one (bench/README.md, "The executor's projection, prepared
 * statements"). Counted, timed and traced as the ORM's statements are.
 */
export async function readPrepared(em: EntityManager, text: string, values: readonly unknown[]): Promise<Record<string, unknown>[]> {
  const context = em.getTransactionContext() as object | undefined;
  if (context && readsInTransaction.has(context)) return await readInTransaction(context, text, values);
  const connection = em.getConnection("read");
  let pool = pools.get(connection);
  if (!pool) {
    pool = (connection as unknown as { getNativeClient(): Promise<pg.Pool> }).getNativeClient();
    pools.set(connection, pool);
  }
  const client = await pool;
  const run = async (query: pg.QueryConfig): Promise<Record<string, unknown>[]> => {
    const started = performance.now();
    try {
      const rows = (await client.query(query)).rows as Record<string, unknown>[];
      recordStatement(text, performance.now() - started, false);
      return rows;
    } catch (error) {
      recordStatement(text, performance.now() - started, true);
      throw error;
    }
  };
  let name = preparedNames.get(text);
  if (name === undefined) {
    name = `yp${(preparedCount += 1)}`;
    preparedNames.set(text, name);
  }
  try {
    return await run({ name, text, values: [...values] });
  } catch (error) {
    if (!planOutdated(error)) throw error;
    // A migration changed what the statement returns (a column added to a table it reads with `*`)
    // while this connection kept its prepared plan: run it unprepared now, and prepare it afresh
    // under a new name from now on.
    preparedNames.set(text, `yp${(preparedCount += 1)}`);
    return await run({ text, values: [...values] });
  }
}

/**
 * A hand-written read (`?` placeholders, as the ORM's `execute`): in the
 * request's transaction when there is one — a `knownAt` request, whose
 * transaction alone sees the tables as known then (audit/known-at.ts), or a
 * mutation reading its own writes — otherwise on the read database (a
 * replica when one is configured). A read sent on the read connection
 * without the transaction answers as now whatever the request's `knownAt`.
 */
export async function readRows<T extends object = Record<string, unknown>>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const context = em.getTransactionContext() as object | undefined;
  if (!context) return await em.getConnection("read").execute<T[]>(sql, [...params], "all");
  // One connection: reads asked together (a page and its count) are sent one after the other, as pg 9 will require.
  const read = (readsOfTransaction.get(context) ?? Promise.resolve()).then(() => em.getConnection("write").execute<T[]>(sql, [...params], "all", context));
  readsOfTransaction.set(context, read.catch(() => undefined));
  return await read;
}

const readsOfTransaction = new WeakMap<object, Promise<unknown>>();

/** Transactions whose reads must see what only they see (a `knownAt` request's shadowing views): see `readPreparedIn`. */
const readsInTransaction = new WeakSet<object>();

/**
 * Makes `readPrepared` run in the transaction `context` (an EntityManager's
 * transaction context) instead of on the pool: for a `knownAt` request, whose
 * transaction shadows the tables with temporary views (audit/known-at.ts) that
 * no other connection sees. Other reads keep the pool's prepared statements.
 */
export function readPreparedIn(context: object | undefined): void {
  if (context) readsInTransaction.add(context);
}

let inTransactionCount = 0;

/** A `readPrepared` statement on the transaction's connection, its numbered parameters bound (unprepared: temporary views must not be planned into a prepared statement). */
async function readInTransaction(context: object, text: string, values: readonly unknown[]): Promise<Record<string, unknown>[]> {
  // The transaction's query executor takes a compiled query: the text and its parameters, as the driver sends them.
  const compiled = { sql: text, parameters: [...values], query: { kind: "RawNode", sqlFragments: [text], parameters: [] }, queryId: { queryId: `yp-tx-${(inTransactionCount += 1)}` } };
  const started = performance.now();
  try {
    const result = await (context as { executeQuery(query: unknown): Promise<{ rows: Record<string, unknown>[] }> }).executeQuery(compiled);
    recordStatement(text, performance.now() - started, false);
    return result.rows;
  } catch (error) {
    recordStatement(text, performance.now() - started, true);
    throw error;
  }
}

/** PostgreSQL refused a prepared statement because the tables under it changed shape (SQLSTATE 0A000). */
function planOutdated(error: unknown): boolean {
  return (error as { code?: unknown }).code === "0A000" && /cached plan must not change result type/.test(error instanceof Error ? error.message : "");
}

/** The text of a plain statement, by dialect, entity, filtered columns, order and options: built once, its values bound per batch. */
const statementTexts = new Map<string, string>();
const ORDER = /^(asc|desc)( nulls (first|last))?$/i;
const RANGE: Record<string, string> = { $gt: ">", $gte: ">=", $lt: "<", $lte: "<=" };

/**
 * The statement of a loader batch whose filter is plain (`{ field: value }`,
 * `{ field: null }`, `{ field: { $in: keys } }` or a range of `$gt`, `$gte`,
 * `$lt`, `$lte` on scalar columns, ANDed) and whose order names scalar
 * columns, written directly: the query builder builds criteria nodes per key
 * and per batch, a tenth of the organisations subgraph's CPU on the
 * `_entities` batches of the large views (bench/README.md). Anything else
 * (`$or`, relations, other operators) returns null and goes through the query
 * builder. `prepared`: PostgreSQL's numbered parameters, a list as one array
 * parameter (one text whatever its length); `orm`: the ORM's `?` placeholders.
 */
function plainStatement(
  em: EntityManager,
  entity: new () => object,
  where: Record<string, unknown>,
  orderBy: Record<string, unknown> | undefined,
  { limit, leaveOut }: FindRowsOptions<never>,
  dialect: "prepared" | "orm",
): { sql: string; params: unknown[] } | null {
  if (where === null || typeof where !== "object" || Array.isArray(where)) return null;
  const meta = em.getMetadata().get(entity);
  const column = (name: string): string | null => {
    const prop = meta.properties[name];
    if (!prop || prop.persist === false || prop.formula || prop.kind !== ReferenceKind.SCALAR || prop.fieldNames?.length !== 1) return null;
    return prop.fieldNames[0]!;
  };
  const params: unknown[] = [];
  const placeholder = (value: unknown): string => {
    params.push(value);
    return dialect === "prepared" ? `$${params.length}` : "?";
  };
  const scalar = (value: unknown): boolean => typeof value === "string" || typeof value === "number" || (value instanceof Date && !Number.isNaN(value.getTime()));
  const shape: string[] = [dialect];
  const conditions: string[] = [];
  for (const [name, value] of Object.entries(where)) {
    const field = column(name);
    if (!field) return null;
    const quoted = `"${field}"`;
    if (value === null) {
      shape.push(`${name}:null`);
      conditions.push(`${quoted} is null`);
    } else if (typeof value === "string" || typeof value === "number") {
      shape.push(`${name}:=`);
      conditions.push(`${quoted} = ${placeholder(value)}`);
    } else if (typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)) {
      const entries = Object.entries(value);
      const list = (value as { $in?: unknown }).$in;
      if (list !== undefined) {
        if (entries.length !== 1 || !Array.isArray(list) || !list.every((k) => typeof k === "string" || typeof k === "number")) return null;
        if (list.length === 0) {
          shape.push(`${name}:none`);
          conditions.push("false");
        } else if (dialect === "prepared") {
          shape.push(`${name}:any`);
          conditions.push(`${quoted} = any(${placeholder(list)})`);
        } else {
          shape.push(`${name}:in${list.length}`);
          conditions.push(`${quoted} in (${list.map((k) => placeholder(k)).join(",")})`);
        }
      } else {
        if (entries.length === 0) return null;
        for (const [operator, bound] of entries) {
          const sign = RANGE[operator];
          if (!sign || !scalar(bound)) return null;
          shape.push(`${name}:${operator}`);
          conditions.push(`${quoted} ${sign} ${placeholder(bound)}`);
        }
      }
    } else return null;
  }
  const order: string[] = [];
  for (const [name, direction] of Object.entries(orderBy ?? {})) {
    const field = column(name);
    if (!field || typeof direction !== "string" || !ORDER.test(direction)) return null;
    order.push(`"${field}" ${direction.toLowerCase()}`);
  }
  const key = `${meta.className}|${shape.join(",")}|${order.join(",")}|${leaveOut?.join(",") ?? ""}|${limit ?? ""}`;
  let sql = statementTexts.get(key);
  if (sql === undefined) {
    // The entity's columns by name, never `*`: a column a migration adds does not change what a
    // prepared statement returns.
    const columns = columnsWithout(em, entity, leaveOut ?? [])
      .map((name) => meta.properties[name]!.fieldNames.map((f) => `"${f}"`).join(", "))
      .join(", ");
    sql = `select ${columns} from "${meta.tableName}"` +
      (conditions.length ? ` where ${conditions.join(" and ")}` : "") +
      (order.length ? ` order by ${order.join(", ")}` : "") +
      (limit !== undefined ? ` limit ${Number(limit)}` : "");
    // The ORM's statements of `in` lists differ by their length: keep the cache bounded.
    if (statementTexts.size > 2000) statementTexts.clear();
    statementTexts.set(key, sql);
  }
  return { sql, params };
}

export interface FindRowsOptions<T> {
  limit?: number;
  /**
   * Properties not to read (e.g. `propertiesToLeaveOut` of what the query
   * selects): the statement names every other column, and the rows lack
   * these properties (`undefined`, not the entity's defaults). Never prime a
   * loader shared with other fields with such rows.
   */
  leaveOut?: readonly (keyof T & string)[];
}

/** The entity's properties that have a column of its table (what `select *` reads), but `leaveOut`. */
function columnsWithout<T extends object>(em: EntityManager, entity: new () => T, leaveOut: readonly string[]): string[] {
  const meta = em.getMetadata().get(entity);
  for (const name of leaveOut) {
    if (!meta.properties[name]) throw new Error(`${meta.className} has no property "${name}" to leave out`);
  }
  return meta.props
    .filter(
      (p) =>
        p.persist !== false &&
        !p.formula &&
        (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE || (p.kind === ReferenceKind.ONE_TO_ONE && p.owner)) &&
        !leaveOut.includes(p.name),
    )
    .map((p) => p.name);
}

/**
 * Raw rows of an entity's table (e.g. from a hand-written join) mapped to its
 * property names, as `findRows` returns them: read-only, no entity instances.
 */
export function mapRows<T extends object>(em: EntityManager, entity: new () => T, rows: readonly Record<string, unknown>[]): T[] {
  const meta = em.getMetadata().get(entity);
  const driver = em.getDriver();
  return rows.map((row) => driver.mapResult(row, meta) as T);
}

const indexCache = new WeakMap<readonly object[], Map<(row: never) => unknown, Map<unknown, object[]>>>();

/**
 * Rows of a loader result grouped by a key, computed once per result array
 * and key function: field resolvers of many siblings (every seat of a group,
 * every nominator of a round) read the same batch, and filtering it per
 * sibling grows with the square of its size. Pass a module-level function so
 * the cache is hit.
 */
export function indexOnce<T extends object, K>(rows: readonly T[], keyOf: (row: T) => K): Map<K, T[]> {
  let byFunction = indexCache.get(rows);
  if (!byFunction) indexCache.set(rows, (byFunction = new Map()));
  let index = byFunction.get(keyOf as (row: never) => unknown) as Map<K, T[]> | undefined;
  if (!index) {
    index = new Map();
    for (const row of rows) {
      const key = keyOf(row);
      let list = index.get(key);
      if (!list) index.set(key, (list = []));
      list.push(row);
    }
    byFunction.set(keyOf as (row: never) => unknown, index as Map<unknown, object[]>);
  }
  return index;
}

/** `field IN (keys)` for an entity property (a batch's keys). */
export function whereIn<T extends object>(field: keyof T & string, keys: readonly unknown[]): FilterQuery<T> {
  return { [field]: { $in: [...keys] } } as FilterQuery<T>;
}

/** Rows whose `field` is one of the keys, grouped per key, in `orderBy` order: one statement per batch. */
export function rowsByKey<T extends object, F extends keyof T & string>(
  em: EntityManager,
  entity: new () => T,
  field: F,
  orderBy: NoInfer<QueryOrderMap<T>>,
): DataLoader<T[F] & string, T[]> {
  return new DataLoader<T[F] & string, T[]>(async (keys) =>
    await inSpan(`loader ${entity.name}.${field}`, async () => {
      const rows = await findRows(em, entity, whereIn<T>(field, keys), orderBy);
      return groupByKeys(keys, rows, (row) => row[field] as T[F] & string);
    }),
  );
}

/** Rows by primary key `id`, `null` for ids that matched nothing: one statement per batch. */
export function rowById<T extends { id: string }>(em: EntityManager, entity: new () => T): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) =>
    await inSpan(`loader ${entity.name}.id`, async () => {
      const rows = await findRows(em, entity, whereIn<T>("id", ids));
      return orderByKeys(ids, rows, (row) => row.id);
    }),
  );
}

/** Groups rows under every key listed in one of their array columns (a row may belong to several keys). */
export function groupByArray<V>(keys: readonly string[], rows: readonly V[], keysOf: (row: V) => readonly string[]): V[][] {
  const byKey = new Map<string, V[]>(keys.map((k) => [k, []]));
  for (const row of rows) for (const key of keysOf(row)) byKey.get(key)?.push(row);
  return keys.map((key) => byKey.get(key) ?? []);
}
