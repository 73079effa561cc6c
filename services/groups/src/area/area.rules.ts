import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, auditAlongside, BadUserInputError, uniqueRuleError, type Viewer } from "@yhdyspinta/core";
import { CooperationGroup } from "../group/group.entity.ts";
import { Area, AreaMunicipality } from "./area.entity.ts";
import { areaNamed, lockCountyAreas, municipalitiesInOtherAreas } from "./area.queries.ts";

/**
 * The rules of a county's areas: one writer of a county's areas at a time
 * (`lockAreasOf`), a name unique in the county, each municipality in at most
 * one area of its county (the county itself checked in
 * ../county-scope.rules.ts), and removal only of an area nothing refers to.
 */

/** Takes the county's area lock and checks the caller may write the county. */
export async function lockAreasOf(tx: EntityManager, viewer: Viewer, countyCode: string): Promise<void> {
  assertCanWriteCounty(viewer, countyCode);
  await lockCountyAreas(tx, countyCode);
}

/** The area, with its county's area lock taken; BAD_USER_INPUT naming `field` when there is none. */
export async function lockArea(tx: EntityManager, viewer: Viewer, areaId: string, field: string): Promise<Area> {
  const found = await tx.findOne(Area, { id: areaId });
  if (!found) throw new BadUserInputError(field, `no area "${areaId}"`);
  await lockAreasOf(tx, viewer, found.countyCode);
  return await tx.findOneOrFail(Area, { id: areaId }, { refresh: true });
}

/** An area's name is unique in its county, letter case aside (docs/NATURAL-KEYS.md). */
export async function checkAreaName(tx: EntityManager, countyCode: string, name: string, exceptId: string | null): Promise<void> {
  const same = await areaNamed(tx, countyCode, name, exceptId);
  if (same) throw uniqueRuleError("area_county_name_unique", `area ${same} in county ${countyCode}`);
}

/** No municipality twice in the list, nor in another area of the county. */
export async function checkAreaMunicipalities(tx: EntityManager, countyCode: string, codes: readonly string[], exceptAreaId: string | null): Promise<void> {
  const seen = new Set<string>();
  for (const code of codes) {
    if (seen.has(code)) throw new BadUserInputError("input.municipalityCodes", `municipality ${code} is listed twice`);
    seen.add(code);
  }
  const taken = await municipalitiesInOtherAreas(tx, countyCode, codes, exceptAreaId);
  const [code, areaId] = [...taken][0] ?? [];
  if (code) throw new BadUserInputError("input.municipalityCodes", `municipality ${code} already belongs to area ${areaId} of county ${countyCode}; a municipality is in one area of its county`);
}

/** Replaces the area's municipality list, keeping the given order. */
export async function replaceAreaMunicipalities(tx: EntityManager, areaId: string, codes: readonly string[]): Promise<void> {
  const current = await tx.find(AreaMunicipality, { areaId });
  const order = new Map(codes.map((code, i) => [code, i + 1]));
  for (const link of current) {
    const ordinal = order.get(link.municipalityCode);
    if (ordinal === undefined) tx.remove(link);
    else if (link.ordinal !== ordinal) link.ordinal = ordinal;
    order.delete(link.municipalityCode);
  }
  for (const [municipalityCode, ordinal] of order) tx.create(AreaMunicipality, { areaId, municipalityCode, ordinal });
}

/** An area may be removed (entered by mistake) only while no group names it. */
export async function checkAreaRemovable(tx: EntityManager, area: Area): Promise<void> {
  const group = await tx.findOne(CooperationGroup, { areaId: area.id });
  if (group) throw new BadUserInputError("areaId", `group ${group.id} works in the area; an area a group names is not removed`);
}

/**
 * Audits the area's municipality list as a field of the area
 * (`municipalityCodes`, in the area's order) in the change the transaction's
 * next flush records for it; `before` is empty for a new area. Call before that flush.
 */
export async function auditAreaMunicipalities(tx: EntityManager, area: Area, after: readonly string[], isNew: boolean): Promise<void> {
  const before = isNew ? [] : (await tx.find(AreaMunicipality, { areaId: area.id }, { orderBy: { ordinal: "asc", municipalityCode: "asc" } })).map((l) => l.municipalityCode);
  auditAlongside(tx, area, { before: { municipalityCodes: before }, after: { municipalityCodes: [...after] } });
}
