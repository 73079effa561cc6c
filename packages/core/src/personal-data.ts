import type { EntityManager } from "@mikro-orm/postgresql";
import { ViewerRole, type Viewer } from "./auth.ts";
import { MASKED } from "./audit/masking.ts";
import { ForbiddenError } from "./errors.ts";

/**
 * Personal data over its life (docs/PERSONAL-DATA.md): who answers a
 * data-subject request, what each subgraph holds about a person (the access
 * export), and how identifying values leave the audit trail when a person is
 * anonymised (retention or erasure). The person record lives in the
 * organisations subgraph; memberships, nominations and attendance in groups
 * refer to it by id only, so anonymising the person record and its audit
 * trail removes every identifying value while the role history stays; a
 * value typed into another subgraph's free text is scrubbed there
 * (personal-data-scrub.ts).
 */

/** What an anonymised value reads as, in the record and in the audit trail. */
export const ANONYMISED = "(anonymised)";

/**
 * Refuses a data-subject request (access export, erasure) about a person of
 * `countyCode` unless the caller is an admin, or a data protection officer
 * (`data_protection` role) of that county: FORBIDDEN naming the county. A
 * person of no county is the admin's.
 */
export function assertCanHandleDataSubject(viewer: Viewer, countyCode: string | null): void {
  if (viewer.subject && viewer.role === ViewerRole.Admin) return;
  if (viewer.subject && viewer.role === ViewerRole.DataProtection && countyCode !== null && viewer.counties.has(countyCode)) return;
  const who = viewer.role ? `role ${viewer.role}${viewer.role === ViewerRole.Admin ? "" : ` of counties [${[...viewer.counties].join(", ")}]`}` : "a caller without a role";
  const what = countyCode === null ? "a person of no county (admin only)" : `a person of county ${countyCode}`;
  const error = new ForbiddenError(`Not authorised to handle a data-subject request about ${what}: only an admin, or the data protection officer (role data_protection) of its county, does (${who})`);
  error.extensions["county"] = countyCode;
  throw error;
}

/** Refuses a data-subject read unless the caller is an admin or a data protection officer (the county is checked where the person is). */
export function assertDataSubjectRole(viewer: Viewer): void {
  if (viewer.subject && (viewer.role === ViewerRole.Admin || viewer.role === ViewerRole.DataProtection)) return;
  throw new ForbiddenError(`Not authorised to read what is held about a person: only an admin or a data protection officer does (${viewer.role ? `role ${viewer.role}` : "a caller without a role"})`);
}

/** `day` (YYYY-MM-DD) plus `months` calendar months, the day clamped to the month's last. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/** The tables of a subgraph's own entities (and its audit trail), in name order. */
export function ownTables(em: EntityManager): string[] {
  const tables = new Set<string>();
  for (const meta of em.getMetadata().getAll().values()) {
    if (meta.tableName && !meta.embeddable && !meta.virtual) tables.add(meta.tableName);
  }
  tables.add("change_record");
  return [...tables].sort();
}

/** Values too short to search or scrub safely as substrings (e.g. initials): values of fewer than 3 characters are left alone. */
const MIN_VALUE_LENGTH = 3;

/** What a search for a person's rows looks for in JSON text: their id as a whole JSON value, and each of `values` long enough, JSON-escaped. */
export function personNeedles(personId: string, values: readonly string[]): string[] {
  return [JSON.stringify(personId), ...values.filter((v) => v.length >= MIN_VALUE_LENGTH).map((v) => JSON.stringify(v).slice(1, -1))];
}

/**
 * Every row of the subgraph's own tables that holds the person's id (as a
 * whole value, in any column, JSON included) or one of `values` (e.g. their
 * e-mail), by table; tables with none are left out. A full search of each
 * table: data-subject requests are rare and must miss nothing.
 */
export async function rowsAbout(em: EntityManager, personId: string, values: readonly string[] = []): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  const needles = personNeedles(personId, values);
  for (const table of ownTables(em)) {
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) continue;
    const rows = await em.getConnection().execute<{ row: Record<string, unknown> }[]>(
      `/* rowsAbout */ select to_jsonb(t) as row from "${table}" t where ${needles.map(() => "position(? in to_jsonb(t)::text) > 0").join(" or ")}`,
      needles,
    );
    if (rows.length > 0) out[table] = rows.map((r) => r.row).sort((a, b) => String(a["id"] ?? JSON.stringify(a)).localeCompare(String(b["id"] ?? JSON.stringify(b))));
  }
  return out;
}

/** `value` with every string equal to or containing one of `values` replaced by ANONYMISED (JSON walked through). */
export function scrubValues(value: unknown, values: readonly string[]): unknown {
  if (typeof value === "string") return values.some((v) => v.length > 0 && value.includes(v)) ? ANONYMISED : value;
  if (Array.isArray(value)) return value.map((v) => scrubValues(v, values));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValues(v, values)]));
  return value;
}

/** The distinct strings worth scrubbing among `values`: trimmed length at least 3, not a marker of a masked or anonymised value. */
export function scrubbableValues(values: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    if (typeof v !== "string" || v.trim().length < MIN_VALUE_LENGTH || v === ANONYMISED || v === MASKED) continue;
    out.add(v);
  }
  return [...out];
}

/**
 * Every value the record (`entityType`, `entityId`) ever had in `fields`, as
 * its own recorded changes hold them (`before` and `after` of each): a former
 * name after a rename, say. Contact fields are masked (`***`) when recorded,
 * so their former values are not there and not returned. One statement; run
 * it before the trail is scrubbed, in the same transaction.
 */
export async function recordedValues(em: EntityManager, entity: { type: string; id: string }, fields: readonly string[]): Promise<string[]> {
  if (fields.length === 0) return [];
  const rows = await em.getConnection().execute<{ value: string }[]>(
    `/* recordedValues */ select distinct v.value from change_record c
       cross join lateral (select jsonb_array_elements_text(?::jsonb) as field) f
       cross join lateral (select c.before ->> f.field as value union all select c.after ->> f.field) v
     where c.entity_type = ? and c.entity_id = ? and v.value is not null`,
    [JSON.stringify(fields), entity.type, entity.id],
    "all",
    em.getTransactionContext(),
  );
  return scrubbableValues(rows.map((r) => r.value)).sort();
}

/**
 * Replaces the identifying values of a person in the subgraph's audit trail:
 * in every change of the person's record (`entityType`, `personId`) the
 * values of `fields` that were set, and anywhere in any change a string
 * holding one of `values` (give every value the person ever had: their
 * current ones and `recordedValues`). The changes stay (who changed what,
 * when); run in the transaction that anonymises the record. Two statements
 * however many values and changes: one reads the changes concerned under a
 * lock, one writes back those altered. Returns how many changes it altered.
 */
export async function anonymiseAuditTrail(em: EntityManager, entity: { type: string; id: string }, fields: readonly string[], values: readonly string[]): Promise<number> {
  const scrub = values.filter((v) => v.length > 0);
  const needles = scrub.map((v) => JSON.stringify(v).slice(1, -1));
  const rows = await em.getConnection().execute<{ id: string; entity_type: string; entity_id: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }[]>(
    `/* anonymiseAuditTrail */ select id, entity_type, entity_id, before, after from change_record c
     where (c.entity_type = ? and c.entity_id = ?)
        or exists (select 1 from jsonb_array_elements_text(?::jsonb) n(needle) where position(n.needle in coalesce(c.before::text, '') || coalesce(c.after::text, '')) > 0)
     for update`,
    [entity.type, entity.id, JSON.stringify(needles)],
    "all",
    em.getTransactionContext(),
  );
  const altered: { id: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }[] = [];
  for (const row of rows) {
    const mine = row.entity_type === entity.type && row.entity_id === entity.id;
    const clean = (recorded: Record<string, unknown> | null) => {
      if (!recorded) return recorded;
      const out = scrubValues(recorded, scrub) as Record<string, unknown>;
      if (mine) for (const f of fields) if (out[f] !== undefined && out[f] !== null && out[f] !== "") out[f] = ANONYMISED;
      return out;
    };
    const before = clean(row.before);
    const after = clean(row.after);
    if (JSON.stringify(before) === JSON.stringify(row.before) && JSON.stringify(after) === JSON.stringify(row.after)) continue;
    altered.push({ id: row.id, before, after });
  }
  if (altered.length > 0) {
    await em.getConnection().execute(
      `/* anonymiseAuditTrail */ update change_record c set before = v.before, after = v.after
       from jsonb_to_recordset(?::jsonb) as v(id text, before jsonb, after jsonb) where c.id = v.id`,
      [JSON.stringify(altered)],
      "run",
      em.getTransactionContext(),
    );
  }
  return altered.length;
}
