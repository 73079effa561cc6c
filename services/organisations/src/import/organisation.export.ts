import type { EntityManager } from "@mikro-orm/postgresql";
import { findRows } from "@yhdyspinta/core";
import { OrganisationCategory } from "../category/category.entity.ts";
import { Organisation, OrganisationCategoryAssignment, OrganisationMunicipality } from "../organisation/organisation.entity.ts";
import { containsPattern } from "../search.ts";

/**
 * A county's organisations in the import's columns (docs/IMPORT.md), so that
 * an exported file imported again changes nothing and an edited one applies
 * exactly its edits: lists sorted and `;`-separated as the import reads
 * them, the kind as its value. Merged duplicates are left out (they are
 * read under the record that stays). Four statements whatever the size.
 */
export async function exportOrganisations(em: EntityManager, countyCode: string, search: string | null): Promise<Record<string, string>[]> {
  const organisations = await findRows(
    em,
    Organisation,
    { countyCode, mergedInto: null, ...(search ? { nameNormalised: { $like: containsPattern(search) } } : {}) },
    { nameNormalised: "asc", id: "asc" },
  );
  const ids = organisations.map((o) => o.id);
  const [links, assignments, categories] = await Promise.all([
    findRows(em, OrganisationMunicipality, { organisationId: { $in: ids } }),
    findRows(em, OrganisationCategoryAssignment, { organisationId: { $in: ids } }),
    findRows(em, OrganisationCategory, { countyCode }),
  ]);
  const categoryName = new Map(categories.map((c) => [c.id, c.name]));
  const group = <T extends { organisationId: string }>(rows: T[], value: (row: T) => string) => {
    const out = new Map<string, string[]>();
    for (const row of rows) out.set(row.organisationId, [...(out.get(row.organisationId) ?? []), value(row)]);
    return out;
  };
  const municipalities = group(links, (l) => l.municipalityCode);
  const categoriesOf = group(assignments, (a) => categoryName.get(a.categoryId) ?? a.categoryId);
  return organisations.map((o) => ({
    name: o.name,
    kind: o.kind,
    businessId: o.businessId ?? "",
    county: o.countyCode ?? "",
    municipalities: (municipalities.get(o.id) ?? []).sort().join("; "),
    categories: (categoriesOf.get(o.id) ?? []).sort().join("; "),
    otherNames: o.otherNames.join("; "),
    website: o.website ?? "",
  }));
}
