import { isDeepStrictEqual } from "node:util";

/**
 * Where two answers first differ, as a path and both values (shortened), or
 * undefined when they are equal. Arrays compare in order, objects by key.
 */
export function firstDifference(ours: unknown, reference: unknown, path = "data"): string | undefined {
  if (isDeepStrictEqual(ours, reference)) return undefined;
  if (ours && reference && typeof ours === "object" && typeof reference === "object") {
    if (Array.isArray(ours) !== Array.isArray(reference)) return `${path}: a list in one answer, an object in the other`;
    if (Array.isArray(ours) && Array.isArray(reference) && ours.length !== reference.length) {
      return `${path}: ${ours.length} elements in ours, ${reference.length} in the reference`;
    }
    for (const key of new Set([...Object.keys(ours), ...Object.keys(reference)])) {
      if (!(key in ours)) return `${path}.${key}: missing in ours`;
      if (!(key in reference)) return `${path}.${key}: missing in the reference`;
      const inner = firstDifference((ours as Record<string, unknown>)[key], (reference as Record<string, unknown>)[key], `${path}.${key}`);
      if (inner) return inner;
    }
  }
  const shown = (v: unknown) => JSON.stringify(v)?.slice(0, 200) ?? "undefined";
  return `${path}: ${shown(ours)} in ours, ${shown(reference)} in the reference`;
}
