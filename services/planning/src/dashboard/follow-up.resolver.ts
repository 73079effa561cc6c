import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { CountyRef, MunicipalityRef, municipalityRef } from "../federation/references.ts";
import { Measure } from "../measure/measure.entity.ts";
import { MeasureStatus } from "../measure/measure-status.ts";
import { Theme } from "../theme/theme.entity.ts";

/** A measure with the theme and municipality it is followed up under (through its goal and plan). */
interface PlacedMeasure {
  measure: Measure;
  themeId: string | null;
  municipalityCode: string | null;
}

@ObjectType("MeasureFollowUpCell", {
  description:
    "Plan follow-up: the measures of one status under one theme in one municipality (or in the county's own plan).",
})
export class MeasureFollowUpCell {
  themeId!: string | null;
  municipalityCode!: string | null;

  @Field(() => MeasureStatus, { description: "Status of the measures in this cell." })
  status!: MeasureStatus;

  @Field(() => Int, { description: "Number of measures in this cell." })
  count!: number;

  @Field(() => [Measure], { description: "The measures, by title." })
  measures!: Measure[];
}

/**
 * All measures of the given counties with the theme (from the measure's goal)
 * and municipality (from the goal's plan) they belong to: one statement for
 * any number of counties and measures.
 */
export function createFollowUpLoader(em: EntityManager) {
  return new DataLoader<string, PlacedMeasure[]>(async (countyCodes) => {
    const rows: Record<string, unknown>[] = await em.getConnection().execute(
      `select m.*, g.theme_id as follow_up_theme_id, p.municipality_code as follow_up_municipality_code
         from measure m
         left join wellbeing_goal g on g.id = m.goal_id
         left join wellbeing_plan p on p.id = g.plan_id
        where m.county_code in (?)
        order by m.title, m.id`,
      [[...countyCodes]],
    );
    const byCounty = new Map<string, PlacedMeasure[]>(countyCodes.map((c) => [c, []]));
    for (const row of rows) {
      const { follow_up_theme_id: themeId, follow_up_municipality_code: municipalityCode, ...measureRow } = row;
      const measure = em.map(Measure, measureRow);
      byCounty.get(measure.countyCode)?.push({
        measure,
        themeId: (themeId as string | null) ?? null,
        municipalityCode: (municipalityCode as string | null) ?? null,
      });
    }
    return countyCodes.map((c) => byCounty.get(c) ?? []);
  });
}

const STATUS_ORDER = Object.values(MeasureStatus);

@Resolver(() => CountyRef)
export class CountyFollowUpResolver {
  @FieldResolver(() => [MeasureFollowUpCell], {
    description:
      "Plan follow-up matrix: the county's measures grouped by theme, municipality and status (cells with no measures are left out).",
  })
  async measureFollowUp(
    @Root() county: CountyRef,
    @Arg("statuses", () => [MeasureStatus], { nullable: true, description: "Only these statuses; omitted: all." })
    statuses: MeasureStatus[] | null,
    @Ctx() { loaders }: Context,
  ): Promise<MeasureFollowUpCell[]> {
    const placed = await loaders.measureFollowUpByCounty.load(county.code);
    const cells = new Map<string, MeasureFollowUpCell>();
    for (const { measure, themeId, municipalityCode } of placed) {
      if (statuses && !statuses.includes(measure.status)) continue;
      const key = `${themeId ?? ""}|${municipalityCode ?? ""}|${measure.status}`;
      let cell = cells.get(key);
      if (!cell) {
        cell = Object.assign(new MeasureFollowUpCell(), { themeId, municipalityCode, status: measure.status, count: 0, measures: [] });
        cells.set(key, cell);
      }
      cell.count += 1;
      cell.measures.push(measure);
    }
    return [...cells.values()].sort(
      (a, b) =>
        (a.themeId ?? "").localeCompare(b.themeId ?? "") ||
        (a.municipalityCode ?? "").localeCompare(b.municipalityCode ?? "") ||
        STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status),
    );
  }
}

@Resolver(() => MeasureFollowUpCell)
export class MeasureFollowUpCellResolver {
  @FieldResolver(() => Theme, { nullable: true, description: "The theme of the measures' goal; null if their goal has none." })
  async theme(@Root() cell: MeasureFollowUpCell, @Ctx() { loaders }: Context): Promise<Theme | null> {
    return cell.themeId ? await loaders.themeById.load(cell.themeId) : null;
  }

  @FieldResolver(() => MunicipalityRef, {
    nullable: true,
    description: "The municipality whose plan the measures belong to; null for the county's own plan or measures without a plan.",
  })
  municipality(@Root() cell: MeasureFollowUpCell): MunicipalityRef | null {
    return cell.municipalityCode ? municipalityRef(cell.municipalityCode) : null;
  }
}
