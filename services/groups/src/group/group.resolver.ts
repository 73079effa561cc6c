import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { CountyRef, countyRef, MunicipalityRef, municipalityRef } from "../federation/references.ts";
import { CooperationGroup } from "./group.entity.ts";
import { CooperationGroupKind } from "./group-kind.ts";

@Resolver(() => CooperationGroup)
export class CooperationGroupResolver {
  @Query(() => CooperationGroup, { nullable: true, description: "A cooperation group by id; null if there is none." })
  async cooperationGroup(@Arg("id", () => ID) id: string, @Ctx() { loaders }: Context): Promise<CooperationGroup | null> {
    return await loaders.groupById.load(id);
  }

  @Query(() => [CooperationGroup], { description: "Cooperation groups, optionally of one county and kind, by name." })
  async cooperationGroups(
    @Arg("countyCode", () => ID, { nullable: true }) countyCode: string | null,
    @Arg("kind", () => CooperationGroupKind, { nullable: true }) kind: CooperationGroupKind | null,
    @Ctx() { em }: Context,
  ): Promise<CooperationGroup[]> {
    return await em.find(
      CooperationGroup,
      { ...(countyCode ? { countyCode } : {}), ...(kind ? { kind } : {}) },
      { orderBy: { name: "asc", id: "asc" } },
    );
  }

  @FieldResolver(() => CountyRef, { description: "The county whose group this is." })
  county(@Root() group: CooperationGroup): CountyRef {
    return countyRef(group.countyCode);
  }

  @FieldResolver(() => [MunicipalityRef], { description: "Municipalities the group covers, by code." })
  async municipalities(@Root() group: CooperationGroup, @Ctx() { loaders }: Context): Promise<MunicipalityRef[]> {
    const codes = await loaders.municipalityCodesByGroup.load(group.id);
    return codes.map(municipalityRef);
  }
}

@Resolver(() => MunicipalityRef)
export class MunicipalityGroupsResolver {
  @FieldResolver(() => [CooperationGroup], { description: "Cooperation groups that cover this municipality, by name." })
  async cooperationGroups(
    @Root() municipality: MunicipalityRef,
    @Arg("kind", () => CooperationGroupKind, { nullable: true, description: "Only groups of this kind." })
    kind: CooperationGroupKind | null,
    @Ctx() { loaders }: Context,
  ): Promise<CooperationGroup[]> {
    return await loaders.groupsByMunicipality.load({ municipalityCode: municipality.code, kind: kind ?? null });
  }
}

/** Federation: `CooperationGroup @key(id)`. */
export const cooperationGroupReference = {
  CooperationGroup: {
    __resolveReference: async (reference: { id: string }, context: Context) =>
      await context.loaders.groupById.load(reference.id),
  },
};
