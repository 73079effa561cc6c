import { randomUUID } from "node:crypto";
import { assertCanWriteCounty, BadUserInputError, RecordSource, Scope, writeProvenance } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { GrantProgramme } from "../grant/grant.entity.ts";
import { CreateGrantProgrammeInput, UpdateGrantProgrammeInput } from "../grant/grant.input.ts";
import { checkProgrammeDates, checkProgrammeName, checkProgrammeRemovable, grantPrinciples, lockProgramme } from "../grant/grant.rules.ts";

/** Coordinators keep their county's grant programmes and principles. */
@Resolver()
export class GrantProgrammeEditResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => GrantProgramme, {
    description: "Records a county's grant programme with its principles; its name is unique in the county. Needs `data:write` and a role for the county.",
  })
  async createGrantProgramme(
    @Arg("input", () => CreateGrantProgrammeInput, { description: "The programme." }) input: CreateGrantProgrammeInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<GrantProgramme> {
    assertCanWriteCounty(viewer, input.countyCode);
    return await em.transactional(async (tx) => {
      await checkProgrammeName(tx, input.countyCode, input.name, null);
      const programme = tx.create(GrantProgramme, {
        id: `grant-programme-${randomUUID()}`,
        countyCode: input.countyCode,
        name: input.name,
        startedOn: input.startedOn ?? null,
        endedOn: null,
        principles: grantPrinciples(input.principles),
        source: input.source,
      });
      await tx.flush();
      await writeProvenance(tx, "GrantProgramme", programme.id, input.provenance);
      return programme;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => GrantProgramme, {
    description:
      "Changes a grant programme: name, dates (endedOn ends it: no grants for a later year), principles (replace the list), source. Needs `data:write` and a role for the programme's county.",
  })
  async updateGrantProgramme(
    @Arg("input", () => UpdateGrantProgrammeInput, { description: "The changes." }) input: UpdateGrantProgrammeInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<GrantProgramme> {
    for (const key of ["name", "principles", "source"] as const) {
      if (input[key] === null) throw new BadUserInputError(`input.${key}`, "a programme keeps this field");
    }
    return await em.transactional(async (tx) => {
      const programme = await lockProgramme(tx, viewer, input.programmeId, "input.programmeId");
      if (input.name) {
        await checkProgrammeName(tx, programme.countyCode, input.name, programme.id);
        programme.name = input.name;
      }
      if (input.startedOn !== undefined) programme.startedOn = input.startedOn;
      if (input.endedOn !== undefined) programme.endedOn = input.endedOn;
      await checkProgrammeDates(tx, programme, input.endedOn !== undefined ? "input.endedOn" : "input.startedOn");
      if (input.principles) programme.principles = grantPrinciples(input.principles);
      if (input.source) programme.source = input.source;
      await tx.flush();
      await writeProvenance(tx, "GrantProgramme", programme.id, input.provenance);
      return programme;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, {
    description: "Removes a grant programme recorded by mistake; returns its id. Refused while it has grants (end it instead). Needs `data:write` and a role for the programme's county.",
  })
  async removeGrantProgramme(
    @Arg("programmeId", () => ID, { description: "The programme." }) programmeId: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const programme = await lockProgramme(tx, viewer, programmeId, "programmeId");
      await checkProgrammeRemovable(tx, programme);
      const source = await tx.findOne(RecordSource, { recordType: "GrantProgramme", recordId: programme.id });
      if (source) tx.remove(source);
      tx.remove(programme);
      return programme.id;
    });
  }
}
