/**
 * Deployment figures on a throw-away full-Finland stack (the README's
 * "Deploying" section):
 *  1. the county dashboard in real Chromium: time to the rendered coverage
 *     matrix (and to every section) for the largest county;
 *  2. peak RSS of the gateway while it streams a full-Finland export of every
 *     view and the open-data ZIP (VmHWM, reset before each export);
 *  3. one replica of the groups subgraph against two (each at half the
 *     connections, as a Service would spread them): req/s and CPU.
 * `pnpm --filter @yhdyspinta/bench measure:deploy [--scale finland|<n>] [--seconds 10] [--connections 8] [--parts dashboard,exports,replicas]`
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { anonymousViewer, databaseName, freePort, signViewer, VIEWER_HEADER, withDatabase } from "@yhdyspinta/core";
import { graphqlRequest } from "@yhdyspinta/core/testing";
import { startStack } from "../../packages/stack/src/index.ts";
import { cpuByRole, cpuDelta } from "./cpu.ts";
import { viewDocument } from "../../views/index.ts";
import { generateDataset } from "./generate.ts";
import { runLoad } from "./load.ts";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    scale: { type: "string", default: "finland" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "8" },
    /** Leave out the dashboard part (1). */
    "skip-dashboard": { type: "boolean", default: false },
    /** The parts to run, comma-separated (default all). */
    parts: { type: "string", default: "dashboard,exports,replicas" },
    /** Dashboard loads in Chromium (the first is cold). */
    runs: { type: "string", default: "3" },
  },
});
const parts = new Set(values.parts.split(",").map((p) => p.trim()));
if (values["skip-dashboard"]) parts.delete("dashboard");
const root = fileURLToPath(new URL("../../", import.meta.url));
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const internalSecret = randomBytes(32).toString("hex");
const load = () => loadavg().map((n) => n.toFixed(2)).join(" ");
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;

console.log(`yhdyspinta deployment figures — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`machine load average (1, 5, 15 min) at start: ${load()}`);

/** Direct children of this process, by working directory (the stack runs each package in its own folder). */
function childPid(cwdSuffix: string): number {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === process.pid && readlinkSync(`/proc/${entry}/cwd`).endsWith(cwdSuffix)) return Number(entry);
    } catch {
      // ended meanwhile
    }
  }
  throw new Error(`no child process in *${cwdSuffix}`);
}
const status = (pid: number, field: "VmHWM" | "VmRSS") => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);

const scale = values.scale === "finland" ? "finland" : Number(values.scale);
// The stack's error lines, printed after an export that broke off (they name the failure).
const errorLines: string[] = [];
const stack = await startStack({
  ephemeral: true,
  ports: { gateway: 0, organisations: 0, groups: 0, planning: 0 },
  internalAuthSecret: internalSecret,
  log: (source, line) => void (/"level":"(error|warn)"/.test(line) && errorLines.push(`[${source}] ${line}`)),
});
const extra: ChildProcess[] = [];
try {
  const db = (name: string) => withDatabase(stack.databaseUrl, `${databaseName(stack.databaseUrl)}_${name}`);
  const generated = await generateDataset({ organisations: db("organisations"), groups: db("groups"), planning: db("planning") }, { seed: 42, scale });
  const rows = Object.values(generated.counts).reduce((sum, t) => sum + Object.values(t).reduce((a, b) => a + b, 0), 0);
  console.log(`dataset: ${scale}, ${rows} rows in ${(generated.millis / 1000).toFixed(1)} s`);

  const counties = await graphqlRequest<{ counties: { code: string; nameFi: string; municipalities: { code: string }[] }[] }>(
    stack.gatewayUrl,
    "{ counties { code nameFi municipalities { code } } }",
  );
  const all = counties.data!.counties;
  const largest = all.toSorted((a, b) => b.municipalities.length - a.municipalities.length)[0]!;
  console.log(`largest county: ${largest.code} ${largest.nameFi}, ${largest.municipalities.length} municipalities`);

  // ---- 1. dashboard in Chromium
  if (parts.has("dashboard")) {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] });
    try {
      const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "fi-FI", timezoneId: "Europe/Helsinki" })).newPage();
      // The view itself, outside the browser, to tell the page's share from the API's.
      const view = async (document: string, variables: Record<string, unknown>) => {
        const started = performance.now();
        const res = await graphqlRequest(stack.gatewayUrl, document, variables);
        return `${(performance.now() - started).toFixed(0)} ms${res.errors ? ` (errors: ${res.errors.map((e) => e.message).join("; ").slice(0, 200)})` : ""}`;
      };
      // The dashboard's requests with its own variables (packages/web/browser/dashboard/main.ts), one at a time.
      const year = new Date().getUTCFullYear();
      const today = new Date().toISOString().slice(0, 10);
      const c = largest.code;
      const dashboardRequests: [string, string, Record<string, unknown>][] = [
        ["coverage-matrix", viewDocument("coverage-matrix"), { countyCode: c, activeOn: today }],
        ["areas query", "query($c: ID!) { areas(countyCode: $c) { id name municipalities { code } } }", { c }],
        ["nomination-status", viewDocument("nomination-status"), { countyCode: c, closedSince: `${year - 1}-01-01` }],
        ["meeting-calendar", viewDocument("meeting-calendar"), { countyCode: c, from: `${year - 1}-01-01`, to: `${year + 1}-12-31` }],
        ["representation", viewDocument("representation"), { countyCode: c, activeOn: today }],
        ["plan-follow-up", viewDocument("plan-follow-up"), { countyCode: c }],
      ];
      for (const [name, document, variables] of dashboardRequests) {
        console.log(`${name} for ${c} through the gateway: ${await view(document, variables)}; load ${load()}`);
      }
      for (let run = 1; run <= Number(values.runs); run++) {
        const started = performance.now();
        await page.goto(`${stack.gatewayUrl}dashboard/?county=${largest.code}`);
        await page.locator('#kattavuus .section-body[aria-busy="false"]').waitFor({ timeout: 300_000 });
        const matrix = performance.now() - started;
        const failure = await page.locator("#kattavuus .error").textContent({ timeout: 1 }).catch(() => null);
        const columns = await page.locator('#coverage-matrix thead th[scope="col"]').count();
        await page.locator(`body[data-loaded="${largest.code}"]`).waitFor({ timeout: 300_000 });
        const all = performance.now() - started;
        // The page marks each section as it is drawn, in ms since navigation start.
        const marks = await page.evaluate(() =>
          performance
            .getEntriesByType("mark")
            .filter((m) => m.name.startsWith("dashboard:"))
            .map((m) => `${m.name.slice("dashboard:".length)} ${m.startTime.toFixed(0)}`),
        );
        console.log(
          `dashboard ${largest.code} in Chromium, run ${run}${run === 1 ? " (cold)" : ""}: ` +
            (failure ? `coverage section failed after ${matrix.toFixed(0)} ms (${failure.slice(0, 160)})` : `matrix of ${columns} municipalities rendered in ${matrix.toFixed(0)} ms`) +
            `; every section in ${all.toFixed(0)} ms; sections drawn at (ms since navigation start) ${marks.join(", ")}; load ${load()}`,
        );
        await page.goto("about:blank");
      }
    } finally {
      await browser.close();
    }
  }

  // ---- 2. export memory
  if (parts.has("exports")) {
    const gatewayPid = childPid("/gateway");
    console.log(`gateway RSS at rest: ${mib(status(gatewayPid, "VmRSS"))}`);
    const today = new Date().toISOString().slice(0, 10);
    const exportsToRun: [string, string][] = [
      ["partnership-groups-by-municipality", `partnership-groups-by-municipality.csv?countyCodes=${largest.code}`],
      ["partnership-groups-by-municipality (all counties in one request)", `partnership-groups-by-municipality.csv?${all.map((c) => `countyCodes=${c.code}`).join("&")}`],
      ["coverage-matrix", `coverage-matrix.csv?countyCode=${largest.code}`],
      ["nomination-status", `nomination-status.csv?countyCode=${largest.code}&closedSince=2000-01-01`],
      ["meeting-calendar", `meeting-calendar.csv?countyCode=${largest.code}&from=2000-01-01&to=2100-12-31`],
      ["representation", `representation.csv?countyCode=${largest.code}&activeOn=${today}`],
      ["plan-follow-up", `plan-follow-up.csv?countyCode=${largest.code}`],
      ["open-data.zip (every view, every county)", "open-data.zip"],
    ];
    for (const [label, path] of exportsToRun) {
      errorLines.length = 0;
      writeFileSync(`/proc/${gatewayPid}/clear_refs`, "5"); // resets VmHWM to the current RSS
      const before = status(gatewayPid, "VmRSS");
      const started = performance.now();
      const response = await fetch(`${stack.gatewayUrl}exports/${path}`);
      let bytes = 0;
      let failed: string | undefined;
      const reader = response.body!.getReader();
      try {
        for (let part = await reader.read(); !part.done; part = await reader.read()) bytes += part.value.byteLength;
      } catch (error) {
        failed = error instanceof Error ? error.message : String(error);
      }
      const peak = status(gatewayPid, "VmHWM");
      console.log(
        `export ${label}: HTTP ${response.status}${failed ? ` cut off (${failed})` : ""}, ${(bytes / 2 ** 20).toFixed(1)} MiB in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
          `gateway RSS ${mib(before)} before, peak ${mib(peak)} (+${mib(peak - before)}); load ${load()}`,
      );
      if (failed) for (const line of errorLines.slice(-5)) console.log(`  ${line.slice(0, 400)}`);
    }
  }

  // ---- 3. one groups replica against two
  if (parts.has("replicas")) {
    const port = await freePort();
    const second = spawn(process.execPath, ["dist/main.js"], {
      cwd: `${root}services/groups`,
      env: { ...process.env, GROUPS_DATABASE_URL: db("groups"), GROUPS_PORT: String(port), INTERNAL_AUTH_SECRET: internalSecret, MIGRATE_ON_START: "false", HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    extra.push(second);
    const secondUrl = await new Promise<string>((resolve, reject) => {
      let output = "";
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /ready at (\S+)/.exec(output);
        if (match) resolve(match[1]!);
      };
      second.stdout!.on("data", onData);
      second.stderr!.on("data", onData);
      second.once("exit", (code) => reject(new Error(`second groups replica exited (${code}): ${output}`)));
    });
    const bodies = all.map((c) =>
      JSON.stringify({
        query: `query($c: ID!) { areas(countyCode: $c) { id name municipalities { code } cooperationGroups { id name kind memberships { id role } } } }`,
        variables: { c: c.code },
      }),
    );
    const headers = { [VIEWER_HEADER]: await signViewer(anonymousViewer, internalSecret) };
    const connections = Number(values.connections);
    const seconds = Number(values.seconds);
    const classify = ({ cwd }: { cwd: string }) => (cwd.endsWith("/services/groups") ? "groups" : undefined);
    const measure = async (label: string, targets: string[]) => {
      const before = cpuByRole(classify);
      const results = await Promise.all(targets.map((url) => runLoad(url, bodies, { connections: connections / targets.length, seconds, headers })));
      const cpu = cpuDelta(before, cpuByRole(classify)).get("groups") ?? 0;
      const rps = results.reduce((sum, r) => sum + r.rps, 0);
      const errors = results.reduce((sum, r) => sum + r.errors + r.non2xx, 0);
      const p95 = Math.max(...results.map((r) => r.p95));
      console.log(`${label}: ${rps.toFixed(1)} req/s, p95 ${p95.toFixed(0)} ms, ${errors} errors; groups processes ${cpu.toFixed(1)} CPU s in ${seconds} s (${((cpu / seconds) * 100).toFixed(0)} % of one core); load ${load()}`);
      return rps;
    };
    await runLoad(stack.subgraphUrls.groups, bodies, { connections, seconds: 2, headers }); // warm-up
    await runLoad(secondUrl, bodies, { connections, seconds: 2, headers });
    const one = await measure(`groups subgraph, 1 replica, ${connections} connections`, [stack.subgraphUrls.groups]);
    const two = await measure(`groups subgraph, 2 replicas, ${connections / 2} connections each`, [stack.subgraphUrls.groups, secondUrl]);
    console.log(`two replicas / one: ${(two / one).toFixed(2)} × req/s`);
  }
} finally {
  for (const child of extra) child.kill("SIGTERM");
  await Promise.all(extra.map((child) => (child.exitCode === null ? new Promise((r) => child.once("exit", r)) : undefined)));
  await stack.stop();
}
