import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { CooperationGroupRef, CountyRef, countyRef, groupRef } from "../federation/references.ts";
import { Theme } from "./theme.entity.ts";

@Resolver(() => Theme)
export class ThemeResolver {
  @Query(() => [Theme], { description: "A county's shared wellbeing themes, in the county's order." })
  async themes(
    @Arg("countyCode", () => ID, { description: "2-digit county code, e.g. \"14\"." }) countyCode: string,
    @Ctx() { loaders }: Context,
  ): Promise<Theme[]> {
    return await loaders.themesByCounty.load(countyCode);
  }

  @FieldResolver(() => CountyRef, { description: "The county whose theme this is." })
  county(@Root() theme: Theme): CountyRef {
    return countyRef(theme.countyCode);
  }

  @FieldResolver(() => [CooperationGroupRef], { nullable: "items", description: "Cooperation groups that work on this theme; an item is null (with an error) when the group no longer exists." })
  groups(@Root() theme: Theme): CooperationGroupRef[] {
    return theme.groupIds.map(groupRef);
  }
}

@Resolver(() => CooperationGroupRef)
export class GroupThemesResolver {
  @FieldResolver(() => [Theme], { nullable: true, description: "Wellbeing themes the group works on, in the county's order." })
  async themes(@Root() group: CooperationGroupRef, @Ctx() { loaders }: Context): Promise<Theme[]> {
    return await loaders.themesByGroup.load(group.id);
  }
}

@Resolver(() => CountyRef)
export class CountyThemesResolver {
  @FieldResolver(() => [Theme], { nullable: true, description: "The county's shared wellbeing themes, in its order." })
  async themes(@Root() county: CountyRef, @Ctx() { loaders }: Context): Promise<Theme[]> {
    return await loaders.themesByCounty.load(county.code);
  }
}
