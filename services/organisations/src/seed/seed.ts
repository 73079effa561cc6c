import type { EntityManager } from "@mikro-orm/postgresql";
import { OrganisationCategory } from "../category/category.entity.ts";
import { County, type CountyKind } from "../county/county.entity.ts";
import { Municipality } from "../municipality/municipality.entity.ts";
import { Organisation, OrganisationMunicipality } from "../organisation/organisation.entity.ts";
import { Person } from "../person/person.entity.ts";
import { normaliseSearch, searchTextOf } from "../search.ts";
import { seedDocuments } from "../document/seed.ts";
import { demoCategories, demoOrganisations, demoPeople } from "./demo-data.ts";
import { countyRows, municipalityRows } from "./reference-data.ts";

/**
 * Loads the reference classification (upsert: the shipped files are the
 * truth for official codes and names) and the demo data (inserted where
 * missing, so coordinators' later changes survive a restart). Idempotent.
 */
export async function seed(em: EntityManager): Promise<void> {
  const counties = countyRows();
  const municipalities = municipalityRows();
  await em.upsertMany(
    County,
    counties.map((r) => ({ ...r, kind: r.kind as CountyKind })),
  );
  await em.upsertMany(Municipality, municipalities, { batchSize: 500 });

  const organisations = demoOrganisations(counties, municipalities);
  await em.upsertMany(
    Organisation,
    organisations.map((o) => ({
      id: o.id,
      name: o.name,
      otherNames: o.otherNames,
      nameNormalised: normaliseSearch(o.name),
      searchText: searchTextOf(o.name, ...o.otherNames),
      kind: o.kind,
      businessId: null,
      parentId: o.parentId,
      countyCode: o.countyCode,
      website: null,
    })),
    { onConflictAction: "ignore", onConflictFields: ["id"], batchSize: 500 },
  );
  await em.upsertMany(
    OrganisationMunicipality,
    organisations.flatMap((o) => o.municipalityCodes.map((municipalityCode) => ({ organisationId: o.id, municipalityCode }))),
    { onConflictAction: "ignore", batchSize: 500 },
  );
  await em.upsertMany(
    OrganisationCategory,
    demoCategories().map((c) => ({ ...c, nameNormalised: normaliseSearch(c.name) })),
    { onConflictAction: "ignore", onConflictFields: ["id"] },
  );
  await em.upsertMany(
    Person,
    demoPeople().map((p) => ({ ...p, nameNormalised: normaliseSearch(p.name) })),
    { onConflictAction: "ignore", onConflictFields: ["id"] },
  );
  await seedDocuments(em);
}
