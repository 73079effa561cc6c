import type { GenerateOptions } from "./generate.ts";

/**
 * A dataset as `BENCH_SCALE` and `BENCH_SIZES` name it:
 *
 * - `finland`: the whole country (`scale: "finland"`);
 * - `finland*0.25`: the national totals times 0.25 in every county (`factor`);
 * - `3`: the Pohjois-Karjala shape × 3 for county 14 (`scale: 3`);
 * - `14:finland*4` or `14+19:2`: the same for these counties only; the views
 *   are then asked about these counties only.
 */
export interface DatasetSpec {
  text: string;
  options: Pick<GenerateOptions, "scale" | "factor" | "countyCodes">;
  /** Counties the views are asked about (undefined: all 22). */
  counties?: string[];
}

export function parseDatasetSpec(text: string): DatasetSpec {
  const trimmed = text.trim();
  const match = /^(?:(\d{2}(?:\+\d{2})*):)?(?:(finland)(?:\*(\d+(?:\.\d+)?))?|(\d+))$/.exec(trimmed);
  if (!match) throw new Error(`dataset "${text}": expected finland, finland*<factor>, <n>, optionally after <county>[+<county>…]:`);
  const [, countyList, finland, factorText, n] = match;
  const counties = countyList?.split("+");
  const factor = factorText === undefined ? undefined : Number(factorText);
  if (factor !== undefined && !(factor > 0)) throw new Error(`dataset "${text}": the factor must be positive`);
  if (n !== undefined && !(Number(n) > 0)) throw new Error(`dataset "${text}": the scale must be a positive integer`);
  return {
    text: trimmed,
    options: {
      scale: finland ? "finland" : Number(n),
      ...(factor !== undefined && factor !== 1 ? { factor } : {}),
      ...(counties ? { countyCodes: counties } : {}),
    },
    ...(counties ? { counties } : {}),
  };
}

/** `BENCH_SIZES`: comma-separated dataset specs (empty: none). */
export function parseDatasetSpecs(text: string | undefined): DatasetSpec[] {
  return (text ?? "").split(",").map((s) => s.trim()).filter(Boolean).map(parseDatasetSpec);
}
