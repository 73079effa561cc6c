import { assertReferencesInScope, type ReferenceCheck } from "@yhdyspinta/core";
import type { Context } from "./context.ts";

/**
 * The county scope of the planning service's writes: besides the county of
 * the record written (a measure's, a grant programme's), every reference a
 * write names to another service's record (a measure's responsible
 * organisations and groups, a grant's organisation) must exist
 * (BAD_USER_INPUT naming the field) and belong to a county the caller may
 * write (FORBIDDEN naming the county and the field). An admin may refer to
 * any county, and anyone to a national organisation (of no county).
 */
export async function checkReferences({ references, viewer }: Pick<Context, "references" | "viewer">, checks: readonly ReferenceCheck[]): Promise<void> {
  await assertReferencesInScope(references, viewer, checks);
}
