import type { EntityManager } from "@mikro-orm/postgresql";
import { mapRows, readPrepared } from "@yhdyspinta/core";
import { Measure } from "../measure/measure.entity.ts";

/** A measure with the theme and municipality it is followed up under (through its goal and plan). */
export interface PlacedMeasure {
  measure: Measure;
  themeId: string | null;
  municipalityCode: string | null;
}

/**
 * placedMeasuresOfCounties: all measures of the given counties, by title and
 * id, with the theme (from the measure's goal) and municipality (from the
 * goal's plan) they belong to: one statement for any number of counties and
 * measures. Measures are read-only rows (`mapRows`), not managed entities: a
 * county's thousand measures would each be hydrated and registered in the
 * identity map.
 */
export async function placedMeasuresOfCounties(em: EntityManager, countyCodes: readonly string[]): Promise<PlacedMeasure[]> {
  const rows = await readPrepared(
    em,
    `/* placedMeasuresOfCounties */ select m.*, g.theme_id as follow_up_theme_id, p.municipality_code as follow_up_municipality_code
       from measure m
       left join wellbeing_goal g on g.id = m.goal_id
       left join wellbeing_plan p on p.id = g.plan_id
      where m.county_code = any($1)
      order by m.title, m.id`,
    [[...countyCodes]],
  );
  const measures = mapRows(em, Measure, rows.map(({ follow_up_theme_id: _theme, follow_up_municipality_code: _municipality, ...measureRow }) => measureRow));
  return rows.map((row, i) => ({
    measure: measures[i]!,
    themeId: (row["follow_up_theme_id"] as string | null) ?? null,
    municipalityCode: (row["follow_up_municipality_code"] as string | null) ?? null,
  }));
}
