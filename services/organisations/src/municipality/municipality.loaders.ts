import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, groupByKeys, orderByKeys } from "@yhdyspinta/core";
import type { Classification } from "../classification.ts";
import { Municipality } from "./municipality.entity.ts";
import { municipalitiesInYear } from "./municipality.queries.ts";

/** Key of a county's municipalities in one classification year. */
export interface CountyYearKey {
  readonly countyCode: string;
  readonly year: number;
}

/** The municipality feature's DataLoaders. */
export function createMunicipalityLoaders(em: EntityManager, classification: Classification) {
  return {
    classification,

    /**
     * A municipality by code in the current classification; a municipality
     * that has since merged resolves to its last year, so references from
     * older records still resolve.
     */
    municipalityByCode: new DataLoader<string, Municipality | null>(async (codes) => {
      const entities = await municipalitiesInYear(em, codes, classification.currentYear);
      return orderByKeys(codes, entities, (m) => m.code);
    }),

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
  };
}
