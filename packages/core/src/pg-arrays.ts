import pg from "pg";

/** `text[]` and `varchar[]`: the array types of the entities' `string[]` properties. */
export const TEXT_ARRAY_OIDS: readonly number[] = [1009, 1015];

const defaultTextArrayParser = (pg.types.getTypeParser as (oid: number, format: "text") => unknown)(1009, "text") as (value: string) => (string | null)[];

/**
 * A `text[]` as PostgreSQL prints it, parsed. PostgreSQL quotes an element
 * that is empty, is the word NULL, or holds a comma, brace, quote, backslash
 * or white space, and only such an element carries a backslash; so a
 * one-dimensional array without a quote is its elements between the commas,
 * an unquoted NULL standing for null. Anything else (quoted elements, nested
 * arrays, explicit bounds) goes to pg's own parser, which reads a character
 * at a time and allocates for each: it was 8 % of the planning subgraph's CPU
 * on plan follow-up (bench/README.md).
 */
export function parseTextArray(source: string): (string | null)[] {
  if (source.charCodeAt(0) !== 123 /* { */ || source.indexOf('"') !== -1 || source.indexOf("{", 1) !== -1) return defaultTextArrayParser(source);
  if (source === "{}") return [];
  const elements: (string | null)[] = source.slice(1, -1).split(",");
  for (let i = 0; i < elements.length; i++) if (elements[i] === "NULL") elements[i] = null;
  return elements;
}

/**
 * Makes a pg pool's connections parse text arrays with `parseTextArray`,
 * keeping every other parser the pool has (MikroORM gives its pools their own
 * `TypeOverrides`, e.g. dates as strings): the ORM's `onPoolCreated` hook,
 * before any connection is made.
 */
export function useFastTextArrays(pool: pg.Pool): void {
  type Overrides = Pick<pg.TypeOverrides, "setTypeParser">;
  const options = (pool as unknown as { options: { types?: Partial<Overrides> } }).options;
  // By shape, not `instanceof`: the ORM's pool may come from another copy of pg.
  if (typeof options.types?.setTypeParser !== "function") options.types = new pg.TypeOverrides();
  for (const oid of TEXT_ARRAY_OIDS) (options.types as Overrides).setTypeParser(oid, "text", parseTextArray);
}
