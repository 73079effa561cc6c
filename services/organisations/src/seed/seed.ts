import type { EntityManager } from "@mikro-orm/postgresql";
import { County, type CountyKind } from "../county/county.entity.ts";
import { Municipality } from "../municipality/municipality.entity.ts";
import { countyRows, municipalityRows } from "./reference-data.ts";

/**
 * Loads the reference classification (upsert: the shipped files are the
 * truth for official codes and names) and the demo data. Idempotent.
 */
export async function seed(em: EntityManager): Promise<void> {
  await em.upsertMany(
    County,
    countyRows().map((r) => ({ ...r, kind: r.kind as CountyKind })),
  );
  await em.upsertMany(Municipality, municipalityRows(), { batchSize: 500 });
}
