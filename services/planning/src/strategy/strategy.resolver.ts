import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { CountyRef, countyRef } from "../federation/references.ts";
import { Theme } from "../theme/theme.entity.ts";
import { Strategy, StrategyCooperationGoal, StrategyPriority } from "./strategy.entity.ts";

@Resolver(() => Strategy)
export class StrategyResolver {
  @Query(() => Strategy, { nullable: true, description: "A county's strategy; null where none is recorded." })
  async strategy(
    @Arg("countyCode", () => ID, { description: "2-digit county code, e.g. \"19\"." }) countyCode: string,
    @Ctx() { loaders }: Context,
  ): Promise<Strategy | null> {
    return await loaders.strategyByCounty.load(countyCode);
  }

  @FieldResolver(() => CountyRef, { description: "The county whose strategy this is." })
  county(@Root() strategy: Strategy): CountyRef {
    return countyRef(strategy.countyCode);
  }

  @FieldResolver(() => [StrategyPriority], { description: "Priority headings (painopisteet) in order, each with its principles." })
  priorities(@Root() strategy: Strategy): StrategyPriority[] {
    return strategy.headings.map((name, i) => ({
      position: i + 1,
      name,
      principles: strategy.principles.filter((p) => p.heading === name),
    }));
  }

  @FieldResolver(() => [Theme], { description: "The county's shared wellbeing themes the strategy is carried out through." })
  async themes(@Root() strategy: Strategy, @Ctx() { loaders }: Context): Promise<Theme[]> {
    return await loaders.themesByCounty.load(strategy.countyCode);
  }
}

@Resolver(() => StrategyCooperationGoal)
export class StrategyCooperationGoalResolver {
  @FieldResolver(() => [Theme], { description: "Themes the goal serves; empty when the source links none." })
  async themes(@Root() goal: StrategyCooperationGoal, @Ctx() { loaders }: Context): Promise<Theme[]> {
    const found = await loaders.themeById.loadMany(goal.themeIds ?? []);
    return found.filter((t): t is Theme => t !== null && !(t instanceof Error));
  }
}

@Resolver(() => CountyRef)
export class CountyStrategyResolver {
  @FieldResolver(() => Strategy, { nullable: true, description: "The county's strategy; null where none is recorded." })
  async strategy(@Root() county: CountyRef, @Ctx() { loaders }: Context): Promise<Strategy | null> {
    return await loaders.strategyByCounty.load(county.code);
  }
}
