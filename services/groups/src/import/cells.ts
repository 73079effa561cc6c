import { refuse } from "@yhdyspinta/core";

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
