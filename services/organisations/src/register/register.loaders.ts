import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, orderByKeys } from "@yhdyspinta/core";
import { OrganisationRegisterRecord } from "./register-record.entity.ts";

/** Register records of organisations, one statement per batch. */
export function createRegisterLoaders(em: EntityManager) {
  return {
    registerRecordByOrganisation: new DataLoader<string, OrganisationRegisterRecord | null>(async (ids) => {
      const rows = await findRows(em, OrganisationRegisterRecord, { organisationId: { $in: [...ids] } });
      return orderByKeys(ids, rows, (r) => r.organisationId);
    }),
  };
}
