import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, groupByKeys, orderByKeys } from "@yhdyspinta/core";
import { Person } from "./person.entity.ts";

/** The person feature's DataLoaders. */
export function createPersonLoaders(em: EntityManager) {
  return {
    personById: new DataLoader<string, Person | null>(async (ids) => {
      const rows = await findRows(em, Person, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (p) => p.id);
    }),

    /** People who work for an organisation, by name. */
    peopleByOrganisation: new DataLoader<string, Person[]>(async (ids) => {
      const rows = await findRows(em, Person, { organisationId: { $in: [...ids] } }, { nameNormalised: "asc", id: "asc" });
      return groupByKeys(ids, rows, (p) => p.organisationId!);
    }),
  };
}
