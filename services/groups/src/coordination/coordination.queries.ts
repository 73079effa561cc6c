import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * Row locks and counts the coordination mutations take inside their
 * transaction. A lock is held until commit, so a second writer waits, then
 * counts what the first one committed: parallel writes end as sequential ones.
 * Every function must be given the transaction's EntityManager.
 */

/** Locks a group row (serialises membership writes of one group); false when there is no such group. */
export async function lockGroup(tx: EntityManager, groupId: string): Promise<LockedGroup | null> {
  const rows = await tx.execute<{ county_code: string; name: string; ends_on: string | null }[]>(
    `/* lockGroup */ select county_code, name, to_char(ends_on, 'YYYY-MM-DD') as ends_on from cooperation_group where id = ? for update`,
    [groupId],
  );
  const row = rows[0];
  return row ? { id: groupId, countyCode: row.county_code, name: row.name, endsOn: row.ends_on } : null;
}

export interface LockedGroup {
  id: string;
  countyCode: string;
  name: string;
  /** Last day of the group's work; null while it continues. */
  endsOn: string | null;
}

/** Memberships of a group that overlap [startsOn, endsOn] (null end = open) and are not corrections. */
export interface OverlapRow {
  id: string;
  person_id: string;
  seat_id: string | null;
  role: string;
  deputy_of_id: string | null;
}

export async function overlappingMemberships(
  tx: EntityManager,
  groupId: string,
  startsOn: string,
  endsOn: string | null,
  excludeId: string | null = null,
): Promise<OverlapRow[]> {
  return await tx.execute<OverlapRow[]>(
    `/* overlappingMemberships */ select id, person_id, seat_id, role, deputy_of_id from membership
      where group_id = ?
        and corrected_at is null
        and (ends_on is null or ends_on >= ?)
        and (starts_on is null or ?::date is null or starts_on <= ?::date)
        and (?::text is null or id <> ?::text)`,
    [groupId, startsOn, endsOn, endsOn, excludeId, excludeId],
  );
}

/** Nominations of one nominator that count towards its limit (members, not withdrawn or rejected). */
export async function countMemberNominations(tx: EntityManager, nominatorId: string): Promise<number> {
  const rows = await tx.execute<{ n: string }[]>(
    `/* countMemberNominations */ select count(*) as n from nomination where nominator_id = ? and as_deputy = false and status in ('submitted', 'accepted')`,
    [nominatorId],
  );
  return Number(rows[0]?.n ?? 0);
}
