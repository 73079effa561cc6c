import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { cacheKey, findRows, orderByKeys } from "@yhdyspinta/core";
import { Indicator, IndicatorValue } from "./indicator.entity.ts";
import type { IndicatorRegionKind, IndicatorSex } from "./indicator-sex.ts";

/** Key of one area's indicator values under a filter. */
export interface IndicatorValuesKey {
  regionKind: IndicatorRegionKind;
  regionCode: string;
  indicatorIds: readonly string[] | null;
  years: readonly number[] | null;
  sexes: readonly IndicatorSex[] | null;
}

/** Indicators and their values per area. */
export function createIndicatorLoaders(em: EntityManager) {
  return {
    indicatorById: new DataLoader<string, Indicator | null>(async (ids) => {
      const rows = await findRows(em, Indicator, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (i) => i.id);
    }),
    /**
     * Values per area under a filter: one statement per distinct filter in
     * the request (normally one, since sibling fields share their arguments).
     */
    indicatorValues: new DataLoader<IndicatorValuesKey, IndicatorValue[], string>(
      async (keys) => {
        const byFilter = new Map<string, IndicatorValuesKey[]>();
        for (const key of keys) {
          const filter = cacheKey({ ...key, regionCode: null });
          byFilter.set(filter, [...(byFilter.get(filter) ?? []), key]);
        }
        const results = new Map<string, IndicatorValue[]>();
        for (const group of byFilter.values()) {
          const { regionKind, indicatorIds, years, sexes } = group[0]!;
          const codes = [...new Set(group.map((k) => k.regionCode))];
          const rows = await findRows(em, IndicatorValue,
            {
              regionKind,
              regionCode: { $in: codes },
              ...(indicatorIds ? { indicatorId: { $in: [...indicatorIds] } } : {}),
              ...(years ? { year: { $in: [...years] } } : {}),
              ...(sexes ? { sex: { $in: [...sexes] } } : {}),
            },
            { indicatorId: "asc", year: "asc", sex: "asc" },
          );
          for (const key of group) results.set(cacheKey(key), rows.filter((r) => r.regionCode === key.regionCode));
        }
        return keys.map((key) => results.get(cacheKey(key)) ?? []);
      },
      { cacheKeyFn: cacheKey },
    ),
  };
}
