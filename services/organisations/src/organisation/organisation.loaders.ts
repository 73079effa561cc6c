import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, groupByKeys } from "@yhdyspinta/core";
import type { OrganisationCategory } from "../category/category.entity.ts";
import type { Classification } from "../classification.ts";
import type { Municipality } from "../municipality/municipality.entity.ts";
import { resolveOrganisationId } from "./organisation-keys.ts";
import { Organisation } from "./organisation.entity.ts";
import { categoriesOfOrganisations, municipalitiesOfOrganisations } from "./organisation.queries.ts";

/** The organisation feature's DataLoaders. */
export function createOrganisationLoaders(em: EntityManager, classification: Classification) {
  return {
    /** An organisation by id (also by an alias id such as Helsinki's municipality key). */
    organisationById: new DataLoader<string, Organisation | null>(async (ids) => {
      const resolved = ids.map(resolveOrganisationId);
      const rows = await findRows(em, Organisation, { id: { $in: [...new Set(resolved)] } });
      const byId = new Map(rows.map((o) => [o.id, o]));
      return resolved.map((id) => byId.get(id) ?? null);
    }),

    /** An organisation's units (organisations whose parent it is), by name. */
    unitsByParent: new DataLoader<string, Organisation[]>(async (ids) => {
      const rows = await findRows(em, Organisation, { parentId: { $in: [...ids] } }, { nameNormalised: "asc", id: "asc" });
      return groupByKeys(ids, rows, (o) => o.parentId!);
    }),

    /** The municipalities an organisation works in, each in the current classification (or its last year). */
    municipalitiesByOrganisation: new DataLoader<string, Municipality[]>(async (ids) => {
      const pairs = await municipalitiesOfOrganisations(em, ids, classification.currentYear);
      return groupByKeys(ids, pairs, (p) => p.key).map((list) => list.map((p) => p.entity));
    }),

    /** The categories an organisation is classified in, in each county's order. */
    categoriesByOrganisation: new DataLoader<string, OrganisationCategory[]>(async (ids) => {
      const pairs = await categoriesOfOrganisations(em, ids);
      return groupByKeys(ids, pairs, (p) => p.key).map((list) => list.map((p) => p.entity));
    }),
  };
}
