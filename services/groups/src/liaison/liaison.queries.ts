import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * Natural keys of cooperation levels and liaison roles (docs/NATURAL-KEYS.md),
 * read inside the writing transaction; each asks what its unique index
 * enforces. Every function must be given the transaction's EntityManager.
 */

/** Id of a level of the county with this name (letter case aside), other than `exceptId`. */
export async function levelNamed(tx: EntityManager, countyCode: string, name: string, exceptId: string | null): Promise<string | null> {
  const rows = await tx.execute<{ id: string }[]>(
    `/* levelNamed */ select id from cooperation_level where county_code = ? and lower(name) = lower(?) and (?::text is null or id <> ?::text) limit 1`,
    [countyCode, name, exceptId, exceptId],
  );
  return rows[0]?.id ?? null;
}

export interface LiaisonRoleKey {
  countyCode: string;
  level: string;
  sector: string | null;
  title: string;
  municipalityCode: string | null;
}

/** Id of a role that has not ended with this title at the same level, sector and municipality, other than `exceptId`. */
export async function activeRoleTitled(tx: EntityManager, key: LiaisonRoleKey, exceptId: string | null): Promise<string | null> {
  const rows = await tx.execute<{ id: string }[]>(
    `/* activeRoleTitled */ select id from liaison_role
      where county_code = ? and level = ? and coalesce(sector, '') = coalesce(?::text, '') and lower(title) = lower(?)
        and coalesce(municipality_code, '') = coalesce(?::text, '') and ends_on is null and (?::text is null or id <> ?::text)
      limit 1`,
    [key.countyCode, key.level, key.sector, key.title, key.municipalityCode, exceptId, exceptId],
  );
  return rows[0]?.id ?? null;
}

/** Ids of the roles that have not ended named for the municipality with this title (letter case aside), at most two. */
export async function activeRolesOfMunicipality(tx: EntityManager, municipalityCode: string, title: string): Promise<string[]> {
  const rows = await tx.execute<{ id: string }[]>(
    `/* activeRolesOfMunicipality */ select id from liaison_role where municipality_code = ? and lower(title) = lower(?) and ends_on is null order by id limit 2`,
    [municipalityCode, title],
  );
  return rows.map((r) => r.id);
}
