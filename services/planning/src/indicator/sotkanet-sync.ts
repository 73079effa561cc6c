import type { EntityManager } from "@mikro-orm/postgresql";
import { z } from "zod";
import {
  auditedRow,
  parseAnswer,
  recordChange,
  REGISTERS,
  RegisterAnswerError,
  RegisterFetchError,
  type RegisterClient,
  type RegisterImporter,
  type SyncCounts,
  type SyncRefusal,
  type SyncRun,
} from "@yhdyspinta/core";
import { Indicator } from "./indicator.entity.ts";
import { type IndicatorValueChange, recordIndicatorValueChanges, recordIndicatorValueRevisionsCreated } from "./indicator-value-audit.queries.ts";
import { IndicatorRegionKind, IndicatorSex } from "./indicator-sex.ts";
import { sotkanetIndicatorKey } from "./sotkanet-import.ts";
import {
  detachSyncedIndicator,
  insertSyncedIndicator,
  insertIndicatorValueRevisions,
  insertSyncedIndicatorValues,
  sotkanetIdsInUse,
  sotkanetIndicatorsForUpdate,
  sotkanetStoredIndicators,
  sotkanetValuesForUpdate,
  type StoredIndicator,
  type StoredIndicatorValue,
  type SyncedIndicatorFields,
  type SyncedValueUpdate,
  updateSyncedIndicator,
  updateSyncedIndicatorValues,
} from "./sotkanet-sync.queries.ts";

/**
 * Sotkanet importer (THL, REST API 1.1; field names as documented by THL's
 * API description, Oskari's GetSotkaData route documentation
 * https://oskari.org/documentation/backend/actionroutes/getsotkadata and the
 * rOpenGov `sotkanet` R package):
 *
 * - `GET regions`: `[{id, code, category, title: {fi, sv, en}}]`. Region ids
 *   come from here, never from a built-in table. Categories synced:
 *   HYVINVOINTIALUE (the 21 counties, Helsinki 90 and Åland 91, two-digit
 *   codes), KUNTA (three-digit municipality codes) and MAA (the whole
 *   country, the entry titled "Koko maa" or coded "SSS"; other countries of
 *   the category are not synced). Rows of other categories (ELY, AVI, …) are
 *   not synced and not counted.
 * - `GET indicators/{id}`: `{id, title: {fi, sv, en}, "data-updated",
 *   primaryValueType: {code, title}, organization, range}`.
 * - `GET json?indicator=ID&years=Y…&genders=total`: `[{indicator, region,
 *   year, gender, value, absValue}]`.
 *
 * Incremental: an indicator whose `data-updated` is the one stored is not
 * read again. A value that differs from the stored one is updated and the
 * old value is kept in `indicator_value_revision`. An indicator's metadata,
 * the values the sync creates or replaces and the revisions it creates are
 * in the audit trail as
 * `register:sotkanet`, the whole row before and after (so the placeholder an
 * admin typed before the first sync is kept there, and a `knownAt` read
 * before a run shows the values as they were); a value the run leaves as it
 * was gets no entry. Once synced, the names, unit and source are
 * Sotkanet's: `updateIndicator` refuses to change them (indicator.rules.ts).
 * A synced indicator Sotkanet answers 404 for is refused in the report as no
 * longer in Sotkanet and detached (its register provenance and data-updated
 * day cleared, audited): its fields are editable again, and its values keep
 * their provenance. A dry run detaches nothing and reports that a sync
 * would detach it. Should Sotkanet have it again, the next sync takes it
 * back as it took over a placeholder.
 */

const localized = z.object({ fi: z.string().optional(), sv: z.string().optional(), en: z.string().optional() });

export const sotkanetRegions = z.array(
  z.object({
    id: z.number().int().positive(),
    code: z.string(),
    category: z.string(),
    title: localized.optional(),
  }),
);

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}/, "must start with a date YYYY-MM-DD");

export const sotkanetIndicatorMetadata = z.object({
  id: z.number().int().positive(),
  title: localized.refine((t) => Boolean(t.fi || t.en), "needs a Finnish or English title"),
  "data-updated": isoDate.optional().nullable(),
  primaryValueType: z.object({ code: z.string().optional(), title: localized.optional() }).optional().nullable(),
  organization: z.object({ id: z.number().optional(), title: localized.optional() }).optional().nullable(),
});

export const sotkanetData = z.array(
  z.object({
    indicator: z.number().int().positive(),
    region: z.number().int().positive(),
    year: z.number().int().min(1900).max(2200),
    gender: z.enum(["total", "male", "female"]),
    value: z.number().nullable().optional(),
    absValue: z.number().nullable().optional(),
  }),
);

export interface SotkanetSyncOptions {
  client: RegisterClient;
  /** Statistical years to read (Sotkanet's `years`). */
  years: readonly number[];
  /** Sotkanet ids to sync; default: those plans' goals name and those already stored. */
  indicatorIds?: readonly number[];
}

interface PreparedIndicator {
  key: string;
  sotkanetId: number;
  name: string;
  nameSv: string | null;
  nameEn: string | null;
  unit: string | null;
  source: string;
  dataUpdatedOn: string | null;
  sourceUrl: string;
}

interface PreparedValue {
  indicatorKey: string;
  regionKind: IndicatorRegionKind;
  regionCode: string;
  sotkanetRegionId: number;
  year: number;
  sex: IndicatorSex;
  value: number | null;
  absoluteValue: number | null;
  sourceUrl: string;
}

export interface SotkanetPrepared {
  indicators: PreparedIndicator[];
  values: PreparedValue[];
  /** Indicators whose values were read (others were unchanged by their data-updated date). */
  readIndicators: string[];
  /** Stored indicators, synced before, that Sotkanet no longer has (HTTP 404): detached from it. */
  goneIndicators: string[];
}

type RegionTarget = { kind: IndicatorRegionKind; code: string } | { refused: string } | null;

/** What a Sotkanet region is to us: a county, municipality or the country; a refusal; or null (a category not synced). */
function regionTarget(region: z.infer<typeof sotkanetRegions>[number]): RegionTarget {
  switch (region.category) {
    case "HYVINVOINTIALUE":
      return /^\d{1,2}$/.test(region.code)
        ? { kind: IndicatorRegionKind.COUNTY, code: region.code.padStart(2, "0") }
        : { refused: `Sotkanet region ${region.id} (HYVINVOINTIALUE) has code "${region.code}", not a county code` };
    case "KUNTA":
      return /^\d{1,3}$/.test(region.code)
        ? { kind: IndicatorRegionKind.MUNICIPALITY, code: region.code.padStart(3, "0") }
        : { refused: `Sotkanet region ${region.id} (KUNTA) has code "${region.code}", not a municipality code` };
    case "MAA":
      return region.code === "SSS" || region.title?.fi === "Koko maa" ? { kind: IndicatorRegionKind.COUNTRY, code: "SSS" } : null;
    default:
      return null;
  }
}


const valueKey = (v: { indicatorKey: string; regionKind: string; regionCode: string; year: number; sex: string }) =>
  `${v.indicatorKey}|${v.regionKind}|${v.regionCode}|${v.year}|${v.sex}`;

export function sotkanetImporter(options: SotkanetSyncOptions): RegisterImporter<SotkanetPrepared> {
  const { client } = options;
  const register = REGISTERS.sotkanet;
  const years = [...new Set(options.years)].sort((a, b) => a - b);
  if (years.length === 0) throw new Error("Sotkanet sync needs at least one year");

  return {
    register,
    client,

    async prepare(em: EntityManager, run: SyncRun) {
      const refused: SyncRefusal[] = [];
      const ids = options.indicatorIds ? [...new Set(options.indicatorIds)] : await sotkanetIdsInUse(em);
      const stored = new Map((await sotkanetStoredIndicators(em, ids)).map((r) => [r.id, r]));

      const regionsAnswer = await client.getJson("regions");
      const regions = new Map<number, RegionTarget>();
      for (const r of parseAnswer(register.name, sotkanetRegions, regionsAnswer)) regions.set(r.id, regionTarget(r));

      const indicators: PreparedIndicator[] = [];
      const values: PreparedValue[] = [];
      const readIndicators: string[] = [];
      const goneIndicators: string[] = [];
      for (const id of ids) {
        let metaAnswer;
        try {
          metaAnswer = await client.getJson(`indicators/${id}`);
        } catch (error) {
          if (error instanceof RegisterFetchError && error.reason === "HTTP 404") {
            const key = sotkanetIndicatorKey(id);
            if (stored.get(key)?.source_register === register.name) {
              // Synced before: Sotkanet no longer keeps its fields, so the lock on them is lifted
              // (a dry run's `apply` is rolled back: its report says what a sync would do).
              goneIndicators.push(key);
              const outcome = run.dryRun
                ? "would detach it from Sotkanet and make its names, unit and source editable again"
                : "detached from Sotkanet, its names, unit and source are editable again";
              refused.push({ record: `indicator ${id}`, reason: `Sotkanet no longer has indicator ${id} (HTTP 404): ${outcome}` });
            } else {
              refused.push({ record: `indicator ${id}`, reason: `Sotkanet has no indicator ${id} (HTTP 404)` });
            }
            continue;
          }
          throw error;
        }
        const meta = parseAnswer(register.name, sotkanetIndicatorMetadata, metaAnswer);
        if (meta.id !== id) throw new RegisterAnswerError(register.name, metaAnswer.url, `asked for indicator ${id}, got ${meta.id}`);
        const key = sotkanetIndicatorKey(id);
        const organisation = meta.organization?.title?.fi;
        const dataUpdatedOn = meta["data-updated"]?.slice(0, 10) ?? null;
        indicators.push({
          key,
          sotkanetId: id,
          name: meta.title.fi ?? meta.title.en!,
          nameSv: meta.title.sv ?? null,
          nameEn: meta.title.en ?? null,
          unit: meta.primaryValueType?.title?.fi ?? null,
          source: organisation ? `THL Sotkanet (${organisation})` : "THL Sotkanet",
          dataUpdatedOn,
          sourceUrl: metaAnswer.url,
        });
        const known = stored.get(key);
        if (known?.synced && dataUpdatedOn !== null && known.data_updated_on === dataUpdatedOn) continue;

        readIndicators.push(key);
        const dataAnswer = await client.getJson("json", { indicator: id, years, genders: "total" });
        const rows = parseAnswer(register.name, sotkanetData, dataAnswer);
        if (rows.length > 0 && !rows.some((r) => "value" in r)) {
          throw new RegisterAnswerError(register.name, dataAnswer.url, "no data row has a `value` field (renamed?)");
        }
        const seen = new Set<string>();
        for (const row of rows) {
          const record = `indicator ${row.indicator}, region ${row.region}, ${row.year}, ${row.gender}`;
          if (row.indicator !== id) throw new RegisterAnswerError(register.name, dataAnswer.url, `asked for indicator ${id}, got a row of indicator ${row.indicator}`);
          if (!years.includes(row.year)) {
            refused.push({ record, reason: `year ${row.year} was not asked for` });
            continue;
          }
          if (!regions.has(row.region)) {
            refused.push({ record, reason: `unknown Sotkanet region ${row.region} (not in /regions)` });
            continue;
          }
          const target = regions.get(row.region)!;
          if (target === null) continue;
          if ("refused" in target) {
            refused.push({ record, reason: target.refused });
            continue;
          }
          const value: PreparedValue = {
            indicatorKey: key,
            regionKind: target.kind,
            regionCode: target.code,
            sotkanetRegionId: row.region,
            year: row.year,
            sex: row.gender as IndicatorSex,
            value: row.value ?? null,
            absoluteValue: row.absValue ?? null,
            sourceUrl: dataAnswer.url,
          };
          const k = valueKey(value);
          if (seen.has(k)) {
            refused.push({ record, reason: "duplicate of an earlier row of the answer" });
            continue;
          }
          seen.add(k);
          values.push(value);
        }
      }
      return { prepared: { indicators, values, readIndicators, goneIndicators }, refused };
    },

    async apply(tx: EntityManager, prepared: SotkanetPrepared, run: SyncRun): Promise<SyncCounts> {
      const counts: SyncCounts = { created: 0, updated: 0, unchanged: 0, refused: [] };
      const existing = new Map(
        (await sotkanetIndicatorsForUpdate(tx, [...prepared.indicators.map((i) => i.key), ...prepared.goneIndicators])).map((r) => [r.id, r]),
      );
      for (const key of prepared.goneIndicators) {
        const old = existing.get(key);
        if (old?.source_register !== register.name) continue;
        await detachSyncedIndicator(tx, key);
        const detached: StoredIndicator = { ...old, data_updated_on: null, source_register: null, source_url: null, fetched_at: null, sync_report_id: null };
        await recordChange(tx, { entityType: "Indicator", entityId: key, operation: "UPDATE", before: auditedRow(tx, Indicator, old), after: auditedRow(tx, Indicator, detached) });
        counts.updated += 1;
      }
      for (const i of prepared.indicators) {
        const old = existing.get(i.key);
        const fields: SyncedIndicatorFields = [i.name, i.nameSv, i.nameEn, i.unit, i.source, i.dataUpdatedOn, register.name, i.sourceUrl, run.fetchedAt, run.id];
        const written: StoredIndicator = {
          id: i.key,
          sotkanet_id: i.sotkanetId,
          name: i.name,
          name_sv: i.nameSv,
          name_en: i.nameEn,
          unit: i.unit,
          source: i.source,
          data_updated_on: i.dataUpdatedOn,
          source_register: register.name,
          source_url: i.sourceUrl,
          fetched_at: run.fetchedAt,
          sync_report_id: run.id,
        };
        if (!old) {
          await insertSyncedIndicator(tx, i.key, i.sotkanetId, fields);
          // Audited as the register (the run's transaction carries `register:sotkanet`).
          await recordChange(tx, { entityType: "Indicator", entityId: i.key, operation: "CREATE", after: auditedRow(tx, Indicator, written) });
          counts.created += 1;
        } else if (
          old.name !== i.name || old.name_sv !== i.nameSv || old.name_en !== i.nameEn || old.unit !== i.unit ||
          old.source !== i.source || old.data_updated_on !== i.dataUpdatedOn || old.source_register !== register.name
        ) {
          await updateSyncedIndicator(tx, i.key, fields);
          // What it replaced (before the first sync: what an admin typed) stays in the audit trail.
          await recordChange(tx, { entityType: "Indicator", entityId: i.key, operation: "UPDATE", before: auditedRow(tx, Indicator, old), after: auditedRow(tx, Indicator, { ...written, sotkanet_id: old.sotkanet_id }) });
          counts.updated += 1;
        } else {
          counts.unchanged += 1;
        }
      }

      if (prepared.readIndicators.length === 0) return counts;
      const stored = new Map(
        (await sotkanetValuesForUpdate(tx, prepared.readIndicators)).map((r) => [
          valueKey({ indicatorKey: r.indicator_id, regionKind: r.region_kind, regionCode: r.region_code, year: r.year, sex: r.sex }),
          r,
        ]),
      );
      const inserts: unknown[][] = [];
      // Every value written, whole, for the audit trail (written at the end, in a few statements).
      const changes: IndicatorValueChange[] = [];
      // Values whose figure the register revised: kept as revisions (written at the end, a statement a chunk).
      const revised: StoredIndicatorValue[] = [];
      // Values that take the register's figure or provenance (written at the end, a statement a chunk).
      const updates: SyncedValueUpdate[] = [];
      for (const v of prepared.values) {
        const old = stored.get(valueKey(v));
        if (!old) {
          inserts.push([v.indicatorKey, v.regionKind, v.regionCode, v.sotkanetRegionId, v.year, v.sex, v.value, v.absoluteValue, register.name, v.sourceUrl, run.fetchedAt, run.id]);
          counts.created += 1;
          continue;
        }
        const same = old.value === v.value && old.absolute_value === v.absoluteValue;
        if (same && old.source_register === register.name) {
          counts.unchanged += 1;
          continue;
        }
        if (!same) revised.push(old);
        updates.push({ id: old.id, value: v.value, absoluteValue: v.absoluteValue, sotkanetRegionId: v.sotkanetRegionId, sourceUrl: v.sourceUrl });
        changes.push({
          before: old,
          after: {
            ...old,
            value: v.value,
            absolute_value: v.absoluteValue,
            sotkanet_region_id: v.sotkanetRegionId,
            source_register: register.name,
            source_url: v.sourceUrl,
            fetched_at: run.fetchedAt.toISOString(),
            sync_report_id: run.id,
          },
        });
        counts.updated += 1;
      }
      const CHUNK = 500;
      for (let start = 0; start < updates.length; start += CHUNK) {
        await updateSyncedIndicatorValues(tx, updates.slice(start, start + CHUNK), { sourceRegister: register.name, fetchedAt: run.fetchedAt, syncReportId: run.id });
      }
      for (let start = 0; start < inserts.length; start += CHUNK) {
        const chunk = inserts.slice(start, start + CHUNK);
        for (const row of await insertSyncedIndicatorValues(tx, chunk)) changes.push({ before: null, after: row });
      }
      // The revisions are audited too, so that a `knownAt` read from before this run does not list them.
      for (let start = 0; start < revised.length; start += CHUNK) {
        await recordIndicatorValueRevisionsCreated(tx, await insertIndicatorValueRevisions(tx, revised.slice(start, start + CHUNK), run.fetchedAt, run.id));
      }
      // Audited as the register, like the metadata: what a value was before this run stays in the trail.
      await recordIndicatorValueChanges(tx, changes);
      return counts;
    },
  };
}

/** The statistical years a scheduled sync reads: the ten years before `today`'s year and that year. */
export function sotkanetYears(today: Date = new Date(), back = 10): number[] {
  const year = today.getUTCFullYear();
  return Array.from({ length: back + 1 }, (_, i) => year - back + i);
}
