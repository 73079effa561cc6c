import type { EntityManager } from "@mikro-orm/postgresql";
import { z } from "zod";
import { IndicatorRegionKind } from "./indicator-sex.ts";
import { upsertIndicator, upsertIndicatorValues } from "./sotkanet-import.queries.ts";
import { SOTKANET_COUNTY_REGIONS } from "./sotkanet-regions.ts";

/**
 * Imports indicator values in THL Sotkanet's published format (REST API 1.1,
 * `GET /json`), from a file: there is no network access at run time.
 *
 * Accepted input: either the bare `/json` array of rows
 * `{indicator, region, year, gender, value, absValue?}`, or a bundle
 * `{ regions, indicators, data }` whose `regions` are `/regions` entries
 * (`{id, code, category, title}`) and `indicators` are `/indicators/{id}`
 * metadata (`{id, title:{fi,sv,en}, primaryValueType?, organization?}`).
 * Sotkanet's `region` is its internal id: counties are mapped by the built-in
 * table (`sotkanet-regions.ts`), municipalities need a `regions` entry of
 * category KUNTA. Rows whose region cannot be mapped are skipped and counted.
 *
 * Idempotent: indicators upsert on the Sotkanet id, values on
 * (indicator, area, year, sex).
 */

const localized = z.object({ fi: z.string().optional(), sv: z.string().optional(), en: z.string().optional() }).partial();

const dataRow = z.object({
  indicator: z.number().int().positive(),
  region: z.number().int().positive(),
  year: z.number().int().min(1900).max(2200),
  gender: z.enum(["total", "male", "female"]),
  value: z.number().nullable().optional(),
  absValue: z.number().nullable().optional(),
});

const regionEntry = z.object({
  id: z.number().int().positive(),
  code: z.string(),
  category: z.string(),
  title: localized.optional(),
});

const indicatorEntry = z.object({
  id: z.number().int().positive(),
  title: localized,
  primaryValueType: z.object({ code: z.string().optional(), title: localized.optional() }).partial().optional(),
  organization: z.object({ id: z.number().optional(), title: localized.optional() }).partial().optional(),
});

const bundle = z.object({
  regions: z.array(regionEntry).default([]),
  indicators: z.array(indicatorEntry).default([]),
  data: z.array(dataRow),
});

export type SotkanetBundle = z.infer<typeof bundle>;

export interface SotkanetImportResult {
  indicators: number;
  values: number;
  skipped: { row: number; reason: string }[];
}

/** Parses the file contents; throws with the path of the first problem. */
export function parseSotkanet(json: unknown): SotkanetBundle {
  const parsed = Array.isArray(json) ? bundle.safeParse({ data: json }) : bundle.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Not Sotkanet JSON: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

export const sotkanetIndicatorKey = (sotkanetId: number): string => `sotkanet-${sotkanetId}`;

function regionMap(regions: SotkanetBundle["regions"]): Map<number, { kind: IndicatorRegionKind; code: string }> {
  const map = new Map<number, { kind: IndicatorRegionKind; code: string }>();
  for (const [id, code] of Object.entries(SOTKANET_COUNTY_REGIONS)) {
    map.set(Number(id), { kind: IndicatorRegionKind.COUNTY, code });
  }
  for (const r of regions) {
    if (r.category === "KUNTA" && /^\d{1,3}$/.test(r.code)) {
      map.set(r.id, { kind: IndicatorRegionKind.MUNICIPALITY, code: r.code.padStart(3, "0") });
    } else if (r.category === "HYVINVOINTIALUE" && /^\d{1,2}$/.test(r.code)) {
      map.set(r.id, { kind: IndicatorRegionKind.COUNTY, code: r.code.padStart(2, "0") });
    }
  }
  return map;
}

const CHUNK = 500;

/** Writes a parsed file in one transaction. */
export async function importSotkanet(em: EntityManager, input: SotkanetBundle): Promise<SotkanetImportResult> {
  const regions = regionMap(input.regions);
  const skipped: SotkanetImportResult["skipped"] = [];
  const values: unknown[][] = [];
  const seen = new Set<string>();
  input.data.forEach((row, i) => {
    const region = regions.get(row.region);
    if (!region) {
      skipped.push({ row: i, reason: `Sotkanet region ${row.region} is not a known county and not in the file's regions (KUNTA)` });
      return;
    }
    const key = `${row.indicator}|${region.kind}|${region.code}|${row.year}|${row.gender}`;
    if (seen.has(key)) {
      skipped.push({ row: i, reason: "duplicate of an earlier row" });
      return;
    }
    seen.add(key);
    values.push([
      sotkanetIndicatorKey(row.indicator),
      region.kind,
      region.code,
      row.region,
      row.year,
      row.gender,
      row.value ?? null,
      row.absValue ?? null,
    ]);
  });

  const described = new Map(input.indicators.map((i) => [i.id, i]));
  const indicatorIds = [...new Set(input.data.map((r) => r.indicator))].sort((a, b) => a - b);
  for (const i of input.indicators) if (!indicatorIds.includes(i.id)) indicatorIds.push(i.id);

  await em.transactional(async (tx) => {
    for (const id of indicatorIds) {
      const meta = described.get(id);
      const organisation = meta?.organization?.title?.fi;
      const params = [
        sotkanetIndicatorKey(id),
        id,
        meta?.title.fi ?? meta?.title.en ?? `Sotkanet-indikaattori ${id}`,
        meta?.title.en ?? null,
        meta?.primaryValueType?.title?.fi ?? null,
        organisation ? `THL Sotkanet (${organisation})` : "THL Sotkanet",
      ];
      // Metadata in the file wins; a bare data file only adds indicators not yet known.
      await upsertIndicator(tx, params, meta !== undefined);
    }
    for (let start = 0; start < values.length; start += CHUNK) {
      await upsertIndicatorValues(tx, values.slice(start, start + CHUNK));
    }
  });
  return { indicators: indicatorIds.length, values: values.length, skipped };
}
