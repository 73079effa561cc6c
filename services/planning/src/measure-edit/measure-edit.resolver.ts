import { BadUserInputError, Scope } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { checkReferences } from "../county-scope.rules.ts";
import { Measure, MeasureProgressNote } from "../measure/measure.entity.ts";
import { applyMeasureChanges, checkMeasureRemovable, lockMeasure, measureReferenceChecks } from "../measure/measure.rules.ts";
import { UpdateMeasureInput } from "./measure-edit.inputs.ts";

/** Coordinators correct and remove measures of their county's plans. */
@Resolver()
export class MeasureEditResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => Measure, {
    description: "Changes a measure: title, dates, status, goal, responsible organisations and groups. Needs `data:write` and a role for the measure's county.",
  })
  async updateMeasure(
    @Arg("input", () => UpdateMeasureInput, { description: "The changes." }) input: UpdateMeasureInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<Measure> {
    if (input.title === null) throw new BadUserInputError("input.title", "a measure keeps a title");
    if (input.status === null) throw new BadUserInputError("input.status", "a measure keeps a status");
    await checkReferences({ references, viewer }, measureReferenceChecks(input));
    return await em.transactional(async (tx) => {
      const measure = await lockMeasure(tx, viewer, input.measureId, "input.measureId");
      await applyMeasureChanges(tx, measure, input);
      return measure;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, {
    description:
      "Removes a measure recorded by mistake, with its progress notes; returns its id. Refused while an annual negotiation's record lists it (set its status to CANCELLED instead). Needs `data:write` and a role for the measure's county.",
  })
  async removeMeasure(
    @Arg("measureId", () => ID, { description: "The measure." }) measureId: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const measure = await lockMeasure(tx, viewer, measureId, "measureId");
      await checkMeasureRemovable(tx, measure);
      for (const note of await tx.find(MeasureProgressNote, { measureId: measure.id })) tx.remove(note);
      tx.remove(measure);
      return measure.id;
    });
  }
}
