import type { EntityManager } from "@mikro-orm/postgresql";
import { z } from "zod";
import { auditedRow, parseAnswer, recordChange, REGISTERS, RegisterAnswerError, type RegisterClient, type RegisterImporter, type SyncCounts, type SyncRefusal, type SyncRun } from "@yhdyspinta/core";
import { Municipality } from "../municipality/municipality.entity.ts";
import { searchTextOf } from "../search.ts";
import { statfiCounties, statfiMunicipalitiesForUpdate, upsertMunicipalitySource, upsertStatfiMunicipality } from "./register.queries.ts";

/**
 * Statistics Finland classifications importer (API v2,
 * https://data.stat.fi/api/classifications/v2 ; shapes as the API answers
 * with `content=data`, restated by the statficlassifications R package and
 * public clients): `classifications/kunta_1_<Y>0101/classificationItems?lang=fi|sv`
 * → `[{code, classificationItemNames: [{name, lang}]}]`, and
 * `correspondenceTables/kunta_1_<Y>0101#hyvinvointialue_1_<Y>0101/maps`
 * → `[{sourceItem: {code, classificationItemNames}, targetItem: {code, …}}]`.
 *
 * Writes the municipalities of year Y with their county (a new
 * classification year is data, not a code release; the organisations
 * subgraph lists a new year after its next start). A county code not in the
 * county table is refused: a county division change is a decision a
 * coordinator records, not something a sync invents.
 */

const item = z.object({
  code: z.string(),
  classificationItemNames: z.array(z.object({ name: z.string(), lang: z.string().optional() })).min(1),
});
export const statfiItems = z.array(item);
export const statfiMaps = z.array(z.object({ sourceItem: item, targetItem: item }));

export interface StatfiSyncOptions {
  client: RegisterClient;
  /** Classification year (1 January of it). */
  year: number;
}

interface PreparedMunicipality {
  code: string;
  nameFi: string;
  nameSv: string;
  countyCode: string;
}

export interface StatfiPrepared {
  year: number;
  municipalities: PreparedMunicipality[];
  sourceUrl: string;
}

export function statfiImporter(options: StatfiSyncOptions): RegisterImporter<StatfiPrepared> {
  const { client, year } = options;
  const register = REGISTERS.statfi;
  const municipalityClass = `kunta_1_${year}0101`;
  const countyClass = `hyvinvointialue_1_${year}0101`;
  return {
    register,
    client,

    async prepare(em: EntityManager, _run: SyncRun) {
      const refused: SyncRefusal[] = [];
      const fiAnswer = await client.getJson(`classifications/${municipalityClass}/classificationItems`, { content: "data", meta: "max", lang: "fi" });
      const svAnswer = await client.getJson(`classifications/${municipalityClass}/classificationItems`, { content: "data", meta: "max", lang: "sv" });
      const mapAnswer = await client.getJson(`correspondenceTables/${encodeURIComponent(`${municipalityClass}#${countyClass}`)}/maps`, { content: "data", meta: "min" });
      const fi = parseAnswer(register.name, statfiItems, fiAnswer);
      const sv = new Map(parseAnswer(register.name, statfiItems, svAnswer).map((i) => [i.code, i.classificationItemNames[0]!.name]));
      const maps = parseAnswer(register.name, statfiMaps, mapAnswer);
      if (fi.length === 0) throw new RegisterAnswerError(register.name, fiAnswer.url, `no municipalities in ${municipalityClass}`);
      const countyOf = new Map(maps.map((m) => [m.sourceItem.code, m.targetItem.code]));
      const counties = new Set(await statfiCounties(em));
      const municipalities: PreparedMunicipality[] = [];
      for (const m of fi) {
        const record = `municipality ${m.code} (${year})`;
        if (!/^\d{3}$/.test(m.code)) {
          refused.push({ record, reason: `code "${m.code}" is not a 3-digit municipality code` });
          continue;
        }
        const county = countyOf.get(m.code);
        if (!county) {
          refused.push({ record, reason: `no county in ${municipalityClass}#${countyClass}` });
          continue;
        }
        if (!counties.has(county)) {
          refused.push({ record, reason: `county code ${county} is not a known county` });
          continue;
        }
        municipalities.push({ code: m.code, nameFi: m.classificationItemNames[0]!.name, nameSv: sv.get(m.code) ?? m.classificationItemNames[0]!.name, countyCode: county });
      }
      return { prepared: { year, municipalities, sourceUrl: mapAnswer.url }, refused };
    },

    async apply(tx: EntityManager, prepared: StatfiPrepared, run: SyncRun): Promise<SyncCounts> {
      const counts: SyncCounts = { created: 0, updated: 0, unchanged: 0, refused: [] };
      const stored = new Map((await statfiMunicipalitiesForUpdate(tx, prepared.year)).map((m) => [m.code, m]));
      const today = run.fetchedAt.toISOString().slice(0, 10);
      for (const m of prepared.municipalities) {
        const old = stored.get(m.code);
        if (old && old.name_fi === m.nameFi && old.name_sv === m.nameSv && old.county_code === m.countyCode) {
          counts.unchanged += 1;
          continue;
        }
        const written = { code: m.code, year: prepared.year, nameFi: m.nameFi, nameSv: m.nameSv, countyCode: m.countyCode, searchText: searchTextOf(m.nameFi, m.nameSv) };
        await upsertStatfiMunicipality(tx, written);
        // Audited as the register (the run's transaction carries `register:statfi`), whole rows: a `knownAt` read rebuilds the row from them.
        await recordChange(tx, {
          entityType: "Municipality",
          entityId: `${m.code}/${prepared.year}`,
          operation: old ? "UPDATE" : "CREATE",
          before: old ? auditedRow(tx, Municipality, old) : null,
          after: written,
        });
        // Provenance of the row (core's record_source): the correspondence table it came from.
        await upsertMunicipalitySource(tx, {
          recordId: `${m.code}/${prepared.year}`,
          url: prepared.sourceUrl,
          section: `${register.attribution}, ${municipalityClass}#${countyClass}`,
          lastConfirmedOn: today,
        });
        if (old) counts.updated += 1;
        else counts.created += 1;
      }
      return counts;
    },
  };
}
