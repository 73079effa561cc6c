import { findRows } from "@yhdyspinta/core";
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { CountyRef, countyRef, MunicipalityRef, municipalityRef } from "../federation/references.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { CooperationGroupKind } from "../group/group-kind.ts";
import { Area } from "./area.entity.ts";

@Resolver(() => Area)
export class AreaResolver {
  @Query(() => [Area], { description: "Areas of one county (or of all counties), in the county's order." })
  async areas(
    @Arg("countyCode", () => ID, { nullable: true, description: "2-digit county code; omitted: every county." })
    countyCode: string | null,
    @Arg("ids", () => [ID], { nullable: true, description: "Only these areas (e.g. the areas a dashboard is filtered to)." })
    ids: string[] | null,
    @Ctx() { em }: Context,
  ): Promise<Area[]> {
    return await findRows(em, Area,
      { ...(countyCode ? { countyCode } : {}), ...(ids ? { id: { $in: ids } } : {}) },
      { countyCode: "asc", ordinal: "asc", id: "asc" },
    );
  }

  @Query(() => Area, { nullable: true, description: "An area by id; null if there is none." })
  async area(@Arg("id", () => ID, { description: "The area's id." }) id: string, @Ctx() { loaders }: Context): Promise<Area | null> {
    return await loaders.areaById.load(id);
  }

  @FieldResolver(() => CountyRef, { description: "The county the area belongs to." })
  county(@Root() area: Area): CountyRef {
    return countyRef(area.countyCode);
  }

  @FieldResolver(() => [MunicipalityRef], { description: "The area's municipalities, in the county's order." })
  async municipalities(@Root() area: Area, @Ctx() { loaders }: Context): Promise<MunicipalityRef[]> {
    return (await loaders.municipalityCodesByArea.load(area.id)).map(municipalityRef);
  }

  @FieldResolver(() => [CooperationGroup], { description: "Groups serving this area, by name." })
  async cooperationGroups(
    @Root() area: Area,
    @Arg("kind", () => CooperationGroupKind, { nullable: true, description: "Only groups of this kind." })
    kind: CooperationGroupKind | null,
    @Ctx() { loaders }: Context,
  ): Promise<CooperationGroup[]> {
    const groups = await loaders.groupsByArea.load(area.id);
    return kind ? groups.filter((g) => g.kind === kind) : groups;
  }
}

/** Federation: `Area @key(id)`. */
export const areaReference = {
  Area: {
    __resolveReference: async (reference: { id: string }, context: Context) => await context.loaders.areaById.load(reference.id),
  },
};
