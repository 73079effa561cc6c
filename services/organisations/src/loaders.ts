import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, groupByKeys, orderByKeys } from "@yhdyspinta/core";
import type { Classification } from "./classification.ts";
import { OrganisationCategory } from "./category/category.entity.ts";
import { County } from "./county/county.entity.ts";
import { Municipality } from "./municipality/municipality.entity.ts";
import { Organisation } from "./organisation/organisation.entity.ts";
import { resolveOrganisationId } from "./organisation/organisation-keys.ts";
import { Person } from "./person/person.entity.ts";
import { createDocumentLoaders } from "./document/document.loaders.ts";

/** Key of a county's municipalities in one classification year. */
export interface CountyYearKey {
  countyCode: string;
  year: number;
}

/** Splits raw rows that carry the batch key in `_key` into [key, entity row]. */
function withoutKey(rows: Record<string, unknown>[]): { key: string; row: Record<string, unknown> }[] {
  return rows.map(({ _key, ...row }) => ({ key: String(_key), row }));
}

/** The request's DataLoaders: every fan-out and entity reference goes through one. */
export function createLoaders(em: EntityManager, classification: Classification) {
  const municipalityByCode = new DataLoader<string, Municipality | null>(async (codes) => {
    const rows: Record<string, unknown>[] = await em.getConnection("read").execute(
      `select distinct on (code) * from municipality where code in (?) and year <= ? order by code, year desc`,
      [[...codes], classification.currentYear],
    );
    const entities = rows.map((row) => em.map(Municipality, row));
    return orderByKeys(codes, entities, (m) => m.code);
  });

  return {
    ...createDocumentLoaders(em),
    classification,
    countyByCode: new DataLoader<string, County | null>(async (codes) => {
      const rows = await findRows(em, County, { code: { $in: [...codes] } });
      return orderByKeys(codes, rows, (c) => c.code);
    }),

    /**
     * A municipality by code in the current classification; a municipality
     * that has since merged resolves to its last year, so references from
     * older records still resolve.
     */
    municipalityByCode,

    municipalityByCodeAndYear: new DataLoader<string, Municipality | null>(async (keys) => {
      const pairs = keys.map((k) => k.split("@") as [string, string]);
      const rows = await findRows(em, Municipality, {
        $or: pairs.map(([code, year]) => ({ code, year: Number(year) })),
      });
      return orderByKeys(keys, rows, (m) => `${m.code}@${m.year}`);
    }),

    municipalitiesByCountyYear: new DataLoader<CountyYearKey, Municipality[], string>(
      async (keys) => {
        const rows = await findRows(
          em,
          Municipality,
          { $or: keys.map((k) => ({ countyCode: k.countyCode, year: k.year })) },
          { nameFi: "asc" },
        );
        return groupByKeys(
          keys.map((k) => `${k.countyCode}@${k.year}`),
          rows,
          (m) => `${m.countyCode}@${m.year}`,
        );
      },
      { cacheKeyFn: (k) => `${k.countyCode}@${k.year}` },
    ),

    /** An organisation by id (also by an alias id such as Helsinki's municipality key). */
    organisationById: new DataLoader<string, Organisation | null>(async (ids) => {
      const resolved = ids.map(resolveOrganisationId);
      const rows = await findRows(em, Organisation, { id: { $in: [...new Set(resolved)] } });
      const byId = new Map(rows.map((o) => [o.id, o]));
      return resolved.map((id) => byId.get(id) ?? null);
    }),

    /** An organisation's units (organisations whose parent it is), by name. */
    unitsByParent: new DataLoader<string, Organisation[]>(async (ids) => {
      const rows = await findRows(em, Organisation, { parentId: { $in: [...ids] } }, { nameNormalised: "asc", id: "asc" });
      return groupByKeys(ids, rows, (o) => o.parentId!);
    }),

    /** The municipalities an organisation works in, each in the current classification (or its last year). */
    municipalitiesByOrganisation: new DataLoader<string, Municipality[]>(async (ids) => {
      const rows: Record<string, unknown>[] = await em.getConnection("read").execute(
        `select om.organisation_id as "_key", m.*
           from organisation_municipality om
           join lateral (
             select * from municipality m
              where m.code = om.municipality_code and m.year <= ?
              order by m.year desc limit 1
           ) m on true
          where om.organisation_id in (?)
          order by m.name_fi, m.code`,
        [classification.currentYear, [...ids]],
      );
      const pairs = withoutKey(rows).map(({ key, row }) => ({ key, entity: em.map(Municipality, row) }));
      return groupByKeys(ids, pairs, (p) => p.key).map((list) => list.map((p) => p.entity));
    }),

    /** The categories an organisation is classified in, in each county's order. */
    categoriesByOrganisation: new DataLoader<string, OrganisationCategory[]>(async (ids) => {
      const rows: Record<string, unknown>[] = await em.getConnection("read").execute(
        `select a.organisation_id as "_key", c.*
           from organisation_category_assignment a
           join organisation_category c on c.id = a.category_id
          where a.organisation_id in (?)
          order by c.county_code, c.position`,
        [[...ids]],
      );
      const pairs = withoutKey(rows).map(({ key, row }) => ({ key, entity: em.map(OrganisationCategory, row) }));
      return groupByKeys(ids, pairs, (p) => p.key).map((list) => list.map((p) => p.entity));
    }),

    categoryById: new DataLoader<string, OrganisationCategory | null>(async (ids) => {
      const rows = await findRows(em, OrganisationCategory, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (c) => c.id);
    }),

    /** A county's association categories in the county's order. */
    categoriesByCounty: new DataLoader<string, OrganisationCategory[]>(async (codes) => {
      const rows = await findRows(em, OrganisationCategory, { countyCode: { $in: [...codes] } }, { countyCode: "asc", position: "asc" });
      return groupByKeys(codes, rows, (c) => c.countyCode);
    }),

    personById: new DataLoader<string, Person | null>(async (ids) => {
      const rows = await findRows(em, Person, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (p) => p.id);
    }),

    /** People who work for an organisation, by name. */
    peopleByOrganisation: new DataLoader<string, Person[]>(async (ids) => {
      const rows = await findRows(em, Person, { organisationId: { $in: [...ids] } }, { nameNormalised: "asc", id: "asc" });
      return groupByKeys(ids, rows, (p) => p.organisationId!);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
