import type { EntityManager } from "@mikro-orm/postgresql";
import { mapRows, readPrepared, readRows } from "@yhdyspinta/core";
import { OrganisationCategory } from "../category/category.entity.ts";
import { Municipality } from "../municipality/municipality.entity.ts";
import { containsPattern, normaliseSearch } from "../search.ts";
import { Organisation } from "./organisation.entity.ts";
import type { OrganisationFilter } from "./organisation.input.ts";

/** One entity of a batch, with the organisation id it was read for. */
export interface Keyed<T> {
  readonly key: string;
  readonly entity: T;
}

/**
 * Splits raw rows that carry the batch key in `_key` into the key and the
 * row mapped to property names: read-only rows like `findRows` gives, not
 * managed entities (hydration and the identity map cost more than the query
 * on a view's thousands of rows).
 */
function keyed<T extends object>(em: EntityManager, entity: new () => T, rows: Record<string, unknown>[]): Keyed<T>[] {
  const entities = mapRows(em, entity, rows.map(({ _key, ...row }) => row));
  return rows.map((row, i) => ({ key: String(row["_key"]), entity: entities[i]! }));
}

/**
 * municipalitiesOfOrganisations: the municipalities each organisation works
 * in, each in the classification of `year` (or its last earlier year), by
 * Finnish name.
 */
export async function municipalitiesOfOrganisations(em: EntityManager, ids: readonly string[], year: number): Promise<Keyed<Municipality>[]> {
  const rows = await readPrepared(
    em,
    `/* municipalitiesOfOrganisations */
     select om.organisation_id as "_key", m.*
       from organisation_municipality om
       join lateral (
         select * from municipality m
          where m.code = om.municipality_code and m.year <= $1
          order by m.year desc limit 1
       ) m on true
      where om.organisation_id = any($2)
      order by m.name_fi, m.code`,
    [year, [...ids]],
  );
  return keyed(em, Municipality, rows);
}

/** categoriesOfOrganisations: the categories each organisation is classified in, in each county's order. */
export async function categoriesOfOrganisations(em: EntityManager, ids: readonly string[]): Promise<Keyed<OrganisationCategory>[]> {
  const rows = await readPrepared(
    em,
    `/* categoriesOfOrganisations */
     select a.organisation_id as "_key", c.*
       from organisation_category_assignment a
       join organisation_category c on c.id = a.category_id
      where a.organisation_id = any($1)
      order by c.county_code, c.position`,
    [[...ids]],
  );
  return keyed(em, OrganisationCategory, rows);
}

/**
 * organisationsPage: `limit` organisations matching the filter in the stable
 * order (normalised name, id) after `cursor`, and the count of all that
 * match: one statement for the page and one for the total, whatever the filter.
 */
export async function organisationsPage(
  em: EntityManager,
  filter: OrganisationFilter | null,
  cursor: readonly unknown[] | null,
  limit: number,
): Promise<{ organisations: Organisation[]; total: number }> {
  // A duplicate merged into another record is listed only as that record.
  const where: string[] = ["o.merged_into is null"];
  const params: unknown[] = [];
  if (filter?.countyCode) {
    where.push("o.county_code = ?");
    params.push(filter.countyCode);
  }
  if (filter?.municipalityCode) {
    where.push("exists (select 1 from organisation_municipality om where om.organisation_id = o.id and om.municipality_code = ?)");
    params.push(filter.municipalityCode);
  }
  if (filter?.kind) {
    where.push("o.kind = ?");
    params.push(filter.kind);
  }
  if (filter?.categoryId) {
    where.push("exists (select 1 from organisation_category_assignment a where a.organisation_id = o.id and a.category_id = ?)");
    params.push(filter.categoryId);
  }
  if (filter?.category) {
    where.push(
      `exists (select 1 from organisation_category_assignment a join organisation_category c on c.id = a.category_id
                where a.organisation_id = o.id and c.name_normalised = ?${filter.countyCode ? " and c.county_code = ?" : ""})`,
    );
    params.push(normaliseSearch(filter.category));
    if (filter.countyCode) params.push(filter.countyCode);
  }
  if (filter?.parentId) {
    where.push("o.parent_id = ?");
    params.push(filter.parentId);
  }
  if (filter?.search && normaliseSearch(filter.search)) {
    where.push("o.search_text like ?");
    params.push(containsPattern(filter.search));
  }
  const whereSql = where.length ? `where ${where.join(" and ")}` : "";
  const pageWhere = cursor ? `${whereSql ? `${whereSql} and` : "where"} (o.name_normalised, o.id) > (?, ?)` : whereSql;
  const [rows, counted] = await Promise.all([
    readRows<Record<string, unknown>>(em,
      `/* organisationsPage */ select o.* from organisation o ${pageWhere} order by o.name_normalised, o.id limit ?`,
      [...params, ...(cursor ?? []), limit],
    ),
    readRows<{ count: string }>(em, `/* organisationsPageCount */ select count(*) as count from organisation o ${whereSql}`, params),
  ]);
  return { organisations: mapRows(em, Organisation, rows), total: Number(counted[0]?.count ?? 0) };
}

/** parentChain: ids of the organisation and every organisation above it (parent, its parent, …); give it the transaction's EntityManager. */
export async function parentChain(em: EntityManager, id: string): Promise<string[]> {
  const chain = await em.execute<{ id: string }[]>(
    `/* parentChain */ with recursive up(id, parent_id) as (
       select id, parent_id from organisation where id = ?
       union select o.id, o.parent_id from organisation o join up on o.id = up.parent_id
     ) select id from up`,
    [id],
  );
  return chain.map((row) => row.id);
}

/**
 * successionChain: ids of every organisation that took over tasks from the
 * given ones, directly or through later successions (not the given ones
 * unless a cycle leads back); give it the transaction's EntityManager.
 */
export async function successionChain(em: EntityManager, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const chain = await em.execute<{ id: string }[]>(
    `/* successionChain */ with recursive down(id) as (
       select successor_id from organisation_successor where organisation_id in (?)
       union select s.successor_id from organisation_successor s join down on s.organisation_id = down.id
     ) select id from down`,
    [[...ids]],
  );
  return chain.map((row) => row.id);
}

/**
 * backfillSuccessors: a successor row (ordinal 0) for every organisation
 * whose `successor_id` has none yet, e.g. the seeded wind-ups; idempotent.
 */
export async function backfillSuccessors(em: EntityManager): Promise<void> {
  await em.execute(
    `/* backfillSuccessors */ insert into organisation_successor (id, organisation_id, successor_id, tasks, ordinal)
     select 'succession-' || o.id, o.id, o.successor_id, null, 0 from organisation o
      where o.successor_id is not null
        and not exists (select 1 from organisation_successor s where s.organisation_id = o.id)
     on conflict do nothing`,
  );
}

/**
 * organisationsWithMerged: the organisations with these ids and, in the same
 * statement, the duplicates merged into them (`merged_into`), by id. On the
 * read database outside a transaction, as `findRows` reads.
 */
export async function organisationsWithMerged(em: EntityManager, ids: readonly string[]): Promise<Organisation[]> {
  if (ids.length === 0) return [];
  const context = em.getTransactionContext();
  if (!context) {
    return mapRows(em, Organisation, await readPrepared(em, `/* organisationsWithMerged */ select * from organisation where id = any($1) or merged_into = any($1) order by id`, [[...ids]]));
  }
  const rows: Record<string, unknown>[] = await em
    .getConnection("write")
    .execute(`/* organisationsWithMerged */ select * from organisation where id in (?) or merged_into in (?) order by id`, [[...ids], [...ids]], "all", context);
  return mapRows(em, Organisation, rows);
}
