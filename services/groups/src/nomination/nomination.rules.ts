import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, uniqueRuleError, type Viewer, formatHelsinki, helsinkiDate } from "@yhdyspinta/core";
import { countMemberNominations } from "../coordination/coordination.queries.ts";
import type { NominatorInput } from "../round-workflow/round-workflow.inputs.ts";
import { Nomination, NominationRound, NominationStatus, Nominator, NominatorKind } from "./nomination.entity.ts";
import { namedPerNominator } from "./nomination.queries.ts";

/**
 * The rules of nomination rounds and their nominations: the status machine
 * (`NEXT`), a round's window and per-nominator limits, who is asked to
 * nominate, what a submission needs, and when a nomination is appointed.
 * Appointing writes a membership under the membership rules
 * (membership.rules.ts).
 */

/** Which statuses a nomination may move to from each status. */
export const NEXT: Record<NominationStatus, readonly NominationStatus[]> = {
  [NominationStatus.SUBMITTED]: [NominationStatus.ACCEPTED, NominationStatus.REJECTED, NominationStatus.WITHDRAWN],
  [NominationStatus.ACCEPTED]: [NominationStatus.WITHDRAWN],
  [NominationStatus.REJECTED]: [],
  [NominationStatus.WITHDRAWN]: [],
};

/**
 * The reads of a submission's rules, the round and nominator locked. The
 * mutations read (and lock) in the database; a bulk import gives them from
 * what it read and locked for a chunk of rows (and what the chunk's earlier
 * rows submitted or decided).
 */
export interface SubmissionReads {
  /** The round, locked for the submission (`FOR SHARE`), or null. */
  lockedRound(roundId: string): Promise<NominationRound | null>;
  /** The round's nominator the input names, locked (`FOR UPDATE`), or null. */
  lockedNominator(round: NominationRound, input: { municipalityCode?: string | null; categoryId?: string | null }): Promise<Nominator | null>;
  /** The nominator's standing (submitted or accepted) nomination of the person, or null. */
  standing(nominatorId: string, personId: string): Promise<Nomination | null>;
  /** The nominator's nominations that count towards its limit (`countMemberNominations`). */
  memberCount(nominatorId: string): Promise<number>;
}

function databaseReads(tx: EntityManager): SubmissionReads {
  return {
    lockedRound: async (roundId) => await tx.findOne(NominationRound, { id: roundId }, { lockMode: LockMode.PESSIMISTIC_READ }),
    lockedNominator: async (round, input) =>
      await tx.findOne(
        Nominator,
        input.municipalityCode
          ? { roundId: round.id, kind: NominatorKind.MUNICIPALITY, municipalityCode: input.municipalityCode }
          : { roundId: round.id, kind: NominatorKind.ORGANISATION_CATEGORY, categoryId: input.categoryId! },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      ),
    standing: async (nominatorId, personId) => await tx.findOne(Nomination, { nominatorId, personId, status: { $in: [NominationStatus.SUBMITTED, NominationStatus.ACCEPTED] } }),
    memberCount: async (nominatorId) => await countMemberNominations(tx, nominatorId),
  };
}

/**
 * Open on `day`: the window has begun (or its start is not stated), its
 * deadline has not passed, and it was not closed early (`closeNominationRound`)
 * on or before that day in Helsinki.
 */
export function isOpenOn(round: NominationRound, day: string): boolean {
  if (round.closedAt !== null && round.closedAt !== undefined && helsinkiDate(new Date(round.closedAt)) <= day) return false;
  return (round.opensOn === null || round.opensOn <= day) && round.closesOn >= day;
}

/** A round's window is in order and its minimum does not exceed its maximum. */
export function checkWindowAndLimits(round: { opensOn: string | null; closesOn: string; minPerNominator: number | null; maxPerNominator: number | null }): void {
  if (round.opensOn && round.closesOn < round.opensOn) throw new BadUserInputError("input.closesOn", `must not be before opensOn (${round.opensOn})`);
  if (round.minPerNominator !== null && round.maxPerNominator !== null && round.minPerNominator > round.maxPerNominator) {
    throw new BadUserInputError("input.minPerNominator", `must not exceed maxPerNominator (${round.maxPerNominator})`);
  }
}

/** A round's groups exist and belong to its county. */
export function checkRoundGroups(groupIds: readonly string[], groups: readonly { id: string; countyCode: string }[], countyCode: string): void {
  const missing = groupIds.find((g) => !groups.some((x) => x.id === g));
  if (missing) throw new BadUserInputError("input.groupIds", `no cooperation group "${missing}"`);
  const foreign = groups.find((g) => g.countyCode !== countyCode);
  if (foreign) throw new BadUserInputError("input.groupIds", `group ${foreign.id} belongs to county ${foreign.countyCode}, not ${countyCode}`);
}

/** Locks a round for the rest of the transaction (submissions take a share lock on it), checks the county and that it is not closed. */
export async function lockOpenRound(tx: EntityManager, viewer: Viewer, roundId: string, field: string): Promise<NominationRound> {
  const round = await tx.findOne(NominationRound, { id: roundId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!round) throw new BadUserInputError(field, `no nomination round "${roundId}"`);
  assertCanWriteCounty(viewer, round.countyCode);
  if (round.closedAt) throw new BadUserInputError(field, `the round was closed at ${formatHelsinki(round.closedAt)}`);
  return round;
}

/** A new maximum is not below what a nominator already named. */
export async function checkMaxCoversNamed(tx: EntityManager, round: NominationRound, maxPerNominator: number | null): Promise<void> {
  if (maxPerNominator === null || maxPerNominator === round.maxPerNominator) return;
  const named = await namedPerNominator(tx, round.id);
  const most = Math.max(0, ...named.values());
  if (most > maxPerNominator) {
    throw new BadUserInputError("input.maxPerNominator", `a nominator has already named ${most} members; the maximum must be at least ${most}`);
  }
}

/** Nominators of a closed round below its per-nominator minimum, in the round's order. */
export async function shortfallsOf(tx: EntityManager, round: NominationRound): Promise<{ nominator: Nominator; named: number; minimum: number }[]> {
  const minimum = round.minPerNominator;
  if (minimum === null || minimum <= 0) return [];
  const [nominators, named] = await Promise.all([
    tx.find(Nominator, { roundId: round.id }, { orderBy: { ordinal: "asc", id: "asc" } }),
    namedPerNominator(tx, round.id),
  ]);
  return nominators.map((nominator) => ({ nominator, named: named.get(nominator.id) ?? 0, minimum })).filter((s) => s.named < minimum);
}

/**
 * Builds nominator rows for a round: exactly one of municipality and category
 * each, no party asked twice, groups among the round's. Unique indexes on
 * (round, municipality) and (round, category) keep parallel additions apart.
 */
export function nominatorRows(roundId: string, inputs: readonly NominatorInput[], groupIds: readonly string[], existing: readonly Nominator[], field: string) {
  const seen = new Set(existing.map((n) => n.municipalityCode ?? n.categoryId));
  let ordinal = existing.reduce((max, n) => Math.max(max, n.ordinal), 0);
  return inputs.map((input) => {
    if (!input.municipalityCode === !input.categoryId) throw new BadUserInputError(field, "each nominator gives exactly one of municipalityCode and categoryId");
    const party = (input.municipalityCode ?? input.categoryId)!;
    if (seen.has(party)) throw new BadUserInputError(field, `${party} is asked more than once in this round`);
    seen.add(party);
    if (input.groupId && !groupIds.includes(input.groupId)) throw new BadUserInputError(field, `group ${input.groupId} is not one of the round's groups`);
    ordinal += 1;
    return {
      id: randomUUID(),
      roundId,
      kind: input.municipalityCode ? NominatorKind.MUNICIPALITY : NominatorKind.ORGANISATION_CATEGORY,
      municipalityCode: input.municipalityCode ?? null,
      categoryId: input.categoryId ?? null,
      groupId: input.groupId ?? groupIds[0] ?? null,
      ordinal,
    };
  });
}

/** The references nominators name (checked with the owning service). */
export function nominatorReferences(inputs: readonly NominatorInput[], field: string) {
  return [
    { field, type: "Municipality" as const, keys: inputs.map((n) => n.municipalityCode ?? "") },
    { field, type: "OrganisationCategory" as const, keys: inputs.map((n) => n.categoryId ?? "") },
  ];
}

/** A submission names exactly one of municipality and category. */
export function checkSubmissionParty(input: { municipalityCode?: string | null; categoryId?: string | null }): void {
  if (!input.municipalityCode === !input.categoryId) {
    throw new BadUserInputError("input.municipalityCode", "give exactly one of municipalityCode and categoryId");
  }
}

/** Share-locks a round for a submission (edits and closing wait), checks the county and that it is not closed. */
export async function lockRoundForSubmission(tx: EntityManager, viewer: Viewer, roundId: string, reads: SubmissionReads = databaseReads(tx)): Promise<NominationRound> {
  const round = await reads.lockedRound(roundId);
  if (!round) throw new BadUserInputError("input.roundId", `no nomination round "${roundId}"`);
  assertCanWriteCounty(viewer, round.countyCode);
  if (round.closedAt) throw new BadUserInputError("input.roundId", `the round was closed at ${formatHelsinki(round.closedAt)}`);
  return round;
}

/** Locks the nominator the submission names (serialising its submissions); refused when the round does not ask it. */
export async function lockSubmittingNominator(
  tx: EntityManager,
  round: NominationRound,
  input: { municipalityCode?: string | null; categoryId?: string | null },
  reads: SubmissionReads = databaseReads(tx),
): Promise<Nominator> {
  const nominator = await reads.lockedNominator(round, input);
  if (!nominator) {
    const field = input.municipalityCode ? "input.municipalityCode" : "input.categoryId";
    throw new BadUserInputError(field, "is not asked to nominate in this round");
  }
  return nominator;
}

/**
 * A submission with the nominator locked: one standing nomination per person
 * per nominator, within the round's window, within the per-nominator maximum
 * (deputies aside).
 */
export async function checkSubmission(
  tx: EntityManager,
  round: NominationRound,
  nominator: Nominator,
  s: { personId: string; submittedOn: string; asDeputy: boolean; party: string },
  reads: SubmissionReads = databaseReads(tx),
): Promise<void> {
  const standing = await reads.standing(nominator.id, s.personId);
  if (standing) throw uniqueRuleError("nomination_nominator_person_unique", `nomination ${standing.id} (${standing.status.toUpperCase()})`);
  if (s.submittedOn > round.closesOn) throw new BadUserInputError("input.submittedOn", `the round closed on ${round.closesOn}`);
  if (round.opensOn && s.submittedOn < round.opensOn) throw new BadUserInputError("input.submittedOn", `the round opens on ${round.opensOn}`);
  if (!s.asDeputy && round.maxPerNominator !== null) {
    const members = await reads.memberCount(nominator.id);
    if (members >= round.maxPerNominator) {
      throw new BadUserInputError("input.personId", `nominator ${s.party} has already named ${members} of ${round.maxPerNominator} members in this round`);
    }
  }
}

/** A decision follows `NEXT` and leaves an appointed nomination alone (its membership is ended or corrected instead). */
export function checkDecision(nomination: Nomination, status: NominationStatus): void {
  if (!NEXT[nomination.status].includes(status)) {
    throw new BadUserInputError("input.nominationId", `a ${nomination.status.toUpperCase()} nomination cannot become ${status.toUpperCase()}`);
  }
  if (nomination.membershipId) {
    throw new BadUserInputError("input.nominationId", `the nomination was appointed as membership ${nomination.membershipId}: end or correct that membership instead`);
  }
}

/** A nomination names a group to be appointed to. */
export function checkAppointmentGroup(nomination: Nomination | null, nominationId: string): asserts nomination is Nomination & { groupId: string } {
  if (!nomination) throw new BadUserInputError("input.nominationId", `no nomination "${nominationId}"`);
  if (!nomination.groupId) throw new BadUserInputError("input.nominationId", "the nomination names no group to appoint to");
}

/** Only an ACCEPTED nomination is appointed, once. */
export function checkAppointable(nomination: Nomination): void {
  if (nomination.status !== NominationStatus.ACCEPTED) {
    throw new BadUserInputError("input.nominationId", `the nomination is ${nomination.status.toUpperCase()}; only an ACCEPTED nomination is appointed`);
  }
  if (nomination.membershipId) throw new BadUserInputError("input.nominationId", `the nomination was already appointed as membership ${nomination.membershipId}`);
}
