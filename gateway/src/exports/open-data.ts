import { createHash } from "node:crypto";
import { once } from "node:events";
import { PassThrough, type Writable } from "node:stream";
import { ZipArchive } from "archiver";
import { FIRST_SUPPORTED_DAY, helsinkiToday, LAST_SUPPORTED_DAY } from "@yhdyspinta/core";
import { VIEW_NAMES, type ViewName } from "@yhdyspinta/views";
import { ALERT_COLUMNS, ALERTS_ROW, alertsExportRows } from "./alerts.ts";
import { type Column, openDataColumns, type Row, VIEW_EXPORTS } from "./columns.ts";
import { viewRows, writeRows } from "./export.ts";
import { dataOrThrow, type GraphQLExecutor } from "../loopback-graphql.ts";

// Every day the API supports: the bundle holds every meeting and round there is.
const EARLIEST = FIRST_SUPPORTED_DAY;
const LATEST = LAST_SUPPORTED_DAY;

/**
 * The alerts' look-ahead: the widest window `groupAlerts` takes (366 days,
 * MAX_WITHIN_DAYS in the groups subgraph), the coming year as in the
 * deadline calendar.
 */
const ALERTS_WITHIN_DAYS = 366;

/** The variables the bundle runs the alerts export with, per county: as of today, the coming year. */
function bundleAlertsVariables(countyCode: string, today: string): Record<string, unknown> {
  return { countyCode, activeOn: today, withinDays: ALERTS_WITHIN_DAYS };
}

/**
 * The variables the bundle runs each view with, per county: everything the
 * API holds. (View 1, paged by municipality, runs once for all counties.)
 */
function bundleVariables(view: ViewName, countyCode: string, today: string): Record<string, unknown> {
  switch (view) {
    case "nomination-status":
      return { countyCode, closedSince: EARLIEST };
    case "meeting-calendar":
      return { countyCode, from: EARLIEST, to: LATEST };
    case "representation":
      return { countyCode, activeOn: today };
    default:
      return { countyCode };
  }
}

/**
 * Table Schema's default `datetime` format is `%Y-%m-%dT%H:%M:%SZ` (UTC with
 * a literal Z), which the JavaScript validator applies strictly; our cells
 * carry the Helsinki offset (`2026-03-26T10:00:00+02:00`). The pattern says
 * so, in the strptime syntax the spec names: `%z` reads `+02:00` in Python's
 * frictionless and `+02:00`/`+0200` in the JavaScript one.
 */
export const DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z";

/** A column of the dictionary as a Frictionless Table Schema field. */
function tableSchemaField(c: Column): Record<string, string> {
  return { name: c.name, type: c.type, ...(c.type === "datetime" ? { format: DATETIME_FORMAT } : {}), description: c.description };
}

/**
 * Writes the open-data bundle to `out`: one CSV per view with every county's
 * rows, then `data/alerts.csv` (the alerts export, alerts.ts, of every county
 * as of today for the coming year), a Frictionless `datapackage.json`
 * describing them (Table Schema fields, CC-BY-4.0, sources, created, SHA-256
 * and size of each file) and a `SHA256SUMS` file. Runs as an anonymous caller
 * and leaves out every column from a field tagged personal
 * (`openDataColumns`), so it never holds personal data whoever asks for it.
 * Each CSV is streamed into the ZIP as it is made. A table that fails rejects
 * with the view (or `alerts`) and county named, before the descriptor is
 * written; the caller must then cut the response off.
 */
export async function writeOpenDataBundle(execute: GraphQLExecutor, out: Writable, now = new Date()): Promise<void> {
  const counties = dataOrThrow(await execute<{ counties: { code: string }[] }>("{ counties { code } }", {})).counties;
  const today = helsinkiToday(now);
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const finished = once(archive, "end");
  archive.pipe(out);
  const failed = new Promise<never>((_, reject) => archive.once("error", reject));
  const resources: Record<string, unknown>[] = [];
  const sums: string[] = [];
  /** One table: its CSV streamed into the ZIP, its sum and its resource in the descriptor. */
  const table = async (name: string, description: string, columns: Column[], rows: AsyncIterable<Row>) => {
    const path = `data/${name}.csv`;
    const entry = new PassThrough();
    const hash = createHash("sha256");
    let bytes = 0;
    entry.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    archive.append(entry, { name: path, date: now });
    await writeRows(rows, columns, "csv", entry);
    entry.end();
    await once(entry, "end");
    const sha256 = hash.digest("hex");
    sums.push(`${sha256}  ${path}`);
    resources.push({
      name,
      path,
      profile: "tabular-data-resource",
      title: name,
      description,
      format: "csv",
      mediatype: "text/csv",
      encoding: "utf-8",
      bytes,
      hash: `sha256:${sha256}`,
      dialect: { delimiter: ",", lineTerminator: "\r\n", header: true },
      schema: { fields: columns.map(tableSchemaField) },
    });
  };
  const build = async () => {
    for (const view of VIEW_NAMES) {
      const definition = VIEW_EXPORTS[view];
      async function* allCounties() {
        let county = "every county";
        try {
          if (definition.municipalityPaging) {
            // Paged by municipality across counties: one run for all of them.
            yield* viewRows(execute, view, { countyCodes: counties.map((c) => c.code) }, false);
            return;
          }
          for (const { code } of counties) {
            county = `county ${code}`;
            yield* viewRows(execute, view, bundleVariables(view, code, today), false);
          }
        } catch (error) {
          throw new Error(`${view} of ${county}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      await table(view, definition.row, openDataColumns(definition), allCounties());
    }
    // The alerts export (alerts.ts), county by county like the views: no person, no contact columns.
    async function* alertsOfAllCounties() {
      for (const { code } of counties) {
        try {
          yield* alertsExportRows(execute, bundleAlertsVariables(code, today));
        } catch (error) {
          throw new Error(`alerts of county ${code}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    await table("alerts", ALERTS_ROW, openDataColumns({ columns: ALERT_COLUMNS }), alertsOfAllCounties());
    const descriptor = {
      profile: "tabular-data-package",
      name: "yhdyspinta-open-data",
      title: "Yhdyspinta: cooperation structures of the Finnish wellbeing services counties",
      description:
        "The dashboard views of every county as flat tables: partnership groups by municipality, coverage matrix, nomination status, meeting calendar, representation and plan follow-up; and the alerts of every county for the coming year (vacant seats, deputies without a member, closing nomination rounds, ending memberships and group terms). No personal data: no person's id, name, title or contacts.",
      version: "1.0.0",
      created: now.toISOString(),
      licenses: [{ name: "CC-BY-4.0", title: "Creative Commons Attribution 4.0", path: "https://creativecommons.org/licenses/by/4.0/" }],
      sources: [
        { title: "Yhdyspinta GraphQL API: committed views in views/ and the alerts export's groupAlerts operation, run per county" },
        { title: "Statistics Finland: municipalities and wellbeing services counties classification", path: "https://stat.fi/en/luokitukset" },
        { title: "Wellbeing services counties' published decisions and cooperation agreements (source documents of the seeded records)" },
      ],
      resources,
    };
    archive.append(`${JSON.stringify(descriptor, null, 2)}\n`, { name: "datapackage.json", date: now });
    archive.append(`${sums.join("\n")}\n`, { name: "SHA256SUMS", date: now });
    await archive.finalize();
    await finished;
  };
  try {
    await Promise.race([build(), failed]);
  } catch (error) {
    // No datapackage.json or SHA256SUMS is written for an incomplete bundle, and
    // no ZIP central directory: the caller cuts the response off (routes.ts).
    archive.abort();
    throw error;
  }
}
