import { DAY_ARGUMENT_DEPRECATION, dayArgument } from "@yhdyspinta/core";
import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError, DateScalar, helsinkiToday, Scope, writeProvenance } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { resolveOrganisationId } from "./organisation-keys.ts";
import { Organisation, OrganisationSuccessor } from "./organisation.entity.ts";
import { MergeOrganisationsInput, WindUpOrganisationInput } from "./organisation-lifecycle.input.ts";
import { checkMerge, checkWindUp, lockOrganisations, organisationsOn } from "./organisation.rules.ts";

/**
 * An organisation's end: wound up on a day with its successors, or merged as
 * a duplicate into the record that stays. Both write only this subgraph's
 * rows in one transaction (the audit trail in it); other subgraphs keep
 * their stored ids, which keep resolving (see docs/ORGANISATION-LIFECYCLE.md).
 */
@Resolver(() => Organisation)
export class OrganisationLifecycleResolver {
  @FieldResolver(() => [OrganisationSuccessor], {
    description: "The organisations that took over its tasks when it was wound up (see `validTo`), in the wind-up's order, each with the tasks it took; empty while it exists.",
  })
  async successors(@Root() organisation: Organisation, @Ctx() { loaders }: Context): Promise<OrganisationSuccessor[]> {
    return await loaders.successorsByOrganisation.load(organisation.id);
  }

  @FieldResolver(() => [Organisation], {
    description:
      "The organisations holding its tasks on a day (default today): itself while it existed; after it was wound up, its successors (each followed on to that day; several where its tasks were split); before it began, its sole predecessor.",
  })
  async heldBy(
    @Root() organisation: Organisation,
    @Ctx() ctx: Context,
    @Arg("date", () => DateScalar, { nullable: true, description: "The day; default today.", deprecationReason: DAY_ARGUMENT_DEPRECATION }) date: string | null,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "The day; default today in Helsinki." }) activeOn: string | null,
  ): Promise<Organisation[]> {
    return await organisationsOn(organisation, dayArgument(activeOn, date, "date") ?? helsinkiToday(), ctx);
  }

  @FieldResolver(() => [ID], { description: "Ids of the duplicate records merged into this one; each resolves to this organisation." })
  async mergedIds(@Root() organisation: Organisation, @Ctx() { loaders }: Context): Promise<string[]> {
    return await loaders.mergedIdsBySurvivor.load(organisation.id);
  }

  @FieldResolver(() => [ID], {
    description:
      "Every id the organisation is known by: its own first, then the merged duplicates'. The groups and planning subgraphs read it to list what they hold under any of them.",
  })
  async allIds(@Root() organisation: Organisation, @Ctx() { loaders }: Context): Promise<string[]> {
    return [organisation.id, ...(await loaders.mergedIdsBySurvivor.load(organisation.id))];
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Organisation, {
    description:
      "Winds an organisation up: `endsOn` is its last day and its tasks pass to the successors (one or several, each with the tasks it takes). Needs scope `data:write` and a role for its county (an organisation of no county: admin). An organisation already wound up or merged: BAD_USER_INPUT.",
  })
  async windUpOrganisation(
    @Arg("input", () => WindUpOrganisationInput, { description: "The organisation, its last day and its successors." }) input: WindUpOrganisationInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Organisation> {
    return await em.transactional(async (tx) => {
      if (input.provenance && input.source) throw new BadUserInputError("input.source", "give either `provenance` or the deprecated `source`, not both");
      const id = resolveOrganisationId(input.organisationId);
      const locked = await lockOrganisations(tx as EntityManager, [id, ...input.successors.map((s) => resolveOrganisationId(s.organisationId))]);
      const organisation = locked.get(id);
      const successors = await checkWindUp(tx as EntityManager, organisation, input, locked, viewer);
      const ended = organisation!;
      ended.validTo = input.endsOn;
      ended.successorId = successors[0]!.id;
      if (input.note !== undefined) ended.endNote = input.note ?? null;
      for (const [ordinal, successor] of successors.entries()) {
        tx.create(OrganisationSuccessor, { id: `succession-${randomUUID()}`, organisationId: ended.id, successorId: successor.id, tasks: input.successors[ordinal]!.tasks ?? null, ordinal });
      }
      // The deprecated `source` is the same provenance with fewer fields: it replaces them all, as it always did.
      const source = input.source
        ? {
            documentId: input.source.documentId ?? null,
            url: input.source.url ?? null,
            section: input.source.section ?? null,
            decisionBody: input.source.decisionBody ?? null,
            decisionDate: input.source.decisionDate ?? null,
          }
        : null;
      await writeProvenance(tx as EntityManager, "Organisation", ended.id, input.provenance ?? source, input.provenance ? "input.provenance" : "input.source");
      await tx.flush();
      return ended;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Organisation, {
    description:
      "Merges a record entered twice into the one that stays: afterwards the duplicate's id (in every subgraph, as an entity reference too) reads the surviving organisation, whose memberships, grants and measures include those held under the duplicate's id. Needs scope `data:write` and a role for the duplicate's county. Merging into a merged or wound-up organisation: BAD_USER_INPUT; repeating a merge changes nothing.",
  })
  async mergeOrganisations(
    @Arg("input", () => MergeOrganisationsInput, { description: "The duplicate and the record that stays." }) input: MergeOrganisationsInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Organisation> {
    return await em.transactional(async (tx) => {
      const duplicateId = resolveOrganisationId(input.duplicateId);
      const survivorId = resolveOrganisationId(input.survivorId);
      const locked = await lockOrganisations(tx as EntityManager, [duplicateId, survivorId]);
      const duplicate = locked.get(duplicateId);
      const survivor = locked.get(survivorId);
      if (checkMerge(duplicate, survivor, input, viewer)) {
        duplicate!.mergedInto = survivor!.id;
        if (input.note !== undefined) duplicate!.endNote = input.note ?? null;
        // Records merged into the duplicate earlier now point at the survivor too (one step always reaches the record that stays).
        for (const earlier of await tx.find(Organisation, { mergedInto: duplicate!.id })) earlier.mergedInto = survivor!.id;
        await tx.flush();
      }
      return survivor!;
    });
  }
}

/** The successor organisation of a succession. */
@Resolver(() => OrganisationSuccessor)
export class OrganisationSuccessorResolver {
  @FieldResolver(() => Organisation, { nullable: true, description: "The organisation that took over the tasks." })
  async organisation(@Root() succession: OrganisationSuccessor, @Ctx() { loaders }: Context): Promise<Organisation | null> {
    return await loaders.organisationById.load(succession.successorId);
  }
}
