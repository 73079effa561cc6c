import { randomUUID } from "node:crypto";
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { assertCanWriteCounty, BadUserInputError, NotFoundError, Scope } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { checkReferences } from "../county-scope.rules.ts";
import { CountyRef, countyRef, OrganisationRef, organisationRef } from "../federation/references.ts";
import { DecimalScalar, fromCents, toCents } from "../scalars/decimal.ts";
import { Theme } from "../theme/theme.entity.ts";
import { AwardGrantInput } from "./grant.input.ts";
import { checkAwardYear } from "./grant.rules.ts";
import { GrantAward, GrantProgramme } from "./grant.entity.ts";

@Resolver(() => GrantProgramme)
export class GrantProgrammeResolver {
  @Query(() => GrantProgramme, { nullable: true, description: "A grant programme by id; null if there is none." })
  async grantProgramme(
    @Arg("id", () => ID, { description: "The programme's id." }) id: string,
    @Ctx() { loaders }: Context,
  ): Promise<GrantProgramme | null> {
    return await loaders.grantProgrammeById.load(id);
  }

  @FieldResolver(() => CountyRef, { description: "The county that runs the programme." })
  county(@Root() programme: GrantProgramme): CountyRef {
    return countyRef(programme.countyCode);
  }

  @FieldResolver(() => [GrantAward], { description: "Grants awarded under the programme, newest year first." })
  async awards(@Root() programme: GrantProgramme, @Ctx() { loaders }: Context): Promise<GrantAward[]> {
    return await loaders.grantsByProgramme.load(programme.id);
  }

  @FieldResolver(() => DecimalScalar, { description: "Sum of all awards in euros, exact to the cent." })
  async totalAwarded(@Root() programme: GrantProgramme, @Ctx() { loaders }: Context): Promise<string> {
    const awards = await loaders.grantsByProgramme.load(programme.id);
    return fromCents(awards.reduce((sum, a) => sum + toCents(a.amount), 0n));
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => GrantAward, {
    description: "Records a grant awarded to an organisation. Needs the data:write scope and a role for the programme's county.",
  })
  async awardGrant(
    @Arg("input", () => AwardGrantInput, { description: "The grant." }) input: AwardGrantInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<GrantAward> {
    await checkReferences({ references, viewer }, [{ field: "input.organisationId", type: "Organisation", keys: [input.organisationId] }]);
    return await em.transactional(async (tx) => {
      const programme = await tx.findOne(GrantProgramme, { id: input.programmeId });
      if (!programme) throw new NotFoundError("GrantProgramme", input.programmeId);
      assertCanWriteCounty(viewer, programme.countyCode);
      checkAwardYear(programme, input.year);
      if (input.themeId) {
        const theme = await tx.findOne(Theme, { id: input.themeId });
        if (!theme || theme.countyCode !== programme.countyCode) {
          throw new BadUserInputError("input.themeId", "must be a theme of the programme's county");
        }
      }
      const award = tx.create(GrantAward, {
        id: `grant-${randomUUID()}`,
        programmeId: programme.id,
        organisationId: input.organisationId,
        // What numeric(14,2) stores and returns: "5" becomes "5.00".
        amount: fromCents(toCents(input.amount)),
        year: input.year,
        purpose: input.purpose,
        themeId: input.themeId ?? null,
      });
      await tx.flush();
      return award;
    });
  }
}

@Resolver(() => GrantAward)
export class GrantAwardResolver {
  @FieldResolver(() => GrantProgramme, { description: "The programme the grant was awarded under." })
  async programme(@Root() award: GrantAward, @Ctx() { loaders }: Context): Promise<GrantProgramme> {
    return (await loaders.grantProgrammeById.load(award.programmeId))!;
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: "The organisation that received the grant; null (with an error for this item) when it no longer exists." })
  organisation(@Root() award: GrantAward): OrganisationRef {
    return organisationRef(award.organisationId);
  }

  @FieldResolver(() => Theme, { nullable: true, description: "The theme the grant serves; null if none is recorded." })
  async theme(@Root() award: GrantAward, @Ctx() { loaders }: Context): Promise<Theme | null> {
    return award.themeId ? await loaders.themeById.load(award.themeId) : null;
  }
}

@Resolver(() => CountyRef)
export class CountyGrantsResolver {
  @FieldResolver(() => [GrantProgramme], { nullable: true, description: "The county's grant programmes for associations." })
  async grantProgrammes(@Root() county: CountyRef, @Ctx() { loaders }: Context): Promise<GrantProgramme[]> {
    return await loaders.grantProgrammesByCounty.load(county.code);
  }
}

@Resolver(() => OrganisationRef)
export class OrganisationGrantsResolver {
  @FieldResolver(() => [GrantAward], { nullable: true, description: "Grants the organisation has received (under its own id or a merged duplicate's), newest year first." })
  async grants(@Root() organisation: OrganisationRef, @Ctx() { loaders, organisationIds }: Context): Promise<GrantAward[]> {
    // A merged duplicate's grants are stored under its own id: read every id the organisation is known by.
    const ids = organisationIds ? await organisationIds.load(organisation.id) : [organisation.id];
    const lists = await Promise.all(ids.map((id) => loaders.grantsByOrganisation.load(id)));
    if (lists.length === 1) return lists[0]!;
    return [...new Map(lists.flat().map((g) => [g.id, g])).values()].sort((a, b) => b.year - a.year || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
