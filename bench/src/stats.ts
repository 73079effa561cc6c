/** The median of a sample and its spread, as `pnpm bench` reports each figure over its rounds. */
export interface Spread {
  n: number;
  median: number;
  min: number;
  max: number;
  /** First and third quartiles (linear interpolation between order statistics). */
  q1: number;
  q3: number;
}

/** The p-quantile (0 ≤ p ≤ 1) of ascending `sorted`, interpolated linearly between order statistics (R's type 7). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Median, min, max and quartiles of the finite values (NaN everywhere when there are none). */
export function spread(values: readonly number[]): Spread {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted.length ? sorted[0]! : Number.NaN,
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
  };
}

export const median = (values: readonly number[]): number => spread(values).median;

/** "12.3 (11.0–14.1)": the median and the range it comes from (the median alone for one value). */
export function formatSpread(s: Spread, digits = 1): string {
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
  if (s.n <= 1) return f(s.median);
  return `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

/**
 * Objects in a GraphQL answer's `data` (every non-null object, list elements
 * included, the root not counted): what "per returned item" divides by.
 */
export function countItems(data: unknown): number {
  let count = 0;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const element of value) walk(element);
    } else if (value !== null && typeof value === "object") {
      count += 1;
      for (const field of Object.values(value)) walk(field);
    }
  };
  if (data !== null && typeof data === "object") for (const field of Object.values(data)) walk(field);
  return count;
}
