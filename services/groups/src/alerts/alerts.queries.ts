import type { EntityManager } from "@mikro-orm/postgresql";
import { mapRows, readRows } from "@yhdyspinta/core";
import { Membership } from "../membership/membership.entity.ts";
import { NominationRound, Nominator } from "../nomination/nomination.entity.ts";
import { GroupSeat } from "../seat/seat.entity.ts";
import type { AlertScope } from "./alerts.types.ts";

// Every alert list is one or two statements over the county's (or every
// county's) rows, however many groups, seats and rounds there are.

/** A group working on the day `?` (the second `?` the county or null), as SQL on `g`. */
const GROUP_ON_DAY = `(?::text is null or g.county_code = ?::text)
  and (g.starts_on is null or g.starts_on <= ?::date) and (g.ends_on is null or g.ends_on >= ?::date)`;
const groupParams = (s: AlertScope) => [s.countyCode, s.countyCode, s.day, s.day];

/** A membership `alias` held on the day (not corrected, started, not ended). */
const heldOn = (alias: string) =>
  `${alias}.corrected_at is null and (${alias}.starts_on is null or ${alias}.starts_on <= ?::date) and (${alias}.ends_on is null or ${alias}.ends_on >= ?::date)`;

/** seatsOnDay: seats existing on the day in groups working on it, by group name, group, ordinal. */
export async function seatsOnDay(em: EntityManager, s: AlertScope): Promise<GroupSeat[]> {
  const rows: Record<string, unknown>[] = await readRows(em,
    `/* seatsOnDay */
     select s.* from group_seat s join cooperation_group g on g.id = s.group_id
     where ${GROUP_ON_DAY} and (s.ends_on is null or s.ends_on >= ?::date)
     order by g.name, g.id, s.ordinal, s.id`,
    [...groupParams(s), s.day],
  );
  return mapRows(em, GroupSeat, rows);
}

/** seatHoldersOnDay: memberships held on the day in a seat of a group working on it. */
export async function seatHoldersOnDay(em: EntityManager, s: AlertScope): Promise<Membership[]> {
  const rows: Record<string, unknown>[] = await readRows(em,
    `/* seatHoldersOnDay */
     select m.* from membership m join cooperation_group g on g.id = m.group_id
     where ${GROUP_ON_DAY} and m.seat_id is not null and ${heldOn("m")}`,
    [...groupParams(s), s.day, s.day],
  );
  return mapRows(em, Membership, rows);
}

/** deputiesWithoutMember: deputies held on the day whose member is not named or does not sit that day. */
export async function deputiesWithoutMember(em: EntityManager, s: AlertScope): Promise<Membership[]> {
  const rows: Record<string, unknown>[] = await readRows(em,
    `/* deputiesWithoutMember */
     select d.* from membership d join cooperation_group g on g.id = d.group_id
     left join membership m on m.id = d.deputy_of_id and ${heldOn("m")}
     where ${GROUP_ON_DAY} and d.role = 'deputy' and ${heldOn("d")} and m.id is null
     order by g.name, g.id, d.starts_on nulls first, d.id`,
    [s.day, s.day, ...groupParams(s), s.day, s.day],
  );
  return mapRows(em, Membership, rows);
}

/** membershipsEnding: memberships held on the day whose last day falls in the window, soonest first. */
export async function membershipsEnding(em: EntityManager, s: AlertScope): Promise<Membership[]> {
  const rows: Record<string, unknown>[] = await readRows(em,
    `/* membershipsEnding */
     select m.* from membership m join cooperation_group g on g.id = m.group_id
     where ${GROUP_ON_DAY} and ${heldOn("m")} and m.ends_on <= ?::date
     order by m.ends_on, g.name, g.id, m.id`,
    [...groupParams(s), s.day, s.day, s.until],
  );
  return mapRows(em, Membership, rows);
}

/** roundsClosing: rounds not closed by a coordinator whose deadline falls in the window, soonest first. */
export async function roundsClosing(em: EntityManager, s: AlertScope): Promise<NominationRound[]> {
  const rows: Record<string, unknown>[] = await readRows(em,
    `/* roundsClosing */
     select r.* from nomination_round r
     where (?::text is null or r.county_code = ?::text) and r.closed_at is null and r.closes_on between ?::date and ?::date
     order by r.closes_on, r.id`,
    [s.countyCode, s.countyCode, s.day, s.until],
  );
  return mapRows(em, NominationRound, rows);
}

/** pendingNominatorsOfClosing: nominators of those rounds without a nomination that still stands, in the source's order. */
export async function pendingNominatorsOfClosing(em: EntityManager, s: AlertScope): Promise<Nominator[]> {
  const rows: Record<string, unknown>[] = await readRows(em,
    `/* pendingNominatorsOfClosing */
     select n.* from nominator n join nomination_round r on r.id = n.round_id
     where (?::text is null or r.county_code = ?::text) and r.closed_at is null and r.closes_on between ?::date and ?::date
       and not exists (select 1 from nomination x where x.nominator_id = n.id and x.status <> 'withdrawn')
     order by n.round_id, n.ordinal, n.id`,
    [s.countyCode, s.countyCode, s.day, s.until],
  );
  return mapRows(em, Nominator, rows);
}
