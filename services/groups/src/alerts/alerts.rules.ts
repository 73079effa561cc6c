import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError, helsinkiToday, indexOnce } from "@yhdyspinta/core";
import { type SeatOccupancy, seatOccupancy } from "../dashboard/occupancy.ts";
import type { Membership } from "../membership/membership.entity.ts";
import type { Nominator } from "../nomination/nomination.entity.ts";
import type { GroupSeat } from "../seat/seat.entity.ts";
import { pendingNominatorsOfClosing, roundsClosing, seatHoldersOnDay, seatsOnDay } from "./alerts.queries.ts";
import type { AlertScope, RoundDeadline, SeatVacancy } from "./alerts.types.ts";

/**
 * The rules of the alerts (groupAlerts and the reminder outbox read the same):
 *
 * - the day is `activeOn`, default today in Helsinki; the window runs from it
 *   to `withinDays` days later (default 60, at most 366);
 * - a seat is vacant when a stated member or deputy place is unheld, or when
 *   it states no number of places and nobody holds it; deputy places of a
 *   seat whose deputies are optional when several members are named do not
 *   count once more than one member sits;
 * - a deputy is without a member when it names none or its member does not
 *   sit on the day;
 * - a round is closing when its deadline falls in the window and no
 *   coordinator has closed it; its pending nominators have no nomination that
 *   still stands (withdrawn ones do not count, as in `pendingNominators`);
 * - a membership is ending when it is active on the day and its last day
 *   falls in the window.
 */
export const DEFAULT_WITHIN_DAYS = 60;
export const MAX_WITHIN_DAYS = 366;

/** `yyyy-mm-dd` plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The arguments of an alert query → its scope; bad ones are BAD_USER_INPUT naming the argument. */
export function alertScope(countyCode: string | null | undefined, activeOn: string | null | undefined, withinDays: number | null | undefined): AlertScope & { withinDays: number } {
  if (countyCode !== null && countyCode !== undefined && !/^\d{2}$/.test(countyCode)) {
    throw new BadUserInputError("countyCode", "must be a two-digit county code, e.g. 08");
  }
  const within = withinDays ?? DEFAULT_WITHIN_DAYS;
  if (!Number.isInteger(within) || within < 0 || within > MAX_WITHIN_DAYS) {
    throw new BadUserInputError("withinDays", `must be a whole number of days from 0 to ${MAX_WITHIN_DAYS}`);
  }
  const day = activeOn ?? helsinkiToday();
  return { countyCode: countyCode ?? null, day, until: addDays(day, within), withinDays: within };
}

/** Whether a seat's occupancy on a day leaves a place to fill. */
export function isVacant(seat: GroupSeat, occupancy: SeatOccupancy): boolean {
  if (occupancy.memberPlaces === null ? occupancy.filledMemberPlaces === 0 : (occupancy.vacantMemberPlaces ?? 0) > 0) return true;
  const deputiesOptional = seat.deputiesOptionalWhenSeveralMembers && occupancy.filledMemberPlaces > 1;
  return !deputiesOptional && (occupancy.vacantDeputyPlaces ?? 0) > 0;
}

const seatIdOf = (m: Membership): string | null => m.seatId;
const roundIdOf = (n: Nominator): string => n.roundId;

/** The vacant seats of a scope (two statements). */
export async function vacantSeatsIn(em: EntityManager, scope: AlertScope): Promise<SeatVacancy[]> {
  const [seats, holders] = await Promise.all([seatsOnDay(em, scope), seatHoldersOnDay(em, scope)]);
  const bySeat = indexOnce(holders, seatIdOf);
  return seats
    .map((seat) => ({ seat, occupancy: seatOccupancy(seat, bySeat.get(seat.id) ?? []) }))
    .filter(({ seat, occupancy }) => isVacant(seat, occupancy));
}

/** The rounds closing in a scope's window with their pending nominators (two statements). */
export async function closingRoundsIn(em: EntityManager, scope: AlertScope): Promise<RoundDeadline[]> {
  const [rounds, pending] = await Promise.all([roundsClosing(em, scope), pendingNominatorsOfClosing(em, scope)]);
  const byRound = indexOnce(pending, roundIdOf);
  return rounds.map((round) => ({
    round,
    closesOn: round.closesOn,
    daysLeft: daysBetween(scope.day, round.closesOn),
    pending: byRound.get(round.id) ?? [],
  }));
}
