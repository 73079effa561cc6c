/** Contact fields: never stored in the audit trail, only whether they were set. */
const CONTACT_FIELD = /(^|_)(e?mail|email|phone|mobile|puhelin|sahkoposti)$|(Email|Phone|Mobile)$/i;

/** Marker that replaces a non-empty contact value in recorded values. */
export const MASKED = "***";

export function isContactField(name: string): boolean {
  return CONTACT_FIELD.test(name);
}

/** A JSON-safe copy of recorded values, with contact fields masked. */
export function maskValues(values: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!values) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (isContactField(key)) {
      out[key] = value === null || value === "" ? value : MASKED;
      continue;
    }
    out[key] = toJson(value);
  }
  return out;
}

/** A value as it is stored in the trail's JSON: instants as ISO text, big integers as text. */
export function toJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

/** Names of the fields whose values differ between `before` and `after` (both already masked, so a changed e-mail still shows). */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null, raw: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys]
    .filter((k) => JSON.stringify(toJson(raw.before?.[k] ?? null)) !== JSON.stringify(toJson(raw.after?.[k] ?? null)))
    .sort();
}
