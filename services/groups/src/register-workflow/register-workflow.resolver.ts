import { randomUUID } from "node:crypto";
import { assertCanWriteCounty, BadUserInputError, Scope, writeProvenance } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { Area, AreaMunicipality } from "../area/area.entity.ts";
import { auditAreaMunicipalities, checkAreaMunicipalities, checkAreaName, checkAreaRemovable, lockArea, lockAreasOf, replaceAreaMunicipalities } from "../area/area.rules.ts";
import type { Context } from "../context.ts";
import { checkMunicipalitiesOfCounty, checkReferences } from "../county-scope.rules.ts";
import { CooperationLevel, LiaisonHolder, LiaisonRole } from "../liaison/liaison.entity.ts";
import {
  checkHolderTerm,
  checkLevelName,
  checkRoleLinks,
  checkRoleRemovable,
  checkRoleTitle,
  endRoleHolders,
  lockHolder,
  lockLevel,
  lockRole,
  lockRoleNamed,
} from "../liaison/liaison.rules.ts";
import {
  AddLiaisonInput,
  CreateAreaInput,
  CreateCooperationLevelInput,
  CreateLiaisonRoleInput,
  EditAreaInput,
  EditCooperationLevelInput,
  EditLiaisonRoleInput,
  EndLiaisonInput,
  EndLiaisonRoleInput,
} from "./register-workflow.inputs.ts";

/**
 * Coordinators keep their county's register of areas, cooperation levels and
 * liaison roles (with who holds them) current. Every mutation needs
 * `data:write` and a role for the record's county, checks the references it
 * names to other subgraphs before its transaction, and writes the record, its
 * provenance and its audit entries in one transaction.
 */
@Resolver()
export class RegisterWorkflowResolver {
  // ------------------------------------------------------------ areas

  @Authorized(Scope.DataWrite)
  @Mutation(() => Area, {
    description:
      "Creates an area of a county with its municipalities (each of the county, in at most one of its areas). Needs `data:write` and a role for the county.",
  })
  async createArea(
    @Arg("input", () => CreateAreaInput, { description: "The area." }) input: CreateAreaInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<Area> {
    assertCanWriteCounty(viewer, input.countyCode);
    await checkMunicipalitiesOfCounty({ references, viewer }, "input.municipalityCodes", input.municipalityCodes, input.countyCode);
    return await em.transactional(async (tx) => {
      await lockAreasOf(tx, viewer, input.countyCode);
      await checkAreaName(tx, input.countyCode, input.name, null);
      await checkAreaMunicipalities(tx, input.countyCode, input.municipalityCodes, null);
      const last = await tx.findOne(Area, { countyCode: input.countyCode }, { orderBy: { ordinal: "desc" } });
      const area = tx.create(Area, { id: `area-${randomUUID()}`, countyCode: input.countyCode, name: input.name, ordinal: input.ordinal ?? (last?.ordinal ?? 0) + 1 });
      await auditAreaMunicipalities(tx, area, input.municipalityCodes, true);
      input.municipalityCodes.forEach((municipalityCode, i) => tx.create(AreaMunicipality, { areaId: area.id, municipalityCode, ordinal: i + 1 }));
      await writeProvenance(tx, "Area", area.id, input.provenance);
      return area;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Area, { description: "Edits an area; omitted fields stay, a municipality list replaces the old one. Needs `data:write` and a role for the area's county." })
  async editArea(
    @Arg("input", () => EditAreaInput, { description: "The changes." }) input: EditAreaInput,
    @Ctx() { em, viewer, references, loaders }: Context,
  ): Promise<Area> {
    const known = await loaders.areaById.load(input.areaId);
    if (known && input.municipalityCodes) {
      assertCanWriteCounty(viewer, known.countyCode);
      await checkMunicipalitiesOfCounty({ references, viewer }, "input.municipalityCodes", input.municipalityCodes, known.countyCode);
    }
    return await em.transactional(async (tx) => {
      const area = await lockArea(tx, viewer, input.areaId, "input.areaId");
      if (input.municipalityCodes) await auditAreaMunicipalities(tx, area, input.municipalityCodes, false);
      if (input.name) {
        await checkAreaName(tx, area.countyCode, input.name, area.id);
        area.name = input.name;
      }
      if (input.ordinal != null) area.ordinal = input.ordinal;
      if (input.municipalityCodes) {
        await checkAreaMunicipalities(tx, area.countyCode, input.municipalityCodes, area.id);
        await replaceAreaMunicipalities(tx, area.id, input.municipalityCodes);
      }
      await writeProvenance(tx, "Area", area.id, input.provenance);
      return area;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, {
    description: "Removes an area entered by mistake, with its municipality list; returns its id. Refused while a group works in it. Needs `data:write` and a role for the area's county.",
  })
  async removeArea(
    @Arg("areaId", () => ID, { description: "The area." }) areaId: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const area = await lockArea(tx, viewer, areaId, "areaId");
      await checkAreaRemovable(tx, area);
      for (const link of await tx.find(AreaMunicipality, { areaId: area.id })) tx.remove(link);
      tx.remove(area);
      return area.id;
    });
  }

  // ------------------------------------------------------------ cooperation levels

  @Authorized(Scope.DataWrite)
  @Mutation(() => CooperationLevel, { description: "Adds a level to a county's cooperation structure. Needs `data:write` and a role for the county." })
  async createCooperationLevel(
    @Arg("input", () => CreateCooperationLevelInput, { description: "The level." }) input: CreateCooperationLevelInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<CooperationLevel> {
    assertCanWriteCounty(viewer, input.countyCode);
    return await em.transactional(async (tx) => {
      await checkLevelName(tx, input.countyCode, input.name, null);
      const last = await tx.findOne(CooperationLevel, { countyCode: input.countyCode }, { orderBy: { ordinal: "desc" } });
      const level = tx.create(CooperationLevel, {
        id: `level-${randomUUID()}`,
        countyCode: input.countyCode,
        level: input.level,
        name: input.name,
        ordinal: input.ordinal ?? (last?.ordinal ?? 0) + 1,
        forums: input.forums ?? [],
        description: input.description ?? null,
      });
      await writeProvenance(tx, "CooperationLevel", level.id, input.provenance);
      return level;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => CooperationLevel, { description: "Edits a cooperation level; omitted fields stay. Needs `data:write` and a role for the level's county." })
  async editCooperationLevel(
    @Arg("input", () => EditCooperationLevelInput, { description: "The changes." }) input: EditCooperationLevelInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<CooperationLevel> {
    return await em.transactional(async (tx) => {
      const level = await lockLevel(tx, viewer, input.levelId, "input.levelId");
      if (input.name) {
        await checkLevelName(tx, level.countyCode, input.name, level.id);
        level.name = input.name;
      }
      if (input.level) level.level = input.level;
      if (input.ordinal != null) level.ordinal = input.ordinal;
      if (input.forums != null) level.forums = input.forums;
      if (input.description !== undefined) level.description = input.description;
      await writeProvenance(tx, "CooperationLevel", level.id, input.provenance);
      return level;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, { description: "Removes a cooperation level entered by mistake; returns its id. Needs `data:write` and a role for the level's county." })
  async removeCooperationLevel(
    @Arg("levelId", () => ID, { description: "The level." }) levelId: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const level = await lockLevel(tx, viewer, levelId, "levelId");
      tx.remove(level);
      return level.id;
    });
  }

  // ------------------------------------------------------------ liaison roles

  @Authorized(Scope.DataWrite)
  @Mutation(() => LiaisonRole, {
    description: "Creates a liaison role of a county, optionally for one of its municipalities. Needs `data:write` and a role for the county.",
  })
  async createLiaisonRole(
    @Arg("input", () => CreateLiaisonRoleInput, { description: "The role." }) input: CreateLiaisonRoleInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<LiaisonRole> {
    assertCanWriteCounty(viewer, input.countyCode);
    await checkMunicipalitiesOfCounty({ references, viewer }, "input.municipalityCode", input.municipalityCode ? [input.municipalityCode] : [], input.countyCode);
    await checkReferences({ references, viewer }, [{ field: "input.organisationId", type: "Organisation", keys: [input.organisationId ?? ""] }]);
    return await em.transactional(async (tx) => {
      const key = { countyCode: input.countyCode, level: input.level, sector: input.sector ?? null, title: input.title, municipalityCode: input.municipalityCode ?? null };
      await checkRoleTitle(tx, key, null);
      const last = await tx.findOne(LiaisonRole, { countyCode: input.countyCode }, { orderBy: { ordinal: "desc" } });
      const role = tx.create(LiaisonRole, {
        id: `liaison-${randomUUID()}`,
        ...key,
        organisationId: input.organisationId ?? null,
        networkGroupId: input.networkGroupId ?? null,
        pairedWithId: input.pairedWithId ?? null,
        tasks: input.tasks ?? [],
        ordinal: input.ordinal ?? (last?.ordinal ?? 0) + 1,
        endsOn: null,
      });
      await checkRoleLinks(tx, role);
      await writeProvenance(tx, "LiaisonRole", role.id, input.provenance);
      return role;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => LiaisonRole, { description: "Edits a liaison role; omitted fields stay, null clears a link. Needs `data:write` and a role for the role's county." })
  async editLiaisonRole(
    @Arg("input", () => EditLiaisonRoleInput, { description: "The changes." }) input: EditLiaisonRoleInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<LiaisonRole> {
    if (input.organisationId) await checkReferences({ references, viewer }, [{ field: "input.organisationId", type: "Organisation", keys: [input.organisationId] }]);
    return await em.transactional(async (tx) => {
      const role = await lockRole(tx, viewer, input.roleId, "input.roleId");
      for (const key of ["sector", "organisationId", "networkGroupId", "pairedWithId"] as const) {
        const value = input[key];
        if (value !== undefined) Object.assign(role, { [key]: value });
      }
      if (input.level) role.level = input.level;
      if (input.title) role.title = input.title;
      if (input.tasks != null) role.tasks = input.tasks;
      if (input.ordinal != null) role.ordinal = input.ordinal;
      if (role.endsOn === null && (input.title || input.level || input.sector !== undefined)) await checkRoleTitle(tx, role, role.id);
      await checkRoleLinks(tx, role);
      await writeProvenance(tx, "LiaisonRole", role.id, input.provenance);
      return role;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => LiaisonRole, {
    description: "Ends a liaison role on a day; its holders continuing past the day end with it (kept as history). Needs `data:write` and a role for the role's county.",
  })
  async endLiaisonRole(
    @Arg("input", () => EndLiaisonRoleInput, { description: "Which role and its last day." }) input: EndLiaisonRoleInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<LiaisonRole> {
    return await em.transactional(async (tx) => {
      const role = await lockRole(tx, viewer, input.roleId, "input.roleId");
      await endRoleHolders(tx, role, input.endsOn);
      role.endsOn = input.endsOn;
      return role;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, {
    description: "Removes a liaison role entered by mistake; returns its id. Refused once anyone has held it or another role pairs with it. Needs `data:write` and a role for the role's county.",
  })
  async removeLiaisonRole(
    @Arg("roleId", () => ID, { description: "The role." }) roleId: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const role = await lockRole(tx, viewer, roleId, "roleId");
      await checkRoleRemovable(tx, role);
      tx.remove(role);
      return role.id;
    });
  }

  // ------------------------------------------------------------ liaison holders

  @Authorized(Scope.DataWrite)
  @Mutation(() => LiaisonHolder, {
    description:
      "Names a person as holder of a liaison role from a day (e.g. Kauhava's järjestöyhdyshenkilö). A person holds a role once on any day. Needs `data:write` and a role for the role's county.",
  })
  async addLiaison(
    @Arg("input", () => AddLiaisonInput, { description: "Who holds which role from when." }) input: AddLiaisonInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<LiaisonHolder> {
    await checkReferences({ references, viewer }, [{ field: "input.personId", type: "Person", keys: [input.personId] }]);
    return await em.transactional(async (tx) => {
      const role = await lockRoleNamed(tx, viewer, input);
      const term = { id: null, personId: input.personId, startsOn: input.startsOn, endsOn: input.endsOn ?? null };
      await checkHolderTerm(tx, role, term);
      return tx.create(LiaisonHolder, { ...term, id: `liaison-holder-${randomUUID()}`, roleId: role.id });
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => LiaisonHolder, { description: "Records that a person stops holding a liaison role after a day (kept as history). Needs `data:write` and a role for the role's county." })
  async endLiaison(
    @Arg("input", () => EndLiaisonInput, { description: "Which holder and the last day." }) input: EndLiaisonInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<LiaisonHolder> {
    return await em.transactional(async (tx) => {
      const { holder, role } = await lockHolder(tx, viewer, input.holderId, "input.holderId");
      if (holder.endsOn && holder.endsOn < input.endsOn) throw new BadUserInputError("input.endsOn", `the term already ended on ${holder.endsOn}`);
      await checkHolderTerm(tx, role, { ...holder, endsOn: input.endsOn });
      holder.endsOn = input.endsOn;
      return holder;
    });
  }
}
