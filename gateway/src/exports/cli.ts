/**
 * `pnpm export <view>|alerts --vars '{"countyCode":"14"}' --format csv|json [--excel] [--known-at instant] [--out file]`
 * `pnpm export open-data --out bundle.zip`
 *
 * Streams a view's export (or the alerts export, alerts.ts, or the open-data
 * ZIP) from a running gateway (GATEWAY_URL, default
 * http://127.0.0.1:4000/) to stdout or a file, as the caller of
 * YHDYSPINTA_TOKEN (a bearer token; without it, anonymously). Variables are
 * checked here first, so a typo fails before any request; so is `--known-at`,
 * by the gateway's own rule (parseKnownAt). `--vars` holds the export's
 * variables only: `excel` and `knownAt`, which steer the export rather than
 * the view, are the flags `--excel` and `--known-at` and refused inside
 * `--vars`. `open-data` takes only `--out`: the bundle's contents are fixed,
 * so `--vars`, `--format`, `--excel` and `--known-at` are refused for it.
 * Exits 0 only when the whole export arrived; 1 when the gateway cut it off,
 * 2 for bad usage or an error status (its message printed, not its JSON).
 */
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { parseKnownAt } from "@yhdyspinta/core";
import { readConfig } from "@yhdyspinta/core/config";
import { VIEW_NAMES, viewDocument, type ViewName } from "@yhdyspinta/views";
import { HttpRouteError } from "../http-routes.ts";
import { ALERTS_EXPORT } from "./alerts.ts";
import { FORMAT_PARAMETERS, variableSpecs, variablesFromJson } from "./variables.ts";

const alertsVariables = variableSpecs(ALERTS_EXPORT).map((s) => s.name).join(", ");
const usage = `usage: pnpm export <view>|alerts --vars '{"countyCode":"14"}' [--format csv|json] [--excel] [--known-at <instant>] [--out file]
       pnpm export open-data --out <file>.zip
views: ${VIEW_NAMES.join(", ")}
alerts: the alerts of groupAlerts, one row per alert (vars: ${alertsVariables})
open-data: every view and the alerts of every county as one ZIP (--out required)
--known-at: the register as it stood at that instant, e.g. 2026-03-01T12:00:00Z (the knownAt parameter)
env: GATEWAY_URL (default http://127.0.0.1:4000/), YHDYSPINTA_TOKEN (bearer token, optional)`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/**
 * The message of an error answer: the gateway answers `{"error": "…"}` (the
 * message names the parameter at fault); anything else (a proxy's page) is
 * shown as it came, shortened.
 */
function errorMessage(body: string): string {
  try {
    const json = JSON.parse(body) as { error?: unknown };
    if (typeof json.error === "string") return json.error;
  } catch {
    // Not JSON: shown as text below.
  }
  const text = body.trim();
  return text === "" ? "(no message)" : text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

const { values, positionals } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
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
if (values.help || positionals.length !== 1) fail(usage);
const name = positionals[0]!;
const base = readConfig().gatewayUrl;
let path: string;
if (name === "open-data") {
  if (!values.out) fail("open-data is a ZIP: give --out <file>.zip");
  if (values["known-at"] !== undefined) fail("--known-at applies to a view or the alerts: the open-data bundle is always the register as it is now");
  // The bundle's contents are fixed, so these would be ignored without a word.
  const given = [values.vars !== undefined && "--vars", values.format !== undefined && "--format", values.excel !== undefined && "--excel"].filter(
    (flag): flag is string => flag !== false,
  );
  if (given.length > 0) {
    fail(
      `${given.join(", ")} ${given.length === 1 ? "applies" : "apply"} to a view or the alerts: the open-data bundle's contents are fixed ` +
        "(every view and the alerts of every county, as comma-separated CSV, with datapackage.json); give only --out <file>.zip",
    );
  }
  path = "exports/open-data.zip";
} else {
  // The variables are checked against the export's own operation: the view's document, or AlertsExport.
  let document: string;
  if (name === "alerts") document = ALERTS_EXPORT;
  else if ((VIEW_NAMES as readonly string[]).includes(name)) document = viewDocument(name as ViewName);
  else fail(`Unknown export "${name}".\n${usage}`);
  const format = values.format ?? "csv";
  if (format !== "csv" && format !== "json") fail(`--format must be csv or json, got "${values.format}"`);
  if (values.excel && format !== "csv") fail("--excel is a CSV variant: leave it out with --format json");
  let json: unknown;
  try {
    json = JSON.parse(values.vars ?? "{}");
  } catch {
    fail(`--vars is not valid JSON: ${values.vars}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail("--vars must be a JSON object");
  // The URL's `excel` and `knownAt` are flags here: inside --vars they would reach the gateway unchecked.
  const flagOf: Record<string, string> = { excel: "--excel", knownAt: "--known-at <instant>" };
  for (const key of Object.keys(json)) {
    if (FORMAT_PARAMETERS.has(key)) fail(`"${key}" is not a variable of ${name} but an option of the export: give ${flagOf[key] ?? `--${key}`} instead of putting it in --vars`);
  }
  let params: URLSearchParams;
  try {
    params = variablesFromJson(document, json as Record<string, unknown>);
  } catch (error) {
    fail(error instanceof HttpRouteError ? error.message : String(error));
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
      fail(`Invalid value for "knownAt" (--known-at): ${String(reason)}, got "${knownAt}"`);
    }
    params.set("knownAt", knownAt);
  }
  const query = params.toString();
  path = `exports/${name}.${format}${query ? `?${query}` : ""}`;
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const token = process.env["YHDYSPINTA_TOKEN"];
const response = await fetch(new URL(path, base), { headers: token ? { authorization: `Bearer ${token}` } : {} }).catch(
  (error: unknown) => fail(`Cannot reach the gateway at ${base}: ${error instanceof Error ? error.message : String(error)}`),
);
if (!response.ok || !response.body) {
  fail(`The gateway answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}: ${errorMessage(await response.text())}`);
}
// A file is written under a temporary name and only renamed once the whole
// export has arrived: an export the gateway cuts off (a failed page) leaves no
// file that looks complete, and the command exits 1.
const partial = values.out ? `${values.out}.part` : undefined;
try {
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), partial ? createWriteStream(partial) : process.stdout);
  if (partial) await rename(partial, values.out!);
} catch (error) {
  if (partial) await rm(partial, { force: true });
  console.error(
    `The export is incomplete: the transfer broke off (${error instanceof Error ? error.message : String(error)}).` +
      (partial ? ` Nothing was written to ${values.out}.` : "") +
      " The gateway's log names the failure.",
  );
  process.exit(1);
}
