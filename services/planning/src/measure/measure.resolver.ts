import { randomUUID } from "node:crypto";
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { assertCanWriteCounty, NotFoundError, Scope } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { checkReferences } from "../county-scope.rules.ts";
import {
  CooperationGroupRef,
  CountyRef,
  countyRef,
  groupRef,
  OrganisationRef,
  organisationRef,
} from "../federation/references.ts";
import { WellbeingGoal } from "../plan/plan.entity.ts";
import { createMeasureRecord, measureReferenceChecks } from "./measure.rules.ts";
import { AddMeasureProgressNoteInput, CreateMeasureInput } from "./measure.input.ts";
import { Measure, MeasureProgressNote } from "./measure.entity.ts";

@Resolver(() => Measure)
export class MeasureResolver {
  @Query(() => Measure, { nullable: true, description: "A measure by id; null if there is none." })
  async measure(
    @Arg("id", () => ID, { description: "The measure's id." }) id: string,
    @Ctx() { loaders }: Context,
  ): Promise<Measure | null> {
    return await loaders.measureById.load(id);
  }

  @FieldResolver(() => CountyRef, { description: "The county the measure belongs to." })
  county(@Root() measure: Measure): CountyRef {
    return countyRef(measure.countyCode);
  }

  @FieldResolver(() => WellbeingGoal, { nullable: true, description: "The plan goal the measure pursues; null if none is recorded." })
  async goal(@Root() measure: Measure, @Ctx() { loaders }: Context): Promise<WellbeingGoal | null> {
    return measure.goalId ? await loaders.goalById.load(measure.goalId) : null;
  }

  @FieldResolver(() => [OrganisationRef], { nullable: "items", description: "Organisations responsible for the measure; an item is null (with an error) when the organisation no longer exists." })
  responsibleOrganisations(@Root() measure: Measure): OrganisationRef[] {
    return measure.organisationIds.map(organisationRef);
  }

  @FieldResolver(() => [CooperationGroupRef], { nullable: "items", description: "Cooperation groups responsible for the measure; an item is null (with an error) when the group no longer exists." })
  responsibleGroups(@Root() measure: Measure): CooperationGroupRef[] {
    return measure.groupIds.map(groupRef);
  }

  @FieldResolver(() => [MeasureProgressNote], { description: "Progress notes, oldest first." })
  async progressNotes(@Root() measure: Measure, @Ctx() { loaders }: Context): Promise<MeasureProgressNote[]> {
    return await loaders.progressNotesByMeasure.load(measure.id);
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Measure, { description: "Records a new measure. Needs the data:write scope and a role for the measure's county." })
  async createMeasure(
    @Arg("input", () => CreateMeasureInput, { description: "The measure." }) input: CreateMeasureInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<Measure> {
    assertCanWriteCounty(viewer, input.countyCode);
    await checkReferences({ references, viewer }, measureReferenceChecks(input));
    return await em.transactional(async (tx) => {
      const measure = await createMeasureRecord(tx, viewer, input);
      await tx.flush();
      return measure;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => MeasureProgressNote, {
    description: "Adds a dated progress note to a measure. Needs the data:write scope and a role for the measure's county.",
  })
  async addMeasureProgressNote(
    @Arg("input", () => AddMeasureProgressNoteInput, { description: "The note." }) input: AddMeasureProgressNoteInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<MeasureProgressNote> {
    return await em.transactional(async (tx) => {
      const measure = await tx.findOne(Measure, { id: input.measureId });
      if (!measure) throw new NotFoundError("Measure", input.measureId);
      assertCanWriteCounty(viewer, measure.countyCode);
      const note = tx.create(MeasureProgressNote, {
        id: `note-${randomUUID()}`,
        measureId: input.measureId,
        notedOn: input.notedOn,
        text: input.text,
      });
      await tx.flush();
      return note;
    });
  }
}

@Resolver(() => CooperationGroupRef)
export class GroupMeasuresResolver {
  @FieldResolver(() => [Measure], { nullable: true, description: "Wellbeing-plan measures the group is responsible for, by title." })
  async measures(@Root() group: CooperationGroupRef, @Ctx() { loaders }: Context): Promise<Measure[]> {
    return await loaders.measuresByGroup.load(group.id);
  }
}

@Resolver(() => OrganisationRef)
export class OrganisationMeasuresResolver {
  @FieldResolver(() => [Measure], { nullable: true, description: "Wellbeing-plan measures the organisation is responsible for (under its own id or a merged duplicate's), by title." })
  async measures(@Root() organisation: OrganisationRef, @Ctx() { loaders, organisationIds }: Context): Promise<Measure[]> {
    // A merged duplicate's measures name its own id: read every id the organisation is known by.
    const ids = organisationIds ? await organisationIds.load(organisation.id) : [organisation.id];
    const lists = await Promise.all(ids.map((id) => loaders.measuresByOrganisation.load(id)));
    if (lists.length === 1) return lists[0]!;
    return [...new Map(lists.flat().map((m) => [m.id, m])).values()].sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

/** Federation: `Measure @key(id)`. */
export const measureReference = {
  Measure: {
    __resolveReference: async (reference: { id: string }, context: Context) =>
      await context.loaders.measureById.load(reference.id),
  },
};
