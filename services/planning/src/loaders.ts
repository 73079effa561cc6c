import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { createSourceLoader } from "@yhdyspinta/core";
import { cacheKey, findRows, groupByKeys, orderByKeys } from "@yhdyspinta/core";
import { GrantAward, GrantProgramme } from "./grant/grant.entity.ts";
import { Indicator, IndicatorValue } from "./indicator/indicator.entity.ts";
import { IndicatorRegionKind, type IndicatorSex } from "./indicator/indicator-sex.ts";
import { Measure, MeasureProgressNote } from "./measure/measure.entity.ts";
import { AnnualNegotiation, AnnualNegotiationPractice } from "./negotiation/negotiation.entity.ts";
import { WellbeingGoal, WellbeingPlan } from "./plan/plan.entity.ts";
import { Strategy } from "./strategy/strategy.entity.ts";
import { Theme } from "./theme/theme.entity.ts";
import { createFollowUpLoader } from "./dashboard/follow-up.resolver.ts";

/** Groups rows under every key listed in one of their array columns (a row may belong to several keys). */
function groupByArray<V>(keys: readonly string[], rows: readonly V[], keysOf: (row: V) => readonly string[]): V[][] {
  const byKey = new Map<string, V[]>(keys.map((k) => [k, []]));
  for (const row of rows) for (const key of keysOf(row)) byKey.get(key)?.push(row);
  return keys.map((key) => byKey.get(key) ?? []);
}

/** Key of one area's indicator values under a filter. */
export interface IndicatorValuesKey {
  regionKind: IndicatorRegionKind;
  regionCode: string;
  indicatorIds: readonly string[] | null;
  years: readonly number[] | null;
  sexes: readonly IndicatorSex[] | null;
}

/** The request's DataLoaders: every fan-out and entity reference goes through one. */
export function createLoaders(em: EntityManager) {
  return {
    sourceOf: createSourceLoader(em),
    measureFollowUpByCounty: createFollowUpLoader(em),
    planById: new DataLoader<string, WellbeingPlan | null>(async (ids) => {
      const rows = await findRows(em, WellbeingPlan, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (p) => p.id);
    }),
    plansByMunicipality: new DataLoader<string, WellbeingPlan[]>(async (codes) => {
      const rows = await em.find(
        WellbeingPlan,
        { municipalityCode: { $in: [...codes] } },
        { orderBy: { councilTerm: "desc", id: "asc" } },
      );
      return groupByKeys(codes, rows, (p) => p.municipalityCode!);
    }),
    /** A county's own plans (not its municipalities'). */
    plansByCounty: new DataLoader<string, WellbeingPlan[]>(async (codes) => {
      const rows = await em.find(
        WellbeingPlan,
        { countyCode: { $in: [...codes] }, municipalityCode: null },
        { orderBy: { councilTerm: "desc", id: "asc" } },
      );
      return groupByKeys(codes, rows, (p) => p.countyCode!);
    }),
    goalsByPlan: new DataLoader<string, WellbeingGoal[]>(async (planIds) => {
      const rows = await findRows(em, WellbeingGoal, { planId: { $in: [...planIds] } }, { position: "asc", id: "asc" });
      return groupByKeys(planIds, rows, (g) => g.planId);
    }),
    goalById: new DataLoader<string, WellbeingGoal | null>(async (ids) => {
      const rows = await findRows(em, WellbeingGoal, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (g) => g.id);
    }),

    themeById: new DataLoader<string, Theme | null>(async (ids) => {
      const rows = await findRows(em, Theme, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (t) => t.id);
    }),
    themesByCounty: new DataLoader<string, Theme[]>(async (codes) => {
      const rows = await findRows(em, Theme, { countyCode: { $in: [...codes] } }, { position: "asc", id: "asc" });
      return groupByKeys(codes, rows, (t) => t.countyCode);
    }),
    themesByGroup: new DataLoader<string, Theme[]>(async (groupIds) => {
      const rows = await findRows(em, Theme, { groupIds: { $overlap: [...groupIds] } }, { position: "asc", id: "asc" });
      return groupByArray(groupIds, rows, (t) => t.groupIds);
    }),

    measureById: new DataLoader<string, Measure | null>(async (ids) => {
      const rows = await findRows(em, Measure, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (m) => m.id);
    }),
    measuresByGoal: new DataLoader<string, Measure[]>(async (goalIds) => {
      const rows = await findRows(em, Measure, { goalId: { $in: [...goalIds] } }, { title: "asc", id: "asc" });
      return groupByKeys(goalIds, rows, (m) => m.goalId!);
    }),
    measuresByGroup: new DataLoader<string, Measure[]>(async (groupIds) => {
      const rows = await findRows(em, Measure, { groupIds: { $overlap: [...groupIds] } }, { title: "asc", id: "asc" });
      return groupByArray(groupIds, rows, (m) => m.groupIds);
    }),
    measuresByOrganisation: new DataLoader<string, Measure[]>(async (organisationIds) => {
      const rows = await em.find(
        Measure,
        { organisationIds: { $overlap: [...organisationIds] } },
        { orderBy: { title: "asc", id: "asc" } },
      );
      return groupByArray(organisationIds, rows, (m) => m.organisationIds);
    }),
    progressNotesByMeasure: new DataLoader<string, MeasureProgressNote[]>(async (measureIds) => {
      const rows = await em.find(
        MeasureProgressNote,
        { measureId: { $in: [...measureIds] } },
        { orderBy: { notedOn: "asc", id: "asc" } },
      );
      return groupByKeys(measureIds, rows, (n) => n.measureId);
    }),

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
          const rows = await em.find(
            IndicatorValue,
            {
              regionKind,
              regionCode: { $in: codes },
              ...(indicatorIds ? { indicatorId: { $in: [...indicatorIds] } } : {}),
              ...(years ? { year: { $in: [...years] } } : {}),
              ...(sexes ? { sex: { $in: [...sexes] } } : {}),
            },
            { orderBy: { indicatorId: "asc", year: "asc", sex: "asc" } },
          );
          for (const key of group) results.set(cacheKey(key), rows.filter((r) => r.regionCode === key.regionCode));
        }
        return keys.map((key) => results.get(cacheKey(key)) ?? []);
      },
      { cacheKeyFn: cacheKey },
    ),

    negotiationsByCounty: new DataLoader<string, AnnualNegotiation[]>(async (codes) => {
      const rows = await findRows(em, AnnualNegotiation, { countyCode: { $in: [...codes] } }, { heldOn: "desc", id: "asc" });
      return groupByKeys(codes, rows, (n) => n.countyCode);
    }),
    negotiationsByGroup: new DataLoader<string, AnnualNegotiation[]>(async (groupIds) => {
      const rows = await em.find(
        AnnualNegotiation,
        { groupIds: { $overlap: [...groupIds] } },
        { orderBy: { heldOn: "desc", id: "asc" } },
      );
      return groupByArray(groupIds, rows, (n) => n.groupIds);
    }),
    negotiationPracticeByCounty: new DataLoader<string, AnnualNegotiationPractice | null>(async (codes) => {
      const rows = await findRows(em, AnnualNegotiationPractice, { countyCode: { $in: [...codes] } });
      return orderByKeys(codes, rows, (p) => p.countyCode);
    }),

    strategyByCounty: new DataLoader<string, Strategy | null>(async (codes) => {
      const rows = await findRows(em, Strategy, { countyCode: { $in: [...codes] } });
      return orderByKeys(codes, rows, (s) => s.countyCode);
    }),

    grantProgrammeById: new DataLoader<string, GrantProgramme | null>(async (ids) => {
      const rows = await findRows(em, GrantProgramme, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (p) => p.id);
    }),
    grantProgrammesByCounty: new DataLoader<string, GrantProgramme[]>(async (codes) => {
      const rows = await findRows(em, GrantProgramme, { countyCode: { $in: [...codes] } }, { id: "asc" });
      return groupByKeys(codes, rows, (p) => p.countyCode);
    }),
    grantsByProgramme: new DataLoader<string, GrantAward[]>(async (ids) => {
      const rows = await findRows(em, GrantAward, { programmeId: { $in: [...ids] } }, { year: "desc", id: "asc" });
      return groupByKeys(ids, rows, (g) => g.programmeId);
    }),
    grantsByOrganisation: new DataLoader<string, GrantAward[]>(async (ids) => {
      const rows = await findRows(em, GrantAward, { organisationId: { $in: [...ids] } }, { year: "desc", id: "asc" });
      return groupByKeys(ids, rows, (g) => g.organisationId);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
