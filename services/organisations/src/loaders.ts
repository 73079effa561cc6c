import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { groupByKeys, orderByKeys } from "@yhdyspinta/core";
import type { Classification } from "./classification.ts";
import { County } from "./county/county.entity.ts";
import { Municipality } from "./municipality/municipality.entity.ts";

/** Key of a county's municipalities in one classification year. */
export interface CountyYearKey {
  countyCode: string;
  year: number;
}

/** The request's DataLoaders: every fan-out and entity reference goes through one. */
export function createLoaders(em: EntityManager, classification: Classification) {
  return {
    classification,
    countyByCode: new DataLoader<string, County | null>(async (codes) => {
      const rows = await em.find(County, { code: { $in: [...codes] } });
      return orderByKeys(codes, rows, (c) => c.code);
    }),

    /**
     * A municipality by code in the current classification; a municipality
     * that has since merged resolves to its last year, so references from
     * older records still resolve.
     */
    municipalityByCode: new DataLoader<string, Municipality | null>(async (codes) => {
      const rows: Record<string, unknown>[] = await em.getConnection().execute(
        `select distinct on (code) * from municipality where code in (?) and year <= ? order by code, year desc`,
        [[...codes], classification.currentYear],
      );
      const entities = rows.map((row) => em.map(Municipality, row));
      return orderByKeys(codes, entities, (m) => m.code);
    }),

    municipalityByCodeAndYear: new DataLoader<string, Municipality | null>(async (keys) => {
      const pairs = keys.map((k) => k.split("@") as [string, string]);
      const rows = await em.find(Municipality, {
        $or: pairs.map(([code, year]) => ({ code, year: Number(year) })),
      });
      return orderByKeys(keys, rows, (m) => `${m.code}@${m.year}`);
    }),

    municipalitiesByCountyYear: new DataLoader<CountyYearKey, Municipality[], string>(
      async (keys) => {
        const rows = await em.find(
          Municipality,
          { $or: keys.map((k) => ({ countyCode: k.countyCode, year: k.year })) },
          { orderBy: { nameFi: "asc" } },
        );
        return groupByKeys(
          keys.map((k) => `${k.countyCode}@${k.year}`),
          rows,
          (m) => `${m.countyCode}@${m.year}`,
        );
      },
      { cacheKeyFn: (k) => `${k.countyCode}@${k.year}` },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
