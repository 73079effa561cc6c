import { assertReferencesInCounties, assertReferencesInScope, BadUserInputError, canWriteCounty, type ReferenceCheck } from "@yhdyspinta/core";
import type { Context } from "./context.ts";

/**
 * The county scope of the groups service's writes: every write checks the
 * county of the record it changes (`assertCanWriteCounty` on the group's or
 * round's county, in group.rules.ts and nomination.rules.ts) and, here, every
 * reference it names to another service's record: the municipalities a
 * group covers, a seat's municipality, category and organisation, a
 * nominator's municipality or category, the organisation a member, nominee
 * or attendee represents. A reference must exist (BAD_USER_INPUT naming the
 * field) and belong to a county the caller may write (FORBIDDEN naming the
 * county and the field); an admin may refer to any county, and anyone to a
 * national organisation (of no county). Counties come from the owning
 * service (the organisations subgraph) in the same request that checks the
 * keys exist. A group that really spans counties is an admin's to record.
 *
 * Areas and parent groups are this service's own rows: they must be of the
 * group's own county (group.rules.ts `checkGroupLinks`, BAD_USER_INPUT).
 */
export async function checkReferences({ references, viewer }: Pick<Context, "references" | "viewer">, checks: readonly ReferenceCheck[]): Promise<void> {
  await assertReferencesInScope(references, viewer, checks);
}

/**
 * The municipalities a record of a county names (an area's, a liaison
 * role's, a group's) exist, lie in a county the caller may write (FORBIDDEN
 * as `checkReferences`), and belong to the record's own county, else
 * BAD_USER_INPUT naming the field and the municipality. `crossCounty`
 * "admin" lets an admin record a group that really spans counties; areas and
 * liaison roles never span counties.
 */
export async function checkMunicipalitiesOfCounty(
  { references, viewer }: Pick<Context, "references" | "viewer">,
  field: string,
  codes: readonly string[],
  countyCode: string,
  crossCounty: "admin" | "never" = "never",
): Promise<void> {
  if (codes.length === 0) return;
  const counties = (await references.assertExist([{ field, type: "Municipality", keys: codes, withCounty: true }])) ?? new Map<string, string | null>();
  assertReferencesInCounties(viewer, codes.map((key) => ({ field, type: "Municipality", key, countyCode: counties.get(`Municipality:${key}`), noCounty: "admin" as const })));
  if (crossCounty === "admin" && canWriteCounty(viewer, null)) return;
  for (const code of codes) {
    const county = counties.get(`Municipality:${code}`);
    if (county === undefined || county === countyCode) continue;
    throw new BadUserInputError(field, `municipality ${code} belongs to ${county === null ? "no county" : `county ${county}`}, not ${countyCode}`);
  }
}
