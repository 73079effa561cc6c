import { randomUUID } from "node:crypto";
import { assertCanWriteCounty, BadUserInputError, RecordSource, Scope, writeProvenance } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { checkReferences } from "../county-scope.rules.ts";
import { AnnualNegotiation, AnnualNegotiationPractice } from "../negotiation/negotiation.entity.ts";
import { RecordAnnualNegotiationInput, SetAnnualNegotiationPracticeInput, UpdateAnnualNegotiationInput } from "../negotiation/negotiation.input.ts";
import { checkGoalsOfCounty, checkMeasuresOfCounty, checkNegotiationDay, lockNegotiation, lockPractice } from "../negotiation/negotiation.rules.ts";

const unique = (ids: readonly string[] | null | undefined): string[] => [...new Set(ids ?? [])];

/** Coordinators record their county's annual negotiations and how it arranges them. */
@Resolver()
export class NegotiationEditResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => AnnualNegotiation, {
    description: "Records a held annual negotiation (612/2021 7 §): one a day per county. Needs `data:write` and a role for the county.",
  })
  async recordAnnualNegotiation(
    @Arg("input", () => RecordAnnualNegotiationInput, { description: "The negotiation." }) input: RecordAnnualNegotiationInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<AnnualNegotiation> {
    assertCanWriteCounty(viewer, input.countyCode);
    await checkReferences({ references, viewer }, [
      { field: "input.organisationIds", type: "Organisation", keys: input.organisationIds ?? [] },
      { field: "input.groupIds", type: "CooperationGroup", keys: input.groupIds ?? [] },
    ]);
    return await em.transactional(async (tx) => {
      await checkNegotiationDay(tx, input.countyCode, input.heldOn, null);
      const goalIds = unique(input.goalIds);
      const measureIds = unique(input.measureIds);
      await checkGoalsOfCounty(tx, input.countyCode, goalIds, "input.goalIds");
      await checkMeasuresOfCounty(tx, input.countyCode, measureIds, "input.measureIds");
      const negotiation = tx.create(AnnualNegotiation, {
        id: `negotiation-${randomUUID()}`,
        countyCode: input.countyCode,
        heldOn: input.heldOn,
        title: input.title,
        summary: input.summary ?? null,
        organisationIds: unique(input.organisationIds),
        groupIds: unique(input.groupIds),
        goalIds,
        measureIds,
      });
      await tx.flush();
      await writeProvenance(tx, "AnnualNegotiation", negotiation.id, input.provenance);
      return negotiation;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => AnnualNegotiation, {
    description: "Changes a recorded annual negotiation: day, title, summary, participants, agreed goals and measures (lists replace). Needs `data:write` and a role for its county.",
  })
  async updateAnnualNegotiation(
    @Arg("input", () => UpdateAnnualNegotiationInput, { description: "The changes." }) input: UpdateAnnualNegotiationInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<AnnualNegotiation> {
    if (input.title === null) throw new BadUserInputError("input.title", "a negotiation keeps a title");
    if (input.heldOn === null) throw new BadUserInputError("input.heldOn", "a negotiation keeps its date");
    await checkReferences({ references, viewer }, [
      { field: "input.organisationIds", type: "Organisation", keys: input.organisationIds ?? [] },
      { field: "input.groupIds", type: "CooperationGroup", keys: input.groupIds ?? [] },
    ]);
    return await em.transactional(async (tx) => {
      const negotiation = await lockNegotiation(tx, viewer, input.negotiationId, "input.negotiationId");
      if (input.heldOn) {
        await checkNegotiationDay(tx, negotiation.countyCode, input.heldOn, negotiation.id);
        negotiation.heldOn = input.heldOn;
      }
      if (input.title) negotiation.title = input.title;
      if (input.summary !== undefined) negotiation.summary = input.summary;
      if (input.organisationIds) negotiation.organisationIds = unique(input.organisationIds);
      if (input.groupIds) negotiation.groupIds = unique(input.groupIds);
      if (input.goalIds) {
        await checkGoalsOfCounty(tx, negotiation.countyCode, unique(input.goalIds), "input.goalIds");
        negotiation.goalIds = unique(input.goalIds);
      }
      if (input.measureIds) {
        await checkMeasuresOfCounty(tx, negotiation.countyCode, unique(input.measureIds), "input.measureIds");
        negotiation.measureIds = unique(input.measureIds);
      }
      await tx.flush();
      await writeProvenance(tx, "AnnualNegotiation", negotiation.id, input.provenance);
      return negotiation;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, {
    description: "Removes an annual negotiation recorded by mistake; returns its id (its goals and measures stay). Needs `data:write` and a role for its county.",
  })
  async removeAnnualNegotiation(
    @Arg("negotiationId", () => ID, { description: "The negotiation." }) negotiationId: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const negotiation = await lockNegotiation(tx, viewer, negotiationId, "negotiationId");
      const source = await tx.findOne(RecordSource, { recordType: "AnnualNegotiation", recordId: negotiation.id });
      if (source) tx.remove(source);
      tx.remove(negotiation);
      return negotiation.id;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => AnnualNegotiationPractice, {
    description:
      "Records or changes how a county arranges its annual negotiation (one per county): a new one needs legalBasis, timesPerYear, participants, agenda and source. Needs `data:write` and a role for the county.",
  })
  async setAnnualNegotiationPractice(
    @Arg("input", () => SetAnnualNegotiationPracticeInput, { description: "The arrangement." }) input: SetAnnualNegotiationPracticeInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<AnnualNegotiationPractice> {
    assertCanWriteCounty(viewer, input.countyCode);
    for (const key of ["legalBasis", "timesPerYear", "participants", "agenda", "source"] as const) {
      if (input[key] === null) throw new BadUserInputError(`input.${key}`, "a practice keeps this field");
    }
    await checkReferences({ references, viewer }, [{ field: "input.groupIds", type: "CooperationGroup", keys: input.groupIds ?? [] }]);
    return await em.transactional(async (tx) => {
      let practice = await lockPractice(tx, viewer, input.countyCode);
      if (!practice) {
        for (const key of ["legalBasis", "timesPerYear", "participants", "agenda", "source"] as const) {
          if (input[key] === undefined) throw new BadUserInputError(`input.${key}`, "is required for a county's first practice");
        }
        practice = tx.create(AnnualNegotiationPractice, {
          countyCode: input.countyCode,
          legalBasis: input.legalBasis!,
          timesPerYear: input.timesPerYear!,
          participants: input.participants!,
          agenda: input.agenda!,
          otherMeetings: input.otherMeetings ?? null,
          source: input.source!,
          groupIds: unique(input.groupIds),
        });
      } else {
        if (input.legalBasis) practice.legalBasis = input.legalBasis;
        if (input.timesPerYear) practice.timesPerYear = input.timesPerYear;
        if (input.participants) practice.participants = input.participants;
        if (input.agenda) practice.agenda = input.agenda;
        if (input.source) practice.source = input.source;
        if (input.otherMeetings !== undefined) practice.otherMeetings = input.otherMeetings;
        if (input.groupIds) practice.groupIds = unique(input.groupIds);
      }
      await tx.flush();
      await writeProvenance(tx, "AnnualNegotiationPractice", practice.countyCode, input.provenance);
      return practice;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, {
    description: "Removes a county's annual negotiation practice recorded by mistake; returns the county code. Needs `data:write` and a role for the county.",
  })
  async removeAnnualNegotiationPractice(
    @Arg("countyCode", () => ID, { description: "2-digit code of the county." }) countyCode: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const practice = await lockPractice(tx, viewer, countyCode);
      if (!practice) throw new BadUserInputError("countyCode", `county "${countyCode}" has no annual negotiation practice recorded`);
      const source = await tx.findOne(RecordSource, { recordType: "AnnualNegotiationPractice", recordId: practice.countyCode });
      if (source) tx.remove(source);
      tx.remove(practice);
      return practice.countyCode;
    });
  }
}
