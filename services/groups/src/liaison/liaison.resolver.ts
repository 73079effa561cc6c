import { helsinkiToday, NotFoundError } from "@yhdyspinta/core";
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { CountyRef, countyRef, MunicipalityRef, municipalityRef, OrganisationRef, organisationRef, PersonRef, personRef } from "../federation/references.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { CooperationLevel, LiaisonHolder, LiaisonRole } from "./liaison.entity.ts";
import { rolesInForce } from "./liaison.rules.ts";

@Resolver(() => CooperationLevel)
export class CooperationLevelResolver {
  @Query(() => [CooperationLevel], { description: "Levels of a county's cooperation structure, in the county's order." })
  async cooperationLevels(
    @Arg("countyCode", () => ID, { description: "2-digit county code." }) countyCode: string,
    @Ctx() { loaders }: Context,
  ): Promise<CooperationLevel[]> {
    return await loaders.levelsByCounty.load(countyCode);
  }

  @FieldResolver(() => CountyRef, { description: "The county." })
  county(@Root() level: CooperationLevel): CountyRef {
    return countyRef(level.countyCode);
  }

  @FieldResolver(() => [LiaisonRole], { description: "Liaison roles at this level that the county has today; with `history`, ended ones too." })
  async liaisonRoles(
    @Root() level: CooperationLevel,
    @Arg("history", () => Boolean, { defaultValue: false, description: "Ended roles too, not only those the county has today." }) history: boolean,
    @Ctx() { loaders }: Context,
  ): Promise<LiaisonRole[]> {
    return rolesInForce(await loaders.liaisonsByCounty.load(level.countyCode), history).filter((r) => r.level === level.level);
  }

  @FieldResolver(() => [CooperationGroup], { description: "The county's groups at this level, by name." })
  async cooperationGroups(@Root() level: CooperationLevel, @Ctx() { loaders }: Context): Promise<CooperationGroup[]> {
    const groups = await loaders.groupsByCounty.load({ countyCode: level.countyCode, kind: null, activeOn: null });
    return groups.filter((g) => g.level === level.level);
  }
}

@Resolver(() => LiaisonRole)
export class LiaisonRoleResolver {
  @Query(() => [LiaisonRole], {
    description: "Liaison roles of a county that it has today, optionally of one municipality, in the county's order; with `history`, ended ones too.",
  })
  async liaisonRoles(
    @Arg("countyCode", () => ID, { description: "2-digit county code." }) countyCode: string,
    @Arg("municipalityCode", () => ID, { nullable: true, description: "Only roles named for this municipality." })
    municipalityCode: string | null,
    @Arg("history", () => Boolean, { defaultValue: false, description: "Ended roles too, not only those the county has today." }) history: boolean,
    @Ctx() { loaders }: Context,
  ): Promise<LiaisonRole[]> {
    const roles = rolesInForce(await loaders.liaisonsByCounty.load(countyCode), history);
    return municipalityCode ? roles.filter((r) => r.municipalityCode === municipalityCode) : roles;
  }

  @FieldResolver(() => CountyRef, { description: "The county." })
  county(@Root() role: LiaisonRole): CountyRef {
    return countyRef(role.countyCode);
  }

  @FieldResolver(() => MunicipalityRef, { nullable: true, description: "The municipality the role is named for, if any." })
  municipality(@Root() role: LiaisonRole): MunicipalityRef | null {
    return role.municipalityCode ? municipalityRef(role.municipalityCode) : null;
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: "The organisation that names the liaison." })
  organisation(@Root() role: LiaisonRole): OrganisationRef | null {
    return role.organisationId ? organisationRef(role.organisationId) : null;
  }

  @FieldResolver(() => CooperationGroup, { nullable: true, description: "The network or forum the role's holders form or lead." })
  async network(@Root() role: LiaisonRole, @Ctx() { loaders }: Context): Promise<CooperationGroup | null> {
    return role.networkGroupId ? await loaders.groupById.load(role.networkGroupId) : null;
  }

  @FieldResolver(() => LiaisonRole, { nullable: true, description: "The role this one works in pair with (työpari)." })
  async pairedWith(@Root() role: LiaisonRole, @Ctx() { loaders }: Context): Promise<LiaisonRole | null> {
    return role.pairedWithId ? await loaders.liaisonById.load(role.pairedWithId) : null;
  }

  @FieldResolver(() => [LiaisonHolder], { description: "People holding the role today (Helsinki), by start; with `history`, every term, ended ones and future ones included." })
  async holders(
    @Root() role: LiaisonRole,
    @Arg("history", () => Boolean, { defaultValue: false, description: "Every term, not only today's holders." }) history: boolean,
    @Ctx() { loaders }: Context,
  ): Promise<LiaisonHolder[]> {
    const all = await loaders.holdersByRole.load(role.id);
    if (history) return all;
    const today = helsinkiToday();
    return all.filter((h) => h.startsOn <= today && (h.endsOn === null || h.endsOn >= today));
  }
}

@Resolver(() => LiaisonHolder)
export class LiaisonHolderResolver {
  @FieldResolver(() => LiaisonRole, { description: "The role held." })
  async role(@Root() holder: LiaisonHolder, @Ctx() { loaders }: Context): Promise<LiaisonRole> {
    const role = await loaders.liaisonById.load(holder.roleId);
    if (!role) throw new NotFoundError("LiaisonRole", holder.roleId);
    return role;
  }

  @FieldResolver(() => PersonRef, { description: "The person holding it." })
  person(@Root() holder: LiaisonHolder): PersonRef {
    return personRef(holder.personId);
  }
}

@Resolver(() => CountyRef)
export class CountyLiaisonsResolver {
  @FieldResolver(() => [CooperationLevel], { nullable: true, description: "Levels of the county's cooperation structure; empty if not described." })
  async cooperationLevels(@Root() county: CountyRef, @Ctx() { loaders }: Context): Promise<CooperationLevel[]> {
    return await loaders.levelsByCounty.load(county.code);
  }

  @FieldResolver(() => [LiaisonRole], { nullable: true, description: "The county's liaison roles that it has today, in its order; with `history`, ended ones too." })
  async liaisonRoles(
    @Root() county: CountyRef,
    @Arg("history", () => Boolean, { defaultValue: false, description: "Ended roles too, not only those the county has today." }) history: boolean,
    @Ctx() { loaders }: Context,
  ): Promise<LiaisonRole[]> {
    return rolesInForce(await loaders.liaisonsByCounty.load(county.code), history);
  }
}
