import type { EntityManager } from "@mikro-orm/postgresql";
import { mapRows, readRows } from "@yhdyspinta/core";
import { containsPattern, normaliseSearch } from "../search.ts";
import { Person } from "./person.entity.ts";

/** Which people a page holds. */
export interface PeoplePageQuery {
  readonly search: string | null;
  readonly organisationId: string | null;
  /** `(nameNormalised, id)` of the item after which the page starts. */
  readonly cursor: readonly unknown[] | null;
  /** Rows to read (the page size plus one, to know whether more follow). */
  readonly limit: number;
}

/**
 * peoplePage: a page of people ordered by normalised name and id, with the
 * count of every person matching the same conditions.
 */
export async function peoplePage(em: EntityManager, query: PeoplePageQuery): Promise<{ people: Person[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.search && normaliseSearch(query.search)) {
    where.push("p.name_normalised like ?");
    params.push(containsPattern(query.search));
  }
  if (query.organisationId) {
    where.push("p.organisation_id = ?");
    params.push(query.organisationId);
  }
  const whereSql = where.length ? `where ${where.join(" and ")}` : "";
  const pageWhere = query.cursor ? `${whereSql ? `${whereSql} and` : "where"} (p.name_normalised, p.id) > (?, ?)` : whereSql;
  const [rows, counted] = await Promise.all([
    readRows<Record<string, unknown>>(em,
      `/* peoplePage */ select p.* from person p ${pageWhere} order by p.name_normalised, p.id limit ?`,
      [...params, ...(query.cursor ?? []), query.limit],
    ),
    readRows<{ count: string }>(em, `/* peoplePageCount */ select count(*) as count from person p ${whereSql}`, params),
  ]);
  return { people: mapRows(em, Person, rows), total: Number(counted[0]?.count ?? 0) };
}
