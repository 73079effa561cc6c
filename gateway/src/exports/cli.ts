/**
 * `pnpm export <view>|alerts --vars '{"countyCode":"14"}' --format csv|json [--excel] [--known-at instant] [--out file]`
 * `pnpm export open-data --out bundle.zip`
 *
 * Streams a view's export (or the alerts export, alerts.ts, or the open-data
 * ZIP) from a running gateway (GATEWAY_URL, default
 * http://127.0.0.1:4000/) to stdout or a file, as the caller of
 * YHDYSPINTA_TOKEN (a bearer token; without it, anonymously). The arguments
 * are checked first (cli-args.ts), so a typo fails before any request;
 * `--known-at` is checked by the gateway's own rule (parseKnownAt). `--vars`
 * holds the export's variables only: `excel` and `knownAt`, which steer the
 * export rather than the view, are the flags `--excel` and `--known-at` and
 * refused inside `--vars`. `open-data` takes only `--out`: the bundle's
 * contents are fixed, so `--vars`, `--format`, `--excel` and `--known-at` are
 * refused for it.
 * Exits 0 only when the whole export arrived; 1 when the gateway cut it off,
 * 2 for bad usage or an error status (its message printed, not its JSON).
 */
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { pipeline } from "node:stream/promises";
import { readConfig } from "@yhdyspinta/core/config";
import { exportRequest } from "./cli-args.ts";

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

// The arguments are read and checked in cli-args.ts; the gateway's URL is read once they name one export.
const request = exportRequest(process.argv.slice(2), () => readConfig().gatewayUrl);
if ("error" in request) fail(request.error);
const { base, path, out } = request;

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
const partial = out ? `${out}.part` : undefined;
try {
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), partial ? createWriteStream(partial) : process.stdout);
  if (partial) await rename(partial, out!);
} catch (error) {
  if (partial) await rm(partial, { force: true });
  console.error(
    `The export is incomplete: the transfer broke off (${error instanceof Error ? error.message : String(error)}).` +
      (partial ? ` Nothing was written to ${out}.` : "") +
      " The gateway's log names the failure.",
  );
  process.exit(1);
}
