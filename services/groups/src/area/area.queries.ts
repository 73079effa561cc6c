import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * Hand SQL of the area writes. Every function must be given the writing
 * transaction's EntityManager.
 */

/**
 * Serialises the writes of one county's areas until the transaction ends (a
 * transaction-scoped advisory lock keyed by the county): which area a
 * municipality belongs to is decided by one writer at a time, also when the
 * county has no area row yet to lock.
 */
export async function lockCountyAreas(tx: EntityManager, countyCode: string): Promise<void> {
  await tx.execute(`/* lockCountyAreas */ select pg_advisory_xact_lock(hashtext(?))`, [`area:${countyCode}`]);
}

/** Id of an area of the county with this name (letter case aside), other than `exceptId`. */
export async function areaNamed(tx: EntityManager, countyCode: string, name: string, exceptId: string | null): Promise<string | null> {
  const rows = await tx.execute<{ id: string }[]>(
    `/* areaNamed */ select id from area where county_code = ? and lower(name) = lower(?) and (?::text is null or id <> ?::text) limit 1`,
    [countyCode, name, exceptId, exceptId],
  );
  return rows[0]?.id ?? null;
}

/** The other areas of the county that hold any of these municipalities, as `code → area id`. */
export async function municipalitiesInOtherAreas(tx: EntityManager, countyCode: string, codes: readonly string[], exceptAreaId: string | null): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await tx.execute<{ municipality_code: string; area_id: string }[]>(
    `/* municipalitiesInOtherAreas */ select am.municipality_code, am.area_id from area_municipality am join area a on a.id = am.area_id
      where a.county_code = ? and am.municipality_code = any(?::text[]) and (?::text is null or a.id <> ?::text)
      order by am.municipality_code, am.area_id`,
    [countyCode, `{${codes.join(",")}}`, exceptAreaId, exceptAreaId],
  );
  return new Map(rows.map((r) => [r.municipality_code, r.area_id]));
}
