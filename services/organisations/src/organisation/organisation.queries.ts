import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError, mapRows, uniqueRuleError } from "@yhdyspinta/core";
import { OrganisationCategory } from "../category/category.entity.ts";
import { County, CountyKind } from "../county/county.entity.ts";
import { Municipality } from "../municipality/municipality.entity.ts";
import { containsPattern, normaliseSearch } from "../search.ts";
import { resolveOrganisationId } from "./organisation-keys.ts";
import { Organisation, OrganisationCategoryAssignment } from "./organisation.entity.ts";
import type { OrganisationFilter, UpdateOrganisationInput } from "./organisation.input.ts";

/** One entity of a batch, with the organisation id it was read for. */
export interface Keyed<T> {
  readonly key: string;
  readonly entity: T;
}

/**
 * Splits raw rows that carry the batch key in `_key` into the key and the
 * row mapped to property names: read-only rows like `findRows` gives, not
 * managed entities (hydration and the identity map cost more than the query
 * on a view's thousands of rows).
 */
function keyed<T extends object>(em: EntityManager, entity: new () => T, rows: Record<string, unknown>[]): Keyed<T>[] {
  const entities = mapRows(em, entity, rows.map(({ _key, ...row }) => row));
  return rows.map((row, i) => ({ key: String(row["_key"]), entity: entities[i]! }));
}

/**
 * municipalitiesOfOrganisations: the municipalities each organisation works
 * in, each in the classification of `year` (or its last earlier year), by
 * Finnish name.
 */
export async function municipalitiesOfOrganisations(em: EntityManager, ids: readonly string[], year: number): Promise<Keyed<Municipality>[]> {
  const rows: Record<string, unknown>[] = await em.getConnection("read").execute(
    `/* municipalitiesOfOrganisations */
     select om.organisation_id as "_key", m.*
       from organisation_municipality om
       join lateral (
         select * from municipality m
          where m.code = om.municipality_code and m.year <= ?
          order by m.year desc limit 1
       ) m on true
      where om.organisation_id in (?)
      order by m.name_fi, m.code`,
    [year, [...ids]],
  );
  return keyed(em, Municipality, rows);
}

/** categoriesOfOrganisations: the categories each organisation is classified in, in each county's order. */
export async function categoriesOfOrganisations(em: EntityManager, ids: readonly string[]): Promise<Keyed<OrganisationCategory>[]> {
  const rows: Record<string, unknown>[] = await em.getConnection("read").execute(
    `/* categoriesOfOrganisations */
     select a.organisation_id as "_key", c.*
       from organisation_category_assignment a
       join organisation_category c on c.id = a.category_id
      where a.organisation_id in (?)
      order by c.county_code, c.position`,
    [[...ids]],
  );
  return keyed(em, OrganisationCategory, rows);
}

/**
 * organisationsPage: `limit` organisations matching the filter in the stable
 * order (normalised name, id) after `cursor`, and the count of all that
 * match: one statement for the page and one for the total, whatever the filter.
 */
export async function organisationsPage(
  em: EntityManager,
  filter: OrganisationFilter | null,
  cursor: readonly unknown[] | null,
  limit: number,
): Promise<{ organisations: Organisation[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter?.countyCode) {
    where.push("o.county_code = ?");
    params.push(filter.countyCode);
  }
  if (filter?.municipalityCode) {
    where.push("exists (select 1 from organisation_municipality om where om.organisation_id = o.id and om.municipality_code = ?)");
    params.push(filter.municipalityCode);
  }
  if (filter?.kind) {
    where.push("o.kind = ?");
    params.push(filter.kind);
  }
  if (filter?.categoryId) {
    where.push("exists (select 1 from organisation_category_assignment a where a.organisation_id = o.id and a.category_id = ?)");
    params.push(filter.categoryId);
  }
  if (filter?.category) {
    where.push(
      `exists (select 1 from organisation_category_assignment a join organisation_category c on c.id = a.category_id
                where a.organisation_id = o.id and c.name_normalised = ?${filter.countyCode ? " and c.county_code = ?" : ""})`,
    );
    params.push(normaliseSearch(filter.category));
    if (filter.countyCode) params.push(filter.countyCode);
  }
  if (filter?.parentId) {
    where.push("o.parent_id = ?");
    params.push(filter.parentId);
  }
  if (filter?.search && normaliseSearch(filter.search)) {
    where.push("o.search_text like ?");
    params.push(containsPattern(filter.search));
  }
  const whereSql = where.length ? `where ${where.join(" and ")}` : "";
  const pageWhere = cursor ? `${whereSql ? `${whereSql} and` : "where"} (o.name_normalised, o.id) > (?, ?)` : whereSql;
  const connection = em.getConnection("read");
  const [rows, counted] = await Promise.all([
    connection.execute<Record<string, unknown>[]>(
      `/* organisationsPage */ select o.* from organisation o ${pageWhere} order by o.name_normalised, o.id limit ?`,
      [...params, ...(cursor ?? []), limit],
    ),
    connection.execute<{ count: string }[]>(`/* organisationsPageCount */ select count(*) as count from organisation o ${whereSql}`, params),
  ]);
  return { organisations: rows.map((row) => em.map(Organisation, row)), total: Number(counted[0]?.count ?? 0) };
}


/** Checks the references of a new or changed organisation; throws BAD_USER_INPUT naming the field. */
export async function checkOrganisationReferences(
  em: EntityManager,
  input: UpdateOrganisationInput,
  current: Organisation | null,
  currentYear: number,
): Promise<void> {
  if (input.parentId) {
    input.parentId = resolveOrganisationId(input.parentId);
    const parent = await em.findOne(Organisation, { id: input.parentId });
    if (!parent) throw new BadUserInputError("input.parentId", `no organisation "${input.parentId}"`);
    if (current) {
      // The new parent must not be the organisation itself or one of its units (no cycles).
      const chain: { id: string }[] = await em.getConnection().execute(
        `/* parentChain */ with recursive up(id, parent_id) as (
           select id, parent_id from organisation where id = ?
           union select o.id, o.parent_id from organisation o join up on o.id = up.parent_id
         ) select id from up`,
        [input.parentId],
      );
      if (chain.some((row) => row.id === current.id)) {
        throw new BadUserInputError("input.parentId", "an organisation cannot be its own unit or a unit of its units");
      }
    }
  }
  if (input.countyCode) {
    const county = await em.findOne(County, { code: input.countyCode });
    if (!county || county.kind === CountyKind.ALAND) {
      throw new BadUserInputError("input.countyCode", `no wellbeing services county "${input.countyCode}"`);
    }
  }
  if (input.municipalityCodes?.length) {
    const codes = [...new Set(input.municipalityCodes)];
    const found = await em.find(Municipality, { code: { $in: codes }, year: currentYear });
    const known = new Set(found.map((m) => m.code));
    const missing = codes.filter((c) => !known.has(c));
    if (missing.length) {
      throw new BadUserInputError("input.municipalityCodes", `no municipality in the ${currentYear} classification with code ${missing.join(", ")}`);
    }
  }
  if (input.businessId) {
    const holder = await em.findOne(Organisation, { businessId: input.businessId });
    if (holder && holder.id !== current?.id) {
      throw uniqueRuleError("organisation_business_id_unique", `organisation ${holder.id}`);
    }
  }
  if (current && input.countyCode !== undefined && input.countyCode !== current.countyCode && input.categoryIds === undefined) {
    const held = await em.count(OrganisationCategoryAssignment, { organisationId: current.id });
    if (held > 0) {
      throw new BadUserInputError("input.countyCode", "the organisation has categories of its old county; give `categoryIds` as well");
    }
  }
  if (input.categoryIds?.length) {
    const ids = [...new Set(input.categoryIds)];
    const categories = await em.find(OrganisationCategory, { id: { $in: ids } });
    const known = new Set(categories.map((c) => c.id));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length) throw new BadUserInputError("input.categoryIds", `unknown categories: ${missing.join(", ")}`);
    const countyCode = input.countyCode !== undefined ? input.countyCode : (current?.countyCode ?? null);
    const foreign = categories.filter((c) => c.countyCode !== countyCode);
    if (foreign.length) {
      throw new BadUserInputError(
        "input.categoryIds",
        `categories belong to a county's own classification; ${foreign.map((c) => c.id).join(", ")} is not of county ${countyCode ?? "(none)"}`,
      );
    }
  }
}
