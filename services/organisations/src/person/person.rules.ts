import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError } from "@yhdyspinta/core";
import { Organisation } from "../organisation/organisation.entity.ts";

/**
 * The rules of a person record: whose county's data it is (that of the
 * organisation the person works for), which decides who may write it.
 */

/**
 * The county a person's data belongs to: that of the organisation they work
 * for (null: no organisation or one of no county, which only an admin changes).
 */
export async function countyOfOrganisation(
  tx: EntityManager,
  organisationId: string | null,
  field: string,
  read: (id: string) => Promise<Organisation | null> = async (id) => await tx.findOne(Organisation, { id }),
): Promise<string | null> {
  if (!organisationId) return null;
  const organisation = await read(organisationId);
  if (!organisation) throw new BadUserInputError(field, `no organisation "${organisationId}"`);
  return organisation.countyCode;
}
