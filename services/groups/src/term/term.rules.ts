import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError } from "@yhdyspinta/core";
import type { LockedGroup } from "../coordination/coordination.queries.ts";
import { addDays, GroupTerm, Term, TermKind } from "./term.entity.ts";
import { lockTermBody } from "./term.queries.ts";

/**
 * The rules of terms and of a group's renewal (docs/API.md "Terms and
 * renewal"), run inside the writing transaction with the group row locked
 * (`lockGroupFor`), so 20 parallel renewals of one group start one next term:
 *
 * - a term ends on or after it starts; terms of one body do not overlap; a
 *   half term lies within its council term; council terms are reference data;
 * - a renewal names a known term open to the group, of a group that has not
 *   ended, starting after the group's latest term ends;
 * - a carry-over's stated last day lies within the next term;
 * - a composition is appointed once.
 */

/** A term's days are in order (checked before anything is read). */
export function checkTermDates(startsOn: string, endsOn: string | null | undefined, field = "input.endsOn"): void {
  if (endsOn && endsOn < startsOn) throw new BadUserInputError(field, `must not be before startsOn (${startsOn})`);
}

/** Only half terms and a group's own periods are written; council terms are reference data. */
export function checkCreatableKind(kind: TermKind): void {
  if (kind !== TermKind.HALF_TERM && kind !== TermKind.CUSTOM) {
    throw new BadUserInputError("input.kind", "council terms are reference data: create a HALF_TERM or CUSTOM term");
  }
}

const overlaps = (a: { startsOn: string; endsOn: string | null }, b: { startsOn: string; endsOn: string | null }): boolean =>
  (a.endsOn === null || a.endsOn >= b.startsOn) && (b.endsOn === null || b.endsOn >= a.startsOn);

/**
 * A group's own term: no other term of the group's body overlaps it (under
 * the body's lock) and a half term lies within its council term.
 */
export async function checkGroupOwnTerm(
  tx: EntityManager,
  term: { groupId: string; kind: TermKind; startsOn: string; endsOn: string | null; parentId: string | null },
): Promise<void> {
  await lockTermBody(tx, `group:${term.groupId}`);
  if (term.kind === TermKind.HALF_TERM) {
    if (!term.parentId) throw new BadUserInputError("input.parentId", "a HALF_TERM names the council term it is half of");
    const parent = await tx.findOne(Term, { id: term.parentId });
    if (!parent) throw new BadUserInputError("input.parentId", `no term "${term.parentId}"`);
    if (term.startsOn < parent.startsOn || (parent.endsOn !== null && (term.endsOn === null || term.endsOn > parent.endsOn))) {
      throw new BadUserInputError("input.parentId", `a half term lies within ${parent.label} (${parent.startsOn}–${parent.endsOn ?? ""})`);
    }
  } else if (term.parentId) {
    throw new BadUserInputError("input.parentId", "only a HALF_TERM names a parent term");
  }
  const others = await tx.find(Term, { groupId: term.groupId });
  const clash = others.find((o) => overlaps(o, term));
  if (clash) throw new BadUserInputError("input.startsOn", `overlaps the group's term ${clash.label} (${clash.startsOn}–${clash.endsOn ?? ""})`);
}

/** The plan of a renewal once its rules hold. */
export interface RenewalPlan {
  term: Term;
  previous: GroupTerm | null;
  /** Last day of the previous composition (set on an open-ended previous term). */
  previousEndsOn: string | null;
  startsOn: string;
  endsOn: string | null;
}

/**
 * Checks a renewal of a locked group into `termId`: the group has not ended,
 * the term is known and open to the group, and the next composition starts
 * after the latest one ends (so a second renewal into the same or an
 * overlapping term is refused) and within the term.
 */
export async function planRenewal(
  tx: EntityManager,
  group: LockedGroup,
  input: { termId: string; startsOn?: string | null; carryOverEndsOn?: string | null },
): Promise<RenewalPlan> {
  if (group.endsOn) throw new BadUserInputError("input.groupId", `the group ended on ${group.endsOn}: an ended group is not renewed`);
  const term = await tx.findOne(Term, { id: input.termId });
  if (!term) throw new BadUserInputError("input.termId", `no term "${input.termId}"`);
  if (term.groupId !== null && term.groupId !== group.id) throw new BadUserInputError("input.termId", `term ${term.id} is another group's own period`);
  const terms = await tx.find(GroupTerm, { groupId: group.id }, { orderBy: { startsOn: "desc", id: "asc" } });
  const previous = terms[0] ?? null;
  if (terms.some((t) => t.termId === term.id)) {
    throw new BadUserInputError("input.termId", `the group already has a composition for ${term.label}: the renewal was started`);
  }
  if (previous?.endsOn && term.endsOn !== null && previous.endsOn >= term.endsOn) {
    throw new BadUserInputError("input.termId", `${term.label} ends by ${term.endsOn}, within the group's term from ${previous.startsOn} to ${previous.endsOn}`);
  }
  const startsOn = input.startsOn ?? (previous?.endsOn && previous.endsOn >= term.startsOn ? addDays(previous.endsOn, 1) : term.startsOn);
  if (startsOn < term.startsOn || (term.endsOn !== null && startsOn > term.endsOn)) {
    throw new BadUserInputError("input.startsOn", `must lie within ${term.label} (${term.startsOn}–${term.endsOn ?? ""})`);
  }
  let previousEndsOn: string | null = null;
  if (previous) {
    const previousEnd = previous.endsOn ?? addDays(startsOn, -1);
    if (startsOn <= previousEnd || startsOn <= previous.startsOn) {
      throw new BadUserInputError("input.termId", `${term.label} from ${startsOn} overlaps the group's term from ${previous.startsOn} to ${previousEnd}`);
    }
    previousEndsOn = previousEnd;
  }
  if (input.carryOverEndsOn != null) {
    if (!previous) throw new BadUserInputError("input.carryOverEndsOn", "the group has no earlier term whose members could be carried over");
    if (input.carryOverEndsOn < startsOn || (term.endsOn !== null && input.carryOverEndsOn > term.endsOn)) {
      throw new BadUserInputError("input.carryOverEndsOn", `must lie within the next term (from ${startsOn})`);
    }
  }
  return { term, previous, previousEndsOn, startsOn, endsOn: term.endsOn };
}

/** A composition is appointed once, and only one that renews an earlier term. */
export function checkAppointable(groupTerm: GroupTerm): void {
  if (groupTerm.appointedOn) throw new BadUserInputError("input.groupTermId", `the composition was already appointed on ${groupTerm.appointedOn}`);
  if (!groupTerm.previousId) throw new BadUserInputError("input.groupTermId", "the group's first recorded term renews nothing");
}

/** `councilTerm` text for a term, as the groups' deprecated field spells it, e.g. `2025–2029`. */
export function councilTermText(term: { startsOn: string; endsOn: string | null }): string {
  return `${term.startsOn.slice(0, 4)}–${term.endsOn ? term.endsOn.slice(0, 4) : ""}`;
}
