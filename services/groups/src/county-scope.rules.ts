import { assertReferencesInScope, type ReferenceCheck } from "@yhdyspinta/core";
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
