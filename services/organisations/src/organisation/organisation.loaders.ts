import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, groupByKeys, rowsByKey } from "@yhdyspinta/core";
import type { OrganisationCategory } from "../category/category.entity.ts";
import type { Classification } from "../classification.ts";
import type { Municipality } from "../municipality/municipality.entity.ts";
import { resolveOrganisationId } from "./organisation-keys.ts";
import { Organisation, OrganisationSuccessor } from "./organisation.entity.ts";
import { categoriesOfOrganisations, municipalitiesOfOrganisations, organisationsWithMerged } from "./organisation.queries.ts";

/** Merges followed from a merged duplicate to the record that stays (see `organisationById`). */
const MERGE_HOPS = 3;

/** The organisation feature's DataLoaders. */
export function createOrganisationLoaders(em: EntityManager, classification: Classification) {
  /** The ids of the duplicates merged into an organisation (`Organisation.mergedIds`), by id. */
  const mergedIdsBySurvivor = new DataLoader<string, string[]>(async (ids) => {
    const rows = await findRows(em, Organisation, { mergedInto: { $in: [...ids] } }, { id: "asc" });
    return groupByKeys(ids, rows, (o) => o.mergedInto!).map((list) => list.map((o) => o.id));
  });
  return {
    /**
     * An organisation by id (also by an alias id such as Helsinki's
     * municipality key). The same statement reads the duplicates merged into
     * the asked ones and primes `mergedIdsBySurvivor` with them: a view
     * asking `allIds` of a batch of organisations then makes no second one.
     */
    organisationById: new DataLoader<string, Organisation | null>(async (ids) => {
      const resolved = ids.map(resolveOrganisationId);
      const asked = [...new Set(resolved)];
      const rows = await organisationsWithMerged(em, asked);
      const byId = new Map(rows.map((o) => [o.id, o]));
      const merged = groupByKeys(
        asked,
        rows.filter((o) => o.mergedInto !== null),
        (o) => o.mergedInto!,
      );
      asked.forEach((id, i) => {
        if (byId.has(id)) mergedIdsBySurvivor.prime(id, merged[i]!.map((o) => o.id));
      });
      // A merged duplicate resolves to the record that stays: one more statement, only when a merged id
      // was asked. A merge re-points the duplicates merged earlier, so one hop reaches it; a chain left by
      // a hand-edited or older row is followed for up to MERGE_HOPS hops, each hop one statement.
      const tried = new Set<string>();
      for (let hop = 0; hop < MERGE_HOPS; hop++) {
        const missing = new Set<string>();
        for (const id of resolved) {
          let found = byId.get(id);
          for (let step = 0; step < MERGE_HOPS && found?.mergedInto; step++) {
            const next = byId.get(found.mergedInto);
            if (!next) {
              if (!tried.has(found.mergedInto)) missing.add(found.mergedInto);
              break;
            }
            found = next;
          }
        }
        if (missing.size === 0) break;
        for (const id of missing) tried.add(id);
        for (const o of await findRows(em, Organisation, { id: { $in: [...missing] } })) byId.set(o.id, o);
      }
      return resolved.map((id) => {
        let found = byId.get(id) ?? null;
        for (let hop = 0; hop < MERGE_HOPS && found?.mergedInto; hop++) found = byId.get(found.mergedInto) ?? null;
        return found;
      });
    }),

    /** The successors of a wound-up organisation, in the wind-up's order (`Organisation.successors`). */
    successorsByOrganisation: rowsByKey(em, OrganisationSuccessor, "organisationId", { ordinal: "asc", id: "asc" }),

    /** The successions in which an organisation took over tasks (`Organisation.predecessors`). */
    successionsBySuccessor: rowsByKey(em, OrganisationSuccessor, "successorId", { ordinal: "asc", id: "asc" }),

    mergedIdsBySurvivor,

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
