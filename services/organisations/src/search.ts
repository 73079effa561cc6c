/**
 * Case- and diacritic-insensitive search text for Finnish and Swedish names:
 * decompose (NFD), drop the combining marks, lower-case, collapse spaces.
 * "Rääkkylä" → "raakkyla", "Närpes" → "narpes", "Åbo" → "abo". The
 * application writes these columns, so search needs no `unaccent` extension.
 */
export function normaliseSearch(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
}

/** Search text over several names (e.g. a name and its other names). */
export function searchTextOf(...names: (string | null | undefined)[]): string {
  return names
    .filter((n): n is string => typeof n === "string" && n.length > 0)
    .map(normaliseSearch)
    .join(" | ");
}

/** `LIKE` pattern matching the normalised query anywhere (escapes `%`, `_` and `\`). */
export function containsPattern(query: string): string {
  return `%${normaliseSearch(query).replace(/[\\%_]/g, "\\$&")}%`;
}
