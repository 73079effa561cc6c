/**
 * `pnpm --filter @yhdyspinta/bench import-bench -- --rows 10000 [--apply]`
 *
 * Bulk import benchmark (docs/IMPORT.md): generates an organisations CSV of
 * `--rows` rows for one county (names `Tuontikoe <run> <n>`, no business
 * IDs: an invented Y-tunnus could be a real company's), posts it to a
 * running gateway's `/import/organisations` (GATEWAY_URL, YHDYSPINTA_TOKEN:
 * a coordinator's token for the county) as a dry run (or `--apply`), and
 * prints rows/s and the peak resident memory of the gateway and the
 * organisations subgraph, sampled from their `/metrics` every 250 ms
 * (ORGANISATIONS_URL, default http://127.0.0.1:4001/). The 100,000-row run
 * is for a release, not for every change.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    rows: { type: "string", default: "10000" },
    county: { type: "string", default: "14" },
    apply: { type: "boolean", default: false },
  },
});
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 1 || rows > 100_000) throw new Error("--rows: 1–100000");
const gateway = process.env["GATEWAY_URL"] ?? "http://127.0.0.1:4000/";
const organisations = process.env["ORGANISATIONS_URL"] ?? "http://127.0.0.1:4001/";
const token = process.env["YHDYSPINTA_TOKEN"];

const run = randomBytes(3).toString("hex");
const lines = ["Nimi;Tyyppi;Hyvinvointialue;Kunnat;Verkkosivu"];
for (let i = 0; i < rows; i++) lines.push(`Tuontikoe ${run} ${i};association;${values.county};;https://tuontikoe-${run}-${i}.example.invalid`);
const file = Buffer.from(`${lines.join("\r\n")}\r\n`, "utf8");

async function residentBytes(base: string): Promise<number | null> {
  try {
    const text = await (await fetch(new URL("metrics", base))).text();
    const line = text.split("\n").find((l) => l.startsWith("process_resident_memory_bytes"));
    return line ? Number(line.trim().split(/\s+/).at(-1)) : null;
  } catch {
    return null;
  }
}

const peaks: Record<string, number> = {};
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    for (const [name, base] of [["gateway", gateway], ["organisations", organisations]] as const) {
      const bytes = await residentBytes(base);
      if (bytes !== null) peaks[name] = Math.max(peaks[name] ?? 0, bytes);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
})();

const url = new URL("import/organisations", gateway);
url.searchParams.set("file", `tuontikoe-${rows}.csv`);
if (values.apply) url.searchParams.set("apply", "true");
const began = performance.now();
const res = await fetch(url, { method: "POST", headers: { "content-type": "text/csv", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: new Uint8Array(file) });
const report = (await res.json()) as { counts?: Record<string, number>; error?: string };
const seconds = (performance.now() - began) / 1000;
sampling = false;
await sampler;
console.log(
  JSON.stringify(
    {
      rows,
      bytes: file.length,
      apply: values.apply,
      status: res.status,
      counts: report.counts ?? report.error,
      seconds: Number(seconds.toFixed(1)),
      rowsPerSecond: Math.round(rows / seconds),
      peakResidentMiB: Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, Math.round(v / 1024 / 1024)])),
    },
    null,
    2,
  ),
);
