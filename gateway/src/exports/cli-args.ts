/**
 * The arguments of `pnpm export` (cli.ts), read and checked without a
 * request: what to ask the gateway, or why not (the message cli.ts prints
 * before exiting 2). Pure but for `gatewayUrl`, which cli.ts backs with
 * readConfig (it exits on a bad environment): it is read once the command
 * names a single export, as the CLI always has.
 */
import { parseArgs } from "node:util";
import { parseKnownAt } from "@yhdyspinta/core";
import { VIEW_NAMES, viewDocument, type ViewName } from "@yhdyspinta/views";
import { HttpRouteError } from "../http-routes.ts";
import { ALERTS_EXPORT } from "./alerts.ts";
import { FORMAT_PARAMETERS, variableSpecs, variablesFromJson } from "./variables.ts";

const alertsVariables = variableSpecs(ALERTS_EXPORT).map((s) => s.name).join(", ");
export const usage = `usage: pnpm export <view>|alerts --vars '{"countyCode":"14"}' [--format csv|json] [--excel] [--known-at <instant>] [--out file]
       pnpm export open-data --out <file>.zip
views: ${VIEW_NAMES.join(", ")}
alerts: the alerts of groupAlerts, one row per alert (vars: ${alertsVariables})
open-data: every view and the alerts of every county as one ZIP (--out required)
--known-at: the register as it stood at that instant, e.g. 2026-03-01T12:00:00Z (the knownAt parameter)
env: GATEWAY_URL (default http://127.0.0.1:4000/), YHDYSPINTA_TOKEN (bearer token, optional)`;

/** An export to ask for: `path` (with its query) relative to `base`, written to `out` or, without it, to stdout. */
export interface ExportRequest {
  base: string;
  path: string;
  out: string | undefined;
}

/**
 * The request `pnpm export <args>` makes, or the message it refuses them
 * with. `args` are the command's own (process.argv without node and the
 * script); a `--` pnpm passes on is ignored. An option parseArgs does not
 * know throws its TypeError, as it always has.
 */
export function exportRequest(args: readonly string[], gatewayUrl: () => string): ExportRequest | { error: string } {
  const { values, positionals } = parseArgs({
    args: args.filter((a) => a !== "--"),
    allowPositionals: true,
    options: {
      // No defaults for these three: open-data refuses them when given at all.
      vars: { type: "string" },
      format: { type: "string" },
      excel: { type: "boolean" },
      "known-at": { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help || positionals.length !== 1) return { error: usage };
  const name = positionals[0]!;
  const base = gatewayUrl();
  const request = (path: string): ExportRequest => ({ base, path, out: values.out });
  if (name === "open-data") {
    if (!values.out) return { error: "open-data is a ZIP: give --out <file>.zip" };
    if (values["known-at"] !== undefined) return { error: "--known-at applies to a view or the alerts: the open-data bundle is always the register as it is now" };
    // The bundle's contents are fixed, so these would be ignored without a word.
    const given = [values.vars !== undefined && "--vars", values.format !== undefined && "--format", values.excel !== undefined && "--excel"].filter(
      (flag): flag is string => flag !== false,
    );
    if (given.length > 0) {
      return {
        error:
          `${given.join(", ")} ${given.length === 1 ? "applies" : "apply"} to a view or the alerts: the open-data bundle's contents are fixed ` +
          "(every view and the alerts of every county, as comma-separated CSV, with datapackage.json); give only --out <file>.zip",
      };
    }
    return request("exports/open-data.zip");
  }
  // The variables are checked against the export's own operation: the view's document, or AlertsExport.
  let document: string;
  if (name === "alerts") document = ALERTS_EXPORT;
  else if ((VIEW_NAMES as readonly string[]).includes(name)) document = viewDocument(name as ViewName);
  else return { error: `Unknown export "${name}".\n${usage}` };
  const format = values.format ?? "csv";
  if (format !== "csv" && format !== "json") return { error: `--format must be csv or json, got "${values.format}"` };
  if (values.excel && format !== "csv") return { error: "--excel is a CSV variant: leave it out with --format json" };
  let json: unknown;
  try {
    json = JSON.parse(values.vars ?? "{}");
  } catch {
    return { error: `--vars is not valid JSON: ${values.vars}` };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { error: "--vars must be a JSON object" };
  // The URL's `excel` and `knownAt` are flags here: inside --vars they would reach the gateway unchecked.
  const flagOf: Record<string, string> = { excel: "--excel", knownAt: "--known-at <instant>" };
  for (const key of Object.keys(json)) {
    if (FORMAT_PARAMETERS.has(key)) {
      return { error: `"${key}" is not a variable of ${name} but an option of the export: give ${flagOf[key] ?? `--${key}`} instead of putting it in --vars` };
    }
  }
  let params: URLSearchParams;
  try {
    params = variablesFromJson(document, json as Record<string, unknown>);
  } catch (error) {
    return { error: error instanceof HttpRouteError ? error.message : String(error) };
  }
  if (values.excel) params.set("excel", "true");
  const knownAt = values["known-at"];
  if (knownAt !== undefined) {
    // The gateway's own rule: an ISO 8601 instant with its offset, not in the future.
    try {
      parseKnownAt(knownAt);
    } catch (error) {
      // BAD_USER_INPUT with its reason, as the gateway's 400 would say it.
      const reason = (error as { extensions?: { reason?: unknown } }).extensions?.reason ?? (error instanceof Error ? error.message : String(error));
      return { error: `Invalid value for "knownAt" (--known-at): ${String(reason)}, got "${knownAt}"` };
    }
    params.set("knownAt", knownAt);
  }
  const query = params.toString();
  return request(`exports/${name}.${format}${query ? `?${query}` : ""}`);
}
