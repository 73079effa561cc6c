import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, uniqueRuleError, type Viewer } from "@yhdyspinta/core";
import { GrantAward, type GrantPrinciple, GrantProgramme } from "./grant.entity.ts";
import type { GrantPrincipleInput } from "./grant.input.ts";

/**
 * The rules of a county's grant programmes: the row lock a change takes
 * (with the county check), a name unique in its county (letter case aside),
 * dates in order, no awards for a year after the programme ended, and a
 * programme with awards stays (it is ended instead).
 */

export async function lockProgramme(tx: EntityManager, viewer: Viewer, id: string, field: string): Promise<GrantProgramme> {
  const programme = await tx.findOne(GrantProgramme, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!programme) throw new BadUserInputError(field, `no grant programme "${id}"`);
  assertCanWriteCounty(viewer, programme.countyCode);
  return programme;
}

/** A programme's name is unique in its county, letter case aside. */
export async function checkProgrammeName(tx: EntityManager, countyCode: string, name: string, exceptId: string | null): Promise<void> {
  const same = (await tx.find(GrantProgramme, { countyCode })).find((p) => p.id !== exceptId && p.name.toLowerCase() === name.toLowerCase());
  if (same) throw uniqueRuleError("grant_programme_county_name_unique", `programme ${same.id} in county ${countyCode}`);
}

/** A programme ends on or after it started, and not before a year it has awards for. */
export async function checkProgrammeDates(tx: EntityManager, programme: GrantProgramme, field: string): Promise<void> {
  if (!programme.endedOn) return;
  if (programme.startedOn && programme.endedOn < programme.startedOn) throw new BadUserInputError(field, `the programme would end (${programme.endedOn}) before it started (${programme.startedOn})`);
  const later = await tx.findOne(GrantAward, { programmeId: programme.id, year: { $gt: Number(programme.endedOn.slice(0, 4)) } });
  if (later) throw new BadUserInputError(field, `grant ${later.id} is for ${later.year}, after the programme's end`);
}

/** No award for a year after the programme ended. */
export function checkAwardYear(programme: GrantProgramme, year: number): void {
  if (programme.endedOn && year > Number(programme.endedOn.slice(0, 4))) {
    throw new BadUserInputError("input.year", `the programme ended on ${programme.endedOn}: no grants for ${year}`);
  }
}

/** A programme with awards is not removed (end it instead). */
export async function checkProgrammeRemovable(tx: EntityManager, programme: GrantProgramme): Promise<void> {
  const awards = await tx.count(GrantAward, { programmeId: programme.id });
  if (awards > 0) throw new BadUserInputError("programmeId", `the programme has ${awards} grant(s): set endedOn instead`);
}

export function grantPrinciples(principles: readonly GrantPrincipleInput[]): GrantPrinciple[] {
  return principles.map((p, i) => ({ number: i + 1, text: p.text, textEn: p.textEn }));
}
