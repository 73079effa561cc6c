import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { mapRows } from "@yhdyspinta/core";
import { Measure } from "../measure/measure.entity.ts";

/** A measure with the theme and municipality it is followed up under (through its goal and plan). */
export interface PlacedMeasure {
  measure: Measure;
  themeId: string | null;
  municipalityCode: string | null;
}

/**
 * All measures of the given counties with the theme (from the measure's goal)
 * and municipality (from the goal's plan) they belong to: one statement for
 * any number of counties and measures. Measures are read-only rows
 * (`mapRows`), not managed entities: a county's thousand measures would each
 * be hydrated and registered in the identity map.
 */
export function createFollowUpLoader(em: EntityManager) {
  return new DataLoader<string, PlacedMeasure[]>(async (countyCodes) => {
    const rows: Record<string, unknown>[] = await em.getConnection("read").execute(
      `select m.*, g.theme_id as follow_up_theme_id, p.municipality_code as follow_up_municipality_code
         from measure m
         left join wellbeing_goal g on g.id = m.goal_id
         left join wellbeing_plan p on p.id = g.plan_id
        where m.county_code in (?)
        order by m.title, m.id`,
      [[...countyCodes]],
    );
    const byCounty = new Map<string, PlacedMeasure[]>(countyCodes.map((c) => [c, []]));
    const measures = mapRows(em, Measure, rows.map(({ follow_up_theme_id: _theme, follow_up_municipality_code: _municipality, ...measureRow }) => measureRow));
    for (const [i, row] of rows.entries()) {
      const { follow_up_theme_id: themeId, follow_up_municipality_code: municipalityCode } = row;
      const measure = measures[i]!;
      byCounty.get(measure.countyCode)?.push({
        measure,
        themeId: (themeId as string | null) ?? null,
        municipalityCode: (municipalityCode as string | null) ?? null,
      });
    }
    return countyCodes.map((c) => byCounty.get(c) ?? []);
  });
}
