import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * The natural keys of groups, seats and meetings (docs/NATURAL-KEYS.md), read
 * inside the writing transaction before an insert or rename so that the usual
 * duplicate gets a clear answer. Each query asks exactly what its unique index
 * (migration natural_keys) enforces; the index refuses the duplicates that
 * parallel writes let through. Every function must be given the transaction's
 * EntityManager.
 */

/** Id of a group of the county that has not ended with this name (letter case aside), other than `exceptId`. */
export async function activeGroupNamed(tx: EntityManager, countyCode: string, name: string, exceptId: string | null): Promise<string | null> {
  const rows = await tx.execute<{ id: string }[]>(
    `/* activeGroupNamed */ select id from cooperation_group
      where county_code = ? and lower(name) = lower(?) and ends_on is null and (?::text is null or id <> ?::text)
      limit 1`,
    [countyCode, name, exceptId, exceptId],
  );
  return rows[0]?.id ?? null;
}

export interface SeatKey {
  groupId: string;
  label: string;
  municipalityCode: string | null;
  organisationId: string | null;
  categoryId: string | null;
}

/** Id of a seat of the group that has not ended with this label for the same constituency, other than `exceptId`. */
export async function activeSeatLabelled(tx: EntityManager, seat: SeatKey, exceptId: string | null): Promise<string | null> {
  const rows = await tx.execute<{ id: string }[]>(
    `/* activeSeatLabelled */ select id from group_seat
      where group_id = ? and lower(label) = lower(?) and ends_on is null
        and coalesce(municipality_code, '') = coalesce(?::text, '')
        and coalesce(organisation_id, '') = coalesce(?::text, '')
        and coalesce(category_id, '') = coalesce(?::text, '')
        and (?::text is null or id <> ?::text)
      limit 1`,
    [seat.groupId, seat.label, seat.municipalityCode, seat.organisationId, seat.categoryId, exceptId, exceptId],
  );
  return rows[0]?.id ?? null;
}

/** Id of the group's meeting that starts at this instant. */
export async function meetingStartingAt(tx: EntityManager, groupId: string, startsAt: Date): Promise<string | null> {
  const rows = await tx.execute<{ id: string }[]>(
    `/* meetingStartingAt */ select id from meeting where group_id = ? and starts_at = ? limit 1`,
    [groupId, startsAt],
  );
  return rows[0]?.id ?? null;
}
