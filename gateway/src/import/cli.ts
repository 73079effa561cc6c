/**
 * `pnpm run import <kind> <file> [--apply]` and `pnpm run import <kind> --template [--guide]`
 * (`pnpm import` alone is pnpm's own lockfile command)
 *
 * Posts a CSV or XLSX file to a running gateway's `/import/<kind>` (GATEWAY_URL,
 * default http://127.0.0.1:4000/) as the caller of YHDYSPINTA_TOKEN (a
 * coordinator's or admin's bearer token with data:write): the same code path
 * as the HTTP route. Prints the report (a dry run unless --apply) as JSON.
 * Exits 0 when the file was applied (or a clean dry run), 1 when rows were
 * refused or the file was, 2 for bad usage.
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { readConfig } from "@yhdyspinta/core/config";
import { IMPORT_KIND_NAMES, isImportKind } from "./kinds.ts";

const usage = `usage: pnpm run import <kind> <file.csv|file.xlsx> [--apply]
       pnpm run import <kind> --template [--guide] > template.csv
kinds: ${IMPORT_KIND_NAMES.join(", ")}
env: GATEWAY_URL (default http://127.0.0.1:4000/), YHDYSPINTA_TOKEN (coordinator's or admin's bearer token)`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  allowPositionals: true,
  options: {
    apply: { type: "boolean", default: false },
    template: { type: "boolean", default: false },
    guide: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
const [kind, file] = positionals;
if (values.help || !kind) fail(usage);
if (!isImportKind(kind)) fail(`Unknown kind "${kind}".\n${usage}`);
const base = readConfig().gatewayUrl;
if (values.template) {
  const res = await fetch(new URL(`import/templates/${kind}.${values.guide ? "txt" : "csv"}`, base));
  process.stdout.write(Buffer.from(await res.arrayBuffer()));
  process.exit(res.ok ? 0 : 1);
}
if (!file || positionals.length !== 2) fail(usage);
let content: Buffer;
try {
  content = await readFile(file);
} catch {
  fail(`Cannot read ${file}`);
}
const url = new URL(`import/${kind}`, base);
url.searchParams.set("file", basename(file));
if (values.apply) url.searchParams.set("apply", "true");
const token = process.env["YHDYSPINTA_TOKEN"];
const res = await fetch(url, {
  method: "POST",
  headers: { "content-type": "text/csv", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: new Uint8Array(content),
});
const report = (await res.json()) as { counts?: Record<string, number>; applied?: boolean; error?: string };
console.log(JSON.stringify(report, null, 2));
if (report.counts) {
  console.error(`${values.apply ? (report.applied ? "applied" : "NOT applied") : "dry run"}: ${Object.entries(report.counts).map(([k, n]) => `${n} ${k}`).join(", ")}`);
}
process.exit(res.ok ? 0 : 1);
