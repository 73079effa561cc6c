import { randomUUID } from "node:crypto";
import { assertCanWriteCounty, BadUserInputError, RecordSource, Scope, writeProvenance } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { Strategy } from "../strategy/strategy.entity.ts";
import { CreateStrategyInput, UpdateStrategyInput } from "../strategy/strategy.input.ts";
import { checkStrategyCounty, lockStrategy, strategyCooperationGoals, strategyPriorities, strategyValues } from "../strategy/strategy.rules.ts";

/** Coordinators record and revise their county's strategy. */
@Resolver()
export class StrategyEditResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => Strategy, {
    description: "Records a county's strategy (one per county): values, priorities with principles, cooperation goals. Needs `data:write` and a role for the county.",
  })
  async createStrategy(
    @Arg("input", () => CreateStrategyInput, { description: "The strategy." }) input: CreateStrategyInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Strategy> {
    assertCanWriteCounty(viewer, input.countyCode);
    const { headings, principles } = strategyPriorities(input.priorities, "input.priorities");
    return await em.transactional(async (tx) => {
      await checkStrategyCounty(tx, input.countyCode);
      const strategy = tx.create(Strategy, {
        id: `strategy-${randomUUID()}`,
        countyCode: input.countyCode,
        name: input.name,
        servicePromise: input.servicePromise ?? null,
        values: strategyValues(input.values),
        headings,
        principles,
        cooperationGoals: await strategyCooperationGoals(tx, input.countyCode, input.cooperationGoals ?? [], "input.cooperationGoals"),
        steeredDocuments: [...(input.steeredDocuments ?? [])],
        source: input.source,
      });
      await tx.flush();
      await writeProvenance(tx, "Strategy", strategy.id, input.provenance);
      return strategy;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Strategy, {
    description: "Revises a county's strategy: every list given replaces the old one whole (principles and goals are renumbered). Needs `data:write` and a role for the county.",
  })
  async updateStrategy(
    @Arg("input", () => UpdateStrategyInput, { description: "The revision." }) input: UpdateStrategyInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Strategy> {
    for (const key of ["name", "values", "priorities", "cooperationGoals", "steeredDocuments", "source"] as const) {
      if (input[key] === null) throw new BadUserInputError(`input.${key}`, "a strategy keeps this field (give an empty list to clear a list)");
    }
    return await em.transactional(async (tx) => {
      const strategy = await lockStrategy(tx, viewer, input.strategyId, "input.strategyId");
      if (input.name) strategy.name = input.name;
      if (input.servicePromise !== undefined) strategy.servicePromise = input.servicePromise;
      if (input.values) strategy.values = strategyValues(input.values);
      if (input.priorities) Object.assign(strategy, strategyPriorities(input.priorities, "input.priorities"));
      if (input.cooperationGoals) strategy.cooperationGoals = await strategyCooperationGoals(tx, strategy.countyCode, input.cooperationGoals, "input.cooperationGoals");
      if (input.steeredDocuments) strategy.steeredDocuments = [...input.steeredDocuments];
      if (input.source) strategy.source = input.source;
      await tx.flush();
      await writeProvenance(tx, "Strategy", strategy.id, input.provenance);
      return strategy;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, {
    description: "Removes a strategy recorded by mistake; returns its id. Needs `data:write` and a role for the county.",
  })
  async removeStrategy(
    @Arg("strategyId", () => ID, { description: "The strategy." }) strategyId: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const strategy = await lockStrategy(tx, viewer, strategyId, "strategyId");
      const source = await tx.findOne(RecordSource, { recordType: "Strategy", recordId: strategy.id });
      if (source) tx.remove(source);
      tx.remove(strategy);
      return strategy.id;
    });
  }
}
