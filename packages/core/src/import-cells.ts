import { refuse, sameValue, type FieldChange } from "./bulk-import.ts";

/**
 * Cells of an import row (docs/IMPORT.md) as every import kind reads them:
 * a missing column leaves the field as it is (`undefined`), a blank cell
 * clears it (`null`), and a cell that does not say what its column asks is
 * refused naming the column and the rule.
 */

/** A cell's text trimmed, `null` when blank, `undefined` when the file has no such column (the field stays as it is). */
export const optional = (text: string | undefined): string | null | undefined => (text === undefined ? undefined : text.trim() || null);

/** A date cell (`YYYY-MM-DD`, a real day), refused naming its column otherwise. */
export function dateCell(text: string | undefined, column: string): string | null | undefined {
  const value = optional(text);
  if (value === undefined || value === null) return value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    refuse(column, "must be a date YYYY-MM-DD");
  }
  return value;
}

/** An enum cell: one of the values (letter case aside, spaces and hyphens as underscores); undefined when the column is missing, null when blank. */
export function enumCell<T extends string>(values: Record<string, T>, text: string | undefined, column: string): T | null | undefined {
  const value = optional(text);
  if (value === undefined || value === null) return value;
  const wanted = value.toLowerCase().replace(/[ -]/g, "_");
  const found = Object.values(values).find((v) => v === wanted);
  if (!found) refuse(column, `must be one of ${Object.values(values).join(", ")}`);
  return found;
}

/** A list cell: items separated by `;` or line breaks (names may hold commas), blanks and repeats left out. */
export const listCell = (text: string): string[] => [...new Set(text.split(/[;\n]/).map((s) => s.trim()).filter((s) => s !== ""))];

/** Ids the gateway resolved for a list column (a JSON array in `key`); empty when the column is blank. */
export function resolvedIds(v: Record<string, string>, column: string, key: string): string[] | undefined {
  if (v[column] === undefined) return undefined;
  if (!v[column]!.trim()) return [];
  return JSON.parse(v[key] ?? "[]") as string[];
}

/** Equal as sets (a list's order is not part of what a cell says). */
export const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");

/**
 * The fields a row would change on a record: each wanted value that is given
 * (not `undefined`) and differs from the current one, as the values to set
 * and as the report's field changes (before → after).
 */
export function fieldChanges(current: Record<string, unknown>, wanted: Record<string, unknown>): { changed: Record<string, unknown>; changes: FieldChange[] } {
  const changed: Record<string, unknown> = {};
  const changes: FieldChange[] = [];
  for (const [field, after] of Object.entries(wanted)) {
    if (after === undefined || sameValue(current[field], after)) continue;
    changed[field] = after;
    changes.push({ field, before: current[field] ?? null, after });
  }
  return { changed, changes };
}
