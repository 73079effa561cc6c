import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * Serialises the writes of one county's themes (their positions are counted
 * from the county's list) until the transaction ends: a transaction-scoped
 * advisory lock, since a county with no theme yet has no row to lock.
 */
export async function lockCountyThemes(tx: EntityManager, countyCode: string): Promise<void> {
  await tx.execute(/* lockCountyThemes */ `select pg_advisory_xact_lock(hashtext(?))`, [`theme:${countyCode}`], "run");
}
