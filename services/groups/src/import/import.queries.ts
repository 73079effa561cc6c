import type { EntityManager } from "@mikro-orm/postgresql";
import type { LockedGroup, OverlapRow } from "../coordination/coordination.queries.ts";

/**
 * Set-based reads of a chunk of import rows (membershipImport.prepare in
 * group.import.ts), inside the import's transaction: the groups named by
 * name in a county, and their row locks taken at once. Pass the
 * transaction's EntityManager.
 */

/** A PostgreSQL text[] literal of the values (a statement parameter is not sent as an array). */
const textArray = (values: readonly string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`;

/** As `activeGroupNamed` for many (county, name) pairs: the id of the group of that county that has not ended with that name (letter case aside), by pair as given. */
export async function activeGroupsNamed(tx: EntityManager, pairs: readonly (readonly [county: string, name: string])[]): Promise<{ id: string; county: string; name: string }[]> {
  if (pairs.length === 0) return [];
  return await tx.execute<{ id: string; county: string; name: string }[]>(
    `/* activeGroupsNamed */ select distinct on (k.county, k.name) g.id, k.county, k.name
      from unnest(?::text[], ?::text[]) as k(county, name)
      join cooperation_group g on g.county_code = k.county and lower(g.name) = lower(k.name) and g.ends_on is null
      order by k.county, k.name, g.id`,
    [textArray(pairs.map((p) => p[0])), textArray(pairs.map((p) => p[1]))],
  );
}

/** As `lockGroup` for many groups at once (in id order): their rows locked for the transaction. */
export async function lockGroups(tx: EntityManager, ids: readonly string[]): Promise<LockedGroup[]> {
  if (ids.length === 0) return [];
  const rows = await tx.execute<{ id: string; county_code: string; name: string; ends_on: string | null }[]>(
    `/* lockGroups */ select id, county_code, name, to_char(ends_on, 'YYYY-MM-DD') as ends_on from cooperation_group where id = any(?::text[]) order by id for update`,
    [textArray(ids)],
  );
  return rows.map((g) => ({ id: g.id, countyCode: g.county_code, name: g.name, endsOn: g.ends_on }));
}

/** As `overlappingMemberships` from a day on (no end) for many groups at once: their memberships (not corrected) not ended before `from`. */
export async function membershipsFrom(tx: EntityManager, groupIds: readonly string[], from: string): Promise<(OverlapRow & { group_id: string })[]> {
  if (groupIds.length === 0) return [];
  return await tx.execute<(OverlapRow & { group_id: string })[]>(
    `/* membershipsFrom */ select id, group_id, person_id, seat_id, role, deputy_of_id from membership
      where group_id = any(?::text[]) and corrected_at is null and (ends_on is null or ends_on >= ?)`,
    [textArray(groupIds), from],
  );
}
