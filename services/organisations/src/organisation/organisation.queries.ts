import type { EntityManager } from "@mikro-orm/postgresql";
import { OrganisationCategory } from "../category/category.entity.ts";
import { Municipality } from "../municipality/municipality.entity.ts";

/** One entity of a batch, with the organisation id it was read for. */
export interface Keyed<T> {
  readonly key: string;
  readonly entity: T;
}

/** Splits raw rows that carry the batch key in `_key` into the key and the mapped entity. */
function keyed<T extends object>(em: EntityManager, entity: new () => T, rows: Record<string, unknown>[]): Keyed<T>[] {
  return rows.map(({ _key, ...row }) => ({ key: String(_key), entity: em.map(entity, row) }));
}

/**
 * municipalitiesOfOrganisations: the municipalities each organisation works
 * in, each in the classification of `year` (or its last earlier year), by
 * Finnish name.
 */
export async function municipalitiesOfOrganisations(em: EntityManager, ids: readonly string[], year: number): Promise<Keyed<Municipality>[]> {
  const rows: Record<string, unknown>[] = await em.getConnection().execute(
    `/* municipalitiesOfOrganisations */
     select om.organisation_id as "_key", m.*
       from organisation_municipality om
       join lateral (
         select * from municipality m
          where m.code = om.municipality_code and m.year <= ?
          order by m.year desc limit 1
       ) m on true
      where om.organisation_id in (?)
      order by m.name_fi, m.code`,
    [year, [...ids]],
  );
  return keyed(em, Municipality, rows);
}

/** categoriesOfOrganisations: the categories each organisation is classified in, in each county's order. */
export async function categoriesOfOrganisations(em: EntityManager, ids: readonly string[]): Promise<Keyed<OrganisationCategory>[]> {
  const rows: Record<string, unknown>[] = await em.getConnection().execute(
    `/* categoriesOfOrganisations */
     select a.organisation_id as "_key", c.*
       from organisation_category_assignment a
       join organisation_category c on c.id = a.category_id
      where a.organisation_id in (?)
      order by c.county_code, c.position`,
    [[...ids]],
  );
  return keyed(em, OrganisationCategory, rows);
}
