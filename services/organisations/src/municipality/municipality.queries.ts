import type { EntityManager } from "@mikro-orm/postgresql";
import { Municipality } from "./municipality.entity.ts";

/**
 * municipalitiesInYear: each municipality code in the classification of
 * `year`, or its last earlier year (a municipality that has since merged).
 */
export async function municipalitiesInYear(em: EntityManager, codes: readonly string[], year: number): Promise<Municipality[]> {
  const rows: Record<string, unknown>[] = await em.getConnection("read").execute(
    `/* municipalitiesInYear */
     select distinct on (code) * from municipality where code in (?) and year <= ? order by code, year desc`,
    [[...codes], year],
  );
  return rows.map((row) => em.map(Municipality, row));
}
