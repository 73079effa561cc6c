import { randomUUID } from "node:crypto";
import { assertCanWriteCounty, BadUserInputError, RecordSource, Scope, writeProvenance } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { Indicator } from "../indicator/indicator.entity.ts";
import { CreateIndicatorInput, UpdateIndicatorInput } from "../indicator/indicator.input.ts";
import { checkIndicatorKey, checkIndicatorRemovable, checkSotkanetKeptFields, lockIndicator } from "../indicator/indicator.rules.ts";

/** Admins keep the metadata of monitoring indicators (national records). */
@Resolver()
export class IndicatorEditResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => Indicator, {
    description: "Records a monitoring indicator's metadata; one per Sotkanet id. Indicators are national: needs `data:write` and the admin role.",
  })
  async createIndicator(
    @Arg("input", () => CreateIndicatorInput, { description: "The indicator." }) input: CreateIndicatorInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Indicator> {
    assertCanWriteCounty(viewer, null);
    return await em.transactional(async (tx) => {
      const sotkanetId = input.sotkanetId ?? null;
      const id = sotkanetId === null ? `indicator-${randomUUID()}` : `sotkanet-${sotkanetId}`;
      await checkIndicatorKey(tx, id, sotkanetId);
      const indicator = tx.create(Indicator, {
        id,
        sotkanetId,
        name: input.name,
        nameEn: input.nameEn ?? null,
        unit: input.unit ?? null,
        source: input.source,
      });
      await tx.flush();
      await writeProvenance(tx, "Indicator", indicator.id, input.provenance);
      return indicator;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Indicator, {
    description:
      "Changes a monitoring indicator's metadata: names, unit, source. Once a Sotkanet sync has filled an indicator in, its names, unit and source are kept by Sotkanet: a change to one is refused (BAD_USER_INPUT naming the field), since the next sync would overwrite it; the value it already has passes, and `provenance` stays editable. Before its first sync a Sotkanet indicator is editable; a later sync (not a dry run) to which Sotkanet answers 404 detaches the indicator (no longer in Sotkanet) and makes its names, unit and source editable again. Needs `data:write` and the admin role.",
  })
  async updateIndicator(
    @Arg("input", () => UpdateIndicatorInput, { description: "The changes." }) input: UpdateIndicatorInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Indicator> {
    if (input.name === null) throw new BadUserInputError("input.name", "an indicator keeps a name");
    if (input.source === null) throw new BadUserInputError("input.source", "an indicator keeps its source");
    return await em.transactional(async (tx) => {
      const indicator = await lockIndicator(tx, viewer, input.indicatorId, "input.indicatorId");
      // The new values as stored: an empty English name or unit clears it.
      const changes = {
        name: input.name ?? undefined,
        nameEn: input.nameEn === undefined ? undefined : input.nameEn || null,
        unit: input.unit === undefined ? undefined : input.unit || null,
        source: input.source ?? undefined,
      };
      checkSotkanetKeptFields(indicator, changes);
      if (changes.name !== undefined) indicator.name = changes.name;
      if (changes.source !== undefined) indicator.source = changes.source;
      if (changes.nameEn !== undefined) indicator.nameEn = changes.nameEn;
      if (changes.unit !== undefined) indicator.unit = changes.unit;
      await tx.flush();
      await writeProvenance(tx, "Indicator", indicator.id, input.provenance);
      return indicator;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, {
    description: "Removes an indicator recorded by mistake; returns its id. Refused while it has values or a goal names it. Needs `data:write` and the admin role.",
  })
  async removeIndicator(
    @Arg("indicatorId", () => ID, { description: "The indicator." }) indicatorId: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const indicator = await lockIndicator(tx, viewer, indicatorId, "indicatorId");
      await checkIndicatorRemovable(tx, indicator);
      const source = await tx.findOne(RecordSource, { recordType: "Indicator", recordId: indicator.id });
      if (source) tx.remove(source);
      tx.remove(indicator);
      return indicator.id;
    });
  }
}
