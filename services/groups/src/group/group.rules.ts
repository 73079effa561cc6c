import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, uniqueRuleError, type Viewer } from "@yhdyspinta/core";
import { Area } from "../area/area.entity.ts";
import { lockGroup, type LockedGroup } from "../coordination/coordination.queries.ts";
import { activeGroupNamed } from "../group-workflow/natural-keys.queries.ts";
import { CooperationGroup } from "./group.entity.ts";

/**
 * The rules of a cooperation group as an aggregate: the row lock every write
 * to the group or its parts (memberships, seats, meetings, minutes) takes
 * first, its links, its name and its end. Membership rules are in
 * membership.rules.ts, seat rules in seat.rules.ts; the county scope of
 * references in ../county-scope.rules.ts.
 */

/**
 * Locks the group row for the rest of the transaction and checks the caller
 * may change its county. Every write to a group's memberships, seats,
 * meetings or minutes takes this lock first, so parallel writes of one group
 * come out as sequential ones.
 */
export async function lockGroupFor(tx: EntityManager, viewer: Viewer, groupId: string, field: string): Promise<LockedGroup> {
  const group = await lockGroup(tx, groupId);
  if (!group) throw new BadUserInputError(field, `no cooperation group "${groupId}"`);
  assertCanWriteCounty(viewer, group.countyCode);
  return group;
}

/** Area and parent of the group's county, no parent cycle, dates in order. */
export async function checkGroupLinks(tx: EntityManager, group: CooperationGroup): Promise<void> {
  if (group.areaId) {
    const area = await tx.findOne(Area, { id: group.areaId });
    if (!area) throw new BadUserInputError("input.areaId", `no area "${group.areaId}"`);
    if (area.countyCode !== group.countyCode) throw new BadUserInputError("input.areaId", `area ${area.id} belongs to county ${area.countyCode}, not ${group.countyCode}`);
  }
  const seen = new Set([group.id]);
  for (let parentId = group.parentId; parentId; ) {
    if (seen.has(parentId)) throw new BadUserInputError("input.parentId", "would make the group its own ancestor");
    seen.add(parentId);
    const parent = await tx.findOne(CooperationGroup, { id: parentId });
    if (!parent) throw new BadUserInputError("input.parentId", `no cooperation group "${parentId}"`);
    if (parent.countyCode !== group.countyCode) throw new BadUserInputError("input.parentId", `group ${parent.id} belongs to county ${parent.countyCode}, not ${group.countyCode}`);
    parentId = parent.parentId;
  }
  if (group.startsOn && group.termEndsOn && group.termEndsOn < group.startsOn) throw new BadUserInputError("input.termEndsOn", "must not be before startsOn");
  if (group.startsOn && group.endsOn && group.endsOn < group.startsOn) throw new BadUserInputError("input.startsOn", `must not be after the group's end (${group.endsOn})`);
}

/** A group that has not ended keeps a name no other such group of its county has (docs/NATURAL-KEYS.md). `named` (a bulk import's) replaces the database read. */
export async function checkGroupName(
  tx: EntityManager,
  countyCode: string,
  name: string,
  exceptId: string | null,
  named: (countyCode: string, name: string, exceptId: string | null) => Promise<string | null> = async (c, n, e) => await activeGroupNamed(tx, c, n, e),
): Promise<void> {
  const same = await named(countyCode, name, exceptId);
  if (same) throw uniqueRuleError("cooperation_group_active_name_unique", `group ${same} in county ${countyCode}`);
}

/** A group ends on or after its start, once. */
export function checkGroupEnd(group: { startsOn: string | null; endsOn: string | null }, endsOn: string): void {
  if (group.startsOn && endsOn < group.startsOn) throw new BadUserInputError("input.endsOn", `must not be before the group starts (${group.startsOn})`);
  if (group.endsOn && group.endsOn < endsOn) throw new BadUserInputError("input.endsOn", `the group already ended on ${group.endsOn}`);
}

/** New seats and meetings go to groups that have not ended. */
export function checkGroupNotEnded(group: LockedGroup, field: string): void {
  if (group.endsOn) throw new BadUserInputError(field, `the group ended on ${group.endsOn}`);
}
