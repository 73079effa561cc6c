import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError } from "@yhdyspinta/core";
import { County, CountyKind } from "./county.entity.ts";

/**
 * The county a record is written for must be a wellbeing services county (or
 * Helsinki), not Åland: BAD_USER_INPUT naming `field` otherwise. With `lock`,
 * the county's row is locked for the transaction (writes that count or order
 * a county's rows, such as a new category's position, take it first).
 */
export async function checkWellbeingCounty(tx: EntityManager, code: string, field: string, lock = false): Promise<County> {
  const county = await tx.findOne(County, { code }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!county || county.kind === CountyKind.ALAND) throw new BadUserInputError(field, `no wellbeing services county "${code}"`);
  return county;
}
