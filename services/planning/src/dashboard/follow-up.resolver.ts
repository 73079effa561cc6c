import { Arg, Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { CountyRef, MunicipalityRef, municipalityRef } from "../federation/references.ts";
import { Measure } from "../measure/measure.entity.ts";
import { MeasureStatus } from "../measure/measure-status.ts";
import { Theme } from "../theme/theme.entity.ts";

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

const STATUS_ORDER = Object.values(MeasureStatus);

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

@Resolver(() => CountyRef)
export class CountyFollowUpResolver {
  @FieldResolver(() => [MeasureFollowUpCell], { nullable: true,
    description:
      "Plan follow-up matrix: the county's measures grouped by theme, municipality and status (cells with no measures are left out), by theme id, municipality code (both by code point) and status.",
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
    // Ids and codes by code point: the same order whatever the locale the server runs in.
    return [...cells.values()].sort(
      (a, b) =>
        byCodePoint(a.themeId ?? "", b.themeId ?? "") ||
        byCodePoint(a.municipalityCode ?? "", b.municipalityCode ?? "") ||
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
