import type { EntityManager } from "@mikro-orm/postgresql";
import { auditedRow, forkForViewer, recordChange, type Viewer } from "@yhdyspinta/core";
import { z } from "zod";
import { Indicator } from "./indicator.entity.ts";
import { IndicatorRegionKind } from "./indicator-sex.ts";
import { type IndicatorValueChange, recordIndicatorValueChanges } from "./indicator-value-audit.queries.ts";
import { upsertIndicator, upsertIndicatorValues } from "./sotkanet-import.queries.ts";
import { SOTKANET_COUNTY_REGIONS } from "./sotkanet-regions.ts";
import { sotkanetIndicatorsForUpdate, sotkanetValuesForUpdate, type StoredIndicator } from "./sotkanet-sync.queries.ts";

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
 * (indicator, area, year, sex). What it creates or changes is in the audit
 * trail as `import:sotkanet` (no role), whole rows before and after, as the
 * Sotkanet sync's writes are (`indicator-value-audit.queries.ts`); a value the file
 * gives as it is stored is not rewritten and gets no entry. A value it
 * writes carries no register provenance (a figure from a file, not from the
 * register): one a Sotkanet sync wrote loses the sync's.
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

/** Who the file import's writes are audited as: subject `import:sotkanet`, no role (a register's sync is `register:<name>`). */
export const SOTKANET_IMPORT_ACTOR: Viewer = Object.freeze({ subject: "import:sotkanet", role: null, scopes: new Set<string>(), counties: new Set<string>() });

/** An indicator's columns the import does not write, as a new one has them. */
const NO_INDICATOR: Omit<StoredIndicator, "id" | "sotkanet_id" | "name" | "name_en" | "unit" | "source"> = {
  name_sv: null,
  data_updated_on: null,
  source_register: null,
  source_url: null,
  fetched_at: null,
  sync_report_id: null,
};

const valueKeyOf = (indicatorId: string, kind: string, code: string, year: number, sex: string) => `${indicatorId}|${kind}|${code}|${year}|${sex}`;

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

  // Audited as the file import (`import:sotkanet`): indicators and values it creates or changes, whole rows.
  await forkForViewer(em, SOTKANET_IMPORT_ACTOR).transactional(async (tx) => {
    const keys = indicatorIds.map(sotkanetIndicatorKey);
    const storedIndicators = new Map((await sotkanetIndicatorsForUpdate(tx, keys)).map((r) => [r.id, r]));
    for (const id of indicatorIds) {
      const meta = described.get(id);
      const organisation = meta?.organization?.title?.fi;
      const key = sotkanetIndicatorKey(id);
      const fields = {
        name: meta?.title.fi ?? meta?.title.en ?? `Sotkanet-indikaattori ${id}`,
        name_en: meta?.title.en ?? null,
        unit: meta?.primaryValueType?.title?.fi ?? null,
        source: organisation ? `THL Sotkanet (${organisation})` : "THL Sotkanet",
      };
      // Metadata in the file wins; a bare data file only adds indicators not yet known.
      await upsertIndicator(tx, [key, id, fields.name, fields.name_en, fields.unit, fields.source], meta !== undefined);
      const old = storedIndicators.get(key);
      if (!old) {
        const created: StoredIndicator = { ...NO_INDICATOR, id: key, sotkanet_id: id, ...fields };
        await recordChange(tx, { entityType: "Indicator", entityId: key, operation: "CREATE", after: auditedRow(tx, Indicator, created) });
      } else if (meta !== undefined && (old.name !== fields.name || old.name_en !== fields.name_en || old.unit !== fields.unit || old.source !== fields.source)) {
        await recordChange(tx, { entityType: "Indicator", entityId: key, operation: "UPDATE", before: auditedRow(tx, Indicator, old), after: auditedRow(tx, Indicator, { ...old, ...fields }) });
      }
    }
    // What each value was, to audit what the upserts replace.
    const stored = new Map((await sotkanetValuesForUpdate(tx, keys)).map((r) => [valueKeyOf(r.indicator_id, r.region_kind, r.region_code, r.year, r.sex), r]));
    const changes: IndicatorValueChange[] = [];
    for (let start = 0; start < values.length; start += CHUNK) {
      for (const row of await upsertIndicatorValues(tx, values.slice(start, start + CHUNK))) {
        changes.push({ before: stored.get(valueKeyOf(row.indicator_id, row.region_kind, row.region_code, row.year, row.sex)) ?? null, after: row });
      }
    }
    await recordIndicatorValueChanges(tx, changes);
  });
  return { indicators: indicatorIds.length, values: values.length, skipped };
}
