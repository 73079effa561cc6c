import { assertReferencesInCounties, REFERENCE_NO_COUNTY, type ReferencedType, type Viewer } from "@yhdyspinta/core";

/**
 * The county scope of the organisations service's writes, the same rule the
 * other services apply to references they check remotely
 * (`assertReferencesInScope`): besides the county of the record written
 * (`assertCanWriteCounty` on an organisation's county, or a person's
 * organisation's), every reference a write names (an organisation's
 * municipalities and parent) must belong to a county the caller may write,
 * else FORBIDDEN naming the county and the field. An admin may refer to any
 * county, and anyone to a national organisation (of no county). This
 * service reads the counties from its own rows, in the writing transaction.
 */
export function checkOwnReferences(viewer: Viewer, refs: readonly { field: string; type: ReferencedType; key: string; countyCode: string | null }[]): void {
  assertReferencesInCounties(viewer, refs.map((ref) => ({ ...ref, noCounty: REFERENCE_NO_COUNTY[ref.type] ?? "admin" })));
}
