import type { EntityManager } from "@mikro-orm/postgresql";
import { recordChange } from "@yhdyspinta/core";

/**
 * An organisation's lists kept in link tables (written with SQL, which the
 * ORM's audit cannot see), by the name of the input field that sets them.
 */
export interface OrganisationLinks {
  municipalityCodes?: string[];
  categoryIds?: string[];
}

const LINK_QUERIES: Record<keyof OrganisationLinks, string> = {
  municipalityCodes: `select municipality_code as value from organisation_municipality where organisation_id = ? order by 1`,
  categoryIds: `select category_id as value from organisation_category_assignment where organisation_id = ? order by 1`,
};

/** The lists `input` replaces, as they are now (sorted): only those the input gives. */
export async function readLinks(em: EntityManager, id: string, input: { [K in keyof OrganisationLinks]?: string[] | null }): Promise<OrganisationLinks> {
  const links: OrganisationLinks = {};
  for (const key of Object.keys(LINK_QUERIES) as (keyof OrganisationLinks)[]) {
    if (input[key] === undefined) continue;
    const rows = await em.getConnection().execute<{ value: string }[]>(LINK_QUERIES[key], [id], "all", em.getTransactionContext());
    links[key] = rows.map((r) => r.value);
  }
  return links;
}

/** The lists `input` sets, as `readLinks` reads them afterwards (duplicates dropped, sorted). */
export function linksOf(input: { [K in keyof OrganisationLinks]?: string[] | null }): OrganisationLinks {
  const links: OrganisationLinks = {};
  for (const key of Object.keys(LINK_QUERIES) as (keyof OrganisationLinks)[]) {
    if (input[key] !== undefined) links[key] = [...new Set(input[key] ?? [])].sort();
  }
  return links;
}

interface RecordRow {
  id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changed_fields: string[];
}

/**
 * Audits the link lists a write replaced, like the organisation's other
 * fields: added to the change the same transaction recorded for the
 * organisation (its CREATE, or the UPDATE of its own fields), or else recorded
 * as an UPDATE of their own. `before` is null for a created organisation.
 * Nothing is recorded when the lists stay the same.
 */
export async function auditLinks(em: EntityManager, id: string, before: OrganisationLinks | null, after: OrganisationLinks): Promise<void> {
  const keys = Object.keys(after) as (keyof OrganisationLinks)[];
  const changed = keys.filter((k) => JSON.stringify(before?.[k] ?? []) !== JSON.stringify(after[k] ?? []));
  if (changed.length === 0) return;
  const connection = em.getConnection();
  const context = em.getTransactionContext();
  // The change row this transaction wrote for the organisation (xmin: the inserting transaction's id).
  const [own] = await connection.execute<RecordRow[]>(
    `select id, before, after, changed_fields from change_record
     where entity_type = 'Organisation' and entity_id = ? and xmin::text::bigint = txid_current() % 4294967296
     order by changed_at desc, id desc limit 1`,
    [id],
    "all",
    context,
  );
  if (!own) {
    const pick = (links: OrganisationLinks | null) => Object.fromEntries(changed.map((k) => [k, links?.[k] ?? []]));
    await recordChange(em, { entityType: "Organisation", entityId: id, operation: "UPDATE", before: pick(before), after: pick(after) });
    return;
  }
  const beforeValues = own.before === null ? null : { ...own.before, ...Object.fromEntries(keys.map((k) => [k, before?.[k] ?? []])) };
  const afterValues = { ...(own.after ?? {}), ...after };
  const fields = [...new Set([...(own.changed_fields ?? []), ...changed])].sort();
  await connection.execute(
    `update change_record set before = ?::jsonb, after = ?::jsonb, changed_fields = ?::jsonb where id = ?`,
    [beforeValues === null ? null : JSON.stringify(beforeValues), JSON.stringify(afterValues), JSON.stringify(fields), own.id],
    "run",
    context,
  );
}
