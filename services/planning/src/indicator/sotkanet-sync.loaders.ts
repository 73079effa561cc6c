import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows } from "@yhdyspinta/core";
import { IndicatorValueRevision } from "./indicator-revision.entity.ts";
import { IndicatorValue } from "./indicator.entity.ts";
import { IndicatorRegionKind, IndicatorSex } from "./indicator-sex.ts";
import { countyGoalIndicators } from "./sotkanet-sync.queries.ts";

/** The indicators a county's plans' goals name, with the county's and the country's total values of each. */
export interface CountyIndicatorRows {
  indicatorIds: string[];
  values: IndicatorValue[];
}

/** Revisions of indicator values, and the indicator follow-up of counties. */
export function createSotkanetSyncLoaders(em: EntityManager) {
  return {
    /** Earlier values of an indicator value (by its id), newest replacement first. */
    revisionsByValue: new DataLoader<string, IndicatorValueRevision[]>(async (ids) => {
      const rows = await findRows(em, IndicatorValueRevision, { indicatorValueId: { $in: [...ids] } }, { replacedAt: "desc", id: "desc" });
      return ids.map((id) => rows.filter((r) => String(r.indicatorValueId) === String(id)));
    }),
    /** Per county code: two statements for the whole batch. */
    indicatorRowsByCounty: new DataLoader<string, CountyIndicatorRows>(async (codes) => {
      const named = await countyGoalIndicators(em, codes);
      const indicatorIds = [...new Set(named.map((r) => r.indicator_id))];
      const values = indicatorIds.length
        ? await findRows(
            em,
            IndicatorValue,
            {
              indicatorId: { $in: indicatorIds },
              sex: IndicatorSex.TOTAL,
              $or: [{ regionKind: IndicatorRegionKind.COUNTY, regionCode: { $in: [...codes] } }, { regionKind: IndicatorRegionKind.COUNTRY }],
            },
            { indicatorId: "asc", year: "asc" },
          )
        : [];
      return codes.map((code) => {
        const ids = named.filter((r) => r.county_code === code).map((r) => r.indicator_id);
        return {
          indicatorIds: ids,
          values: values.filter((v) => ids.includes(v.indicatorId) && (v.regionKind === IndicatorRegionKind.COUNTRY || v.regionCode === code)),
        };
      });
    }),
  };
}
