import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { EntityManager } from "@mikro-orm/postgresql";
import { z } from "zod";
import { recordChange, REGISTERS, RegisterAnswerError, RegisterClient, type RegisterImporter, type SyncCounts, type SyncRefusal, type SyncRun } from "@yhdyspinta/core";
import { BetterDirection, HyteIndicatorKind, HyteLevel } from "./hyte-indicator.entity.ts";
import { hyteIndicatorsForUpdate, type HyteIndicatorRow, upsertHyteIndicator } from "./hyte.queries.ts";

/**
 * HYTE indicator sets from a CSV file (THL publishes them as reports, not as
 * an API): one row per indicator of a funding year's set, columns
 * `funding_year, level (county|municipality), code, name, kind
 * (process|outcome), better_direction (higher|lower), sotkanet_id (empty
 * where none), source`. Run through the register importer shape, so a dry
 * run, the report and the audit trail (`register:hyte`) come with it. A row
 * that breaks a rule is refused with its line and column; a file without
 * the header fails the run and nothing is written. The committed set is
 * `services/planning/data/hyte-indicators.csv`.
 */

export const HYTE_FILE = fileURLToPath(new URL("../../data/hyte-indicators.csv", import.meta.url));

const HEADER = ["funding_year", "level", "code", "name", "kind", "better_direction", "sotkanet_id", "source"] as const;

/** RFC 4180 CSV: comma-separated, double quotes around a cell holding commas, quotes or line breaks ("" for a quote). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

const hyteRow = z.object({
  funding_year: z.string().regex(/^\d{4}$/, "must be a year YYYY").transform(Number),
  level: z.enum([HyteLevel.COUNTY, HyteLevel.MUNICIPALITY], "must be county or municipality"),
  code: z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/, "must be lower-case letters, digits and hyphens"),
  name: z.string().trim().min(1, "must not be empty"),
  kind: z.enum([HyteIndicatorKind.PROCESS, HyteIndicatorKind.OUTCOME], "must be process or outcome"),
  better_direction: z.enum([BetterDirection.HIGHER, BetterDirection.LOWER], "must be higher or lower"),
  sotkanet_id: z
    .string()
    .regex(/^(\d{1,9})?$/, "must be empty or a Sotkanet indicator id")
    .transform((v) => (v === "" ? null : Number(v))),
  source: z.string().trim().min(1, "must name the source"),
});

export interface HyteImportOptions {
  /** The CSV file; default the committed set. */
  file?: string;
}

export function hyteImporter(options: HyteImportOptions = {}): RegisterImporter<HyteIndicatorRow[]> {
  const file = options.file ?? HYTE_FILE;
  const url = pathToFileURL(file).href;
  const register = REGISTERS.hyte;
  // No HTTP: the client only names the file in the report (0 requests).
  const client = new RegisterClient({ register: register.name, baseUrl: url });
  return {
    register,
    client,
    sourceUrl: url,

    async prepare(_em: EntityManager, _run: SyncRun) {
      let text: string;
      try {
        text = await readFile(file, "utf8");
      } catch (error) {
        throw new RegisterAnswerError(register.name, url, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? "error"})`);
      }
      const [header, ...lines] = parseCsv(text.replace(/^\uFEFF/, ""));
      if (!header || header.join(",") !== HEADER.join(",")) throw new RegisterAnswerError(register.name, url, `the header must be ${HEADER.join(",")}`);
      const refused: SyncRefusal[] = [];
      const rows = new Map<string, HyteIndicatorRow>();
      lines.forEach((cells, index) => {
        const record = `line ${index + 2}`;
        if (cells.length !== HEADER.length) return void refused.push({ record, reason: `has ${cells.length} cells, the header ${HEADER.length}` });
        const parsed = hyteRow.safeParse(Object.fromEntries(HEADER.map((h, i) => [h, cells[i]!])));
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          return void refused.push({ record, reason: `${String(issue.path[0])} ${issue.message}` });
        }
        const r = parsed.data;
        const id = `hyte-${r.funding_year}-${r.level}-${r.code}`;
        if (rows.has(id)) return void refused.push({ record, reason: `${r.funding_year} ${r.level} ${r.code} is already on an earlier line` });
        rows.set(id, { id, fundingYear: r.funding_year, level: r.level, code: r.code, name: r.name, kind: r.kind, betterDirection: r.better_direction, sotkanetId: r.sotkanet_id, source: r.source });
      });
      return { prepared: [...rows.values()], refused };
    },

    async apply(tx: EntityManager, prepared: HyteIndicatorRow[], _run: SyncRun): Promise<SyncCounts> {
      const counts: SyncCounts = { created: 0, updated: 0, unchanged: 0, refused: [] };
      if (prepared.length === 0) return counts;
      const stored = new Map((await hyteIndicatorsForUpdate(tx, prepared.map((r) => r.id))).map((s) => [s.id, s]));
      for (const r of prepared) {
        const old = stored.get(r.id);
        const before = old ? { name: old.name, kind: old.kind, betterDirection: old.better_direction, sotkanetId: old.sotkanet_id, source: old.source } : null;
        const after = { name: r.name, kind: r.kind, betterDirection: r.betterDirection, sotkanetId: r.sotkanetId, source: r.source };
        if (before && JSON.stringify(before) === JSON.stringify(after)) {
          counts.unchanged += 1;
          continue;
        }
        await upsertHyteIndicator(tx, r);
        // Whole rows by property name, like the ORM's own entries: a `knownAt` read before this run rebuilds the indicator from `before`.
        const key = { id: r.id, fundingYear: r.fundingYear, level: r.level, code: r.code };
        const whole = old ? { id: old.id, fundingYear: old.funding_year, level: old.level, code: old.code, ...before } : null;
        await recordChange(tx, { entityType: "HyteIndicator", entityId: r.id, operation: old ? "UPDATE" : "CREATE", before: whole, after: { ...key, ...after } });
        if (old) counts.updated += 1;
        else counts.created += 1;
      }
      return counts;
    },
  };
}
