import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, helsinkiToday, uniqueRuleError, type Viewer } from "@yhdyspinta/core";
import { CooperationGroup } from "../group/group.entity.ts";
import { CooperationLevel, LiaisonHolder, LiaisonRole } from "./liaison.entity.ts";
import { activeRolesOfMunicipality, activeRoleTitled, levelNamed, type LiaisonRoleKey } from "./liaison.queries.ts";

/**
 * The rules of a county's cooperation levels and liaison roles with their
 * holders: the row lock every write to a role or its holders takes first
 * (so a person's overlapping terms cannot pass in parallel), names unique in
 * the county, links within the county, dates in order. Municipality and
 * organisation references are checked in ../county-scope.rules.ts.
 */

/** The level, locked, after checking the caller may write its county. */
export async function lockLevel(tx: EntityManager, viewer: Viewer, levelId: string, field: string): Promise<CooperationLevel> {
  const level = await tx.findOne(CooperationLevel, { id: levelId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!level) throw new BadUserInputError(field, `no cooperation level "${levelId}"`);
  assertCanWriteCounty(viewer, level.countyCode);
  return level;
}

/** A level's name is unique in its county, letter case aside. */
export async function checkLevelName(tx: EntityManager, countyCode: string, name: string, exceptId: string | null): Promise<void> {
  const same = await levelNamed(tx, countyCode, name, exceptId);
  if (same) throw uniqueRuleError("cooperation_level_county_name_unique", `level ${same} in county ${countyCode}`);
}

/** The role, locked for the rest of the transaction, after checking the caller may write its county. */
export async function lockRole(tx: EntityManager, viewer: Viewer, roleId: string, field: string): Promise<LiaisonRole> {
  const role = await tx.findOne(LiaisonRole, { id: roleId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!role) throw new BadUserInputError(field, `no liaison role "${roleId}"`);
  assertCanWriteCounty(viewer, role.countyCode);
  return role;
}

/** A role that has not ended is named once per county, level, sector and municipality. */
export async function checkRoleTitle(tx: EntityManager, key: LiaisonRoleKey, exceptId: string | null): Promise<void> {
  const same = await activeRoleTitled(tx, key, exceptId);
  if (same) throw uniqueRuleError("liaison_role_active_title_unique", `role ${same} in county ${key.countyCode}`);
}

/** The network group and the paired role are of the role's own county; a role is not its own pair. */
export async function checkRoleLinks(tx: EntityManager, role: LiaisonRole): Promise<void> {
  if (role.networkGroupId) {
    const group = await tx.findOne(CooperationGroup, { id: role.networkGroupId });
    if (!group) throw new BadUserInputError("input.networkGroupId", `no cooperation group "${role.networkGroupId}"`);
    if (group.countyCode !== role.countyCode) throw new BadUserInputError("input.networkGroupId", `group ${group.id} belongs to county ${group.countyCode}, not ${role.countyCode}`);
  }
  if (role.pairedWithId) {
    if (role.pairedWithId === role.id) throw new BadUserInputError("input.pairedWithId", "a role is not its own pair");
    const pair = await tx.findOne(LiaisonRole, { id: role.pairedWithId });
    if (!pair) throw new BadUserInputError("input.pairedWithId", `no liaison role "${role.pairedWithId}"`);
    if (pair.countyCode !== role.countyCode) throw new BadUserInputError("input.pairedWithId", `role ${pair.id} belongs to county ${pair.countyCode}, not ${role.countyCode}`);
  }
}

/** A role ends once, on or after the start of every holder; holders continuing past the day end with it. */
export async function endRoleHolders(tx: EntityManager, role: LiaisonRole, endsOn: string): Promise<void> {
  if (role.endsOn && role.endsOn < endsOn) throw new BadUserInputError("input.endsOn", `the role already ended on ${role.endsOn}`);
  const holders = await tx.find(LiaisonHolder, { roleId: role.id });
  const later = holders.find((h) => h.startsOn > endsOn);
  if (later) throw new BadUserInputError("input.endsOn", `holder ${later.id} starts on ${later.startsOn}, after the day; end or correct it first`);
  for (const h of holders) if (h.endsOn === null || h.endsOn > endsOn) h.endsOn = endsOn;
}

/** A role is removed (entered by mistake) only while nobody has held it and no other role pairs with it. */
export async function checkRoleRemovable(tx: EntityManager, role: LiaisonRole): Promise<void> {
  const holder = await tx.findOne(LiaisonHolder, { roleId: role.id });
  if (holder) throw new BadUserInputError("roleId", `the role has holders (e.g. ${holder.id}); end it instead`);
  const pair = await tx.findOne(LiaisonRole, { pairedWithId: role.id });
  if (pair) throw new BadUserInputError("roleId", `role ${pair.id} pairs with it; change that role first`);
}

/** A holder's dates are in order, within the role's time, and the person does not hold the role twice on one day. */
export async function checkHolderTerm(tx: EntityManager, role: LiaisonRole, holder: { id: string | null; personId: string; startsOn: string; endsOn: string | null }): Promise<void> {
  if (holder.endsOn && holder.endsOn < holder.startsOn) throw new BadUserInputError("input.endsOn", `must not be before startsOn (${holder.startsOn})`);
  if (role.endsOn && holder.startsOn > role.endsOn) throw new BadUserInputError("input.startsOn", `the role ended on ${role.endsOn}`);
  if (role.endsOn && (holder.endsOn === null || holder.endsOn > role.endsOn)) throw new BadUserInputError("input.endsOn", `the role ended on ${role.endsOn}; the holder's term ends by then`);
  const others = await tx.find(LiaisonHolder, { roleId: role.id, personId: holder.personId });
  const overlapping = others.find((o) => o.id !== holder.id && o.startsOn <= (holder.endsOn ?? "9999-12-31") && (o.endsOn ?? "9999-12-31") >= holder.startsOn);
  if (overlapping) {
    throw new BadUserInputError("input.personId", `the person already holds the role from ${overlapping.startsOn}${overlapping.endsOn ? ` to ${overlapping.endsOn}` : ""} (${overlapping.id})`);
  }
}

/** The holder with its role locked; BAD_USER_INPUT naming `field` when there is none. */
export async function lockHolder(tx: EntityManager, viewer: Viewer, holderId: string, field: string): Promise<{ holder: LiaisonHolder; role: LiaisonRole }> {
  const found = await tx.findOne(LiaisonHolder, { id: holderId });
  if (!found) throw new BadUserInputError(field, `no liaison holder "${holderId}"`);
  const role = await lockRole(tx, viewer, found.roleId, field);
  const holder = await tx.findOneOrFail(LiaisonHolder, { id: holderId }, { refresh: true });
  return { holder, role };
}

/**
 * The role a holder is added to, locked: by `roleId`, or by municipality and
 * title when exactly one role that has not ended has them (BAD_USER_INPUT
 * naming the field otherwise). The role must not have ended.
 */
export async function lockRoleNamed(tx: EntityManager, viewer: Viewer, input: { roleId?: string | null; municipalityCode?: string | null; title?: string | null }): Promise<LiaisonRole> {
  let roleId = input.roleId;
  if (roleId && (input.municipalityCode || input.title)) throw new BadUserInputError("input.roleId", "give roleId, or municipalityCode and title, not both");
  if (!roleId) {
    if (!input.municipalityCode) throw new BadUserInputError("input.roleId", "give roleId, or municipalityCode and title");
    if (!input.title) throw new BadUserInputError("input.title", "give the role's title with municipalityCode");
    const ids = await activeRolesOfMunicipality(tx, input.municipalityCode, input.title);
    if (ids.length === 0) throw new BadUserInputError("input.title", `no liaison role "${input.title}" of municipality ${input.municipalityCode} that has not ended`);
    if (ids.length > 1) throw new BadUserInputError("input.title", `several roles "${input.title}" of municipality ${input.municipalityCode} (${ids.join(", ")}); give roleId`);
    roleId = ids[0]!;
  }
  const role = await lockRole(tx, viewer, roleId, "input.roleId");
  if (role.endsOn) throw new BadUserInputError("input.roleId", `the role ended on ${role.endsOn}`);
  return role;
}

/** The roles the county has today (Helsinki), i.e. not ended before it; with `history`, all of them, in the same order. */
export function rolesInForce(roles: LiaisonRole[], history: boolean): LiaisonRole[] {
  if (history) return roles;
  const today = helsinkiToday();
  return roles.filter((r) => r.endsOn === null || r.endsOn >= today);
}
