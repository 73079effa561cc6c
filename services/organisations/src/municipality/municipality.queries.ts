import type { EntityManager } from "@mikro-orm/postgresql";
import { mapRows, readPrepared, readRows } from "@yhdyspinta/core";
import { Municipality } from "./municipality.entity.ts";

/**
 * municipalitiesInYear: each municipality code in the classification of
 * `year`, or its last earlier year (a municipality that has since merged).
 */
export async function municipalitiesInYear(em: EntityManager, codes: readonly string[], year: number): Promise<Municipality[]> {
  const rows = await readPrepared(
    em,
    `/* municipalitiesInYear */
     select distinct on (code) * from municipality where code = any($1) and year <= $2 order by code, year desc`,
    [[...codes], year],
  );
  return mapRows(em, Municipality, rows);
}

/** classificationYears: the municipality classification years present, ascending. */
export async function classificationYears(em: EntityManager): Promise<number[]> {
  const rows = await readRows<{ year: number }>(em, "/* classificationYears */ select distinct year from municipality order by year");
  return rows.map((r) => Number(r.year));
}
