import { type ChildProcess, spawn } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { freePort, makeTempDir, startEmbeddedPostgres, withDatabase } from "@yhdyspinta/core";
import { startStack } from "@yhdyspinta/stack";
import { VIEW_NAMES, type ViewName, viewDocument } from "../../views/index.ts";
import { generateDataset } from "./generate.ts";
import { type LoadResult, runLoad } from "./load.ts";

/**
 * `pnpm bench`: every dashboard view under fixed-concurrency load, through
 * our gateway, through Hive Gateway on the same supergraph file (inbound
 * deduplication off and on), and as one hand-written SQL query + JSON (the
 * lower bound), all in one run on the same full-Finland synthetic dataset.
 * Prints requests/s and latency percentiles, and ratios against the lower
 * bound and against our gateway.
 *
 * Environment: BENCH_SECONDS (per target and view, default 10),
 * BENCH_CONNECTIONS (default 8), BENCH_SCALE (default "finland"; a number
 * gives the smaller per-county shape), BENCH_VIEWS (comma-separated subset).
 */
const seconds = Number(process.env["BENCH_SECONDS"] ?? 10);
const connections = Number(process.env["BENCH_CONNECTIONS"] ?? 8);
const scaleEnv = process.env["BENCH_SCALE"] ?? "finland";
const scale: number | "finland" = scaleEnv === "finland" ? "finland" : Number(scaleEnv);
const views = (process.env["BENCH_VIEWS"]?.split(",") ?? VIEW_NAMES) as ViewName[];
const root = fileURLToPath(new URL("../../", import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;

const COUNTIES = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "90"];
// Days within the synthetic council term (memberships start 2025-06-01).
const DAYS = ["2025-09-01", "2025-12-15", "2026-02-01", "2026-04-30", "2026-06-15"];

/** Variables per view: many different requests, so no gateway answers from an identical in-flight one. */
function variableSets(view: ViewName): Record<string, unknown>[] {
  const sets: Record<string, unknown>[] = [];
  COUNTIES.forEach((code, i) => {
    const day = DAYS[i % DAYS.length]!;
    switch (view) {
      case "partnership-groups-by-municipality":
        sets.push({ countyCodes: [code, COUNTIES[(i + 1) % COUNTIES.length]], activeOn: day });
        break;
      case "coverage-matrix":
        sets.push({ countyCode: code });
        break;
      case "nomination-status":
        sets.push({ countyCode: code, closedSince: DAYS[(i + 1) % 3] });
        break;
      case "meeting-calendar":
        sets.push({ countyCode: code, from: day, to: `${Number(day.slice(0, 4)) + 1}${day.slice(4)}` });
        break;
      case "representation":
        sets.push({ countyCode: code, activeOn: day });
        break;
      case "plan-follow-up":
        sets.push({ countyCode: code });
        break;
    }
  });
  return sets;
}

function spawnReady(args: string[], label: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ["--conditions=development", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (/ready at/.test(output)) resolve(child);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`${label} exited (${code}): ${output.slice(-2000)}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5000).unref();
  });
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`yhdyspinta benchmark — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`load: ${connections} connections, ${seconds} s per view and target; dataset scale: ${scale}`);

  // One throw-away PostgreSQL; all three services share one database here so
  // that the lower bound can answer each view with a single SQL query.
  const dir = await makeTempDir("yhdyspinta-bench-");
  const postgres = await startEmbeddedPostgres({ dataDir: `${dir}/data`, persistent: false, fast: true });
  const database = withDatabase(postgres.url, "bench");
  const children: ChildProcess[] = [];
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  try {
    stack = await startStack({
      databaseUrl: database,
      log: () => {},
      env: { ORGANISATIONS_DATABASE_URL: database, GROUPS_DATABASE_URL: database, PLANNING_DATABASE_URL: database },
    });
    const t0 = Date.now();
    const counts = await generateDataset(
      { organisations: database, groups: database, planning: database },
      { seed: 42, scale },
    );
    console.log(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    await client.query("vacuum analyze");
    const year = Number((await client.query<{ y: number }>("select max(year) as y from municipality")).rows[0]!.y);
    await client.end();

    const hivePorts = { off: await freePort(), on: await freePort() };
    const referencePort = await freePort();
    const overrides = Object.entries(stack.subgraphUrls).map(([name, url]) => `${name}=${url}`);
    for (const mode of ["off", "on"] as const) {
      children.push(await spawnReady(["bench/src/hive-gateway.ts", `${root}schema/supergraph.graphql`, String(hivePorts[mode]), mode, ...overrides], `hive ${mode}`));
    }
    children.push(await spawnReady(["bench/src/reference-server.ts", database, String(referencePort), String(year)], "reference"));

    const targets: { name: string; url: (view: ViewName) => string; graphql: boolean }[] = [
      { name: "SQL+JSON (lower bound)", url: (v) => `http://127.0.0.1:${referencePort}/${v}`, graphql: false },
      { name: "@apollo/gateway (ours)", url: () => stack!.gatewayUrl, graphql: true },
      { name: "Hive Gateway, dedupe off", url: () => `http://127.0.0.1:${hivePorts.off}/graphql`, graphql: true },
      { name: "Hive Gateway, dedupe on", url: () => `http://127.0.0.1:${hivePorts.on}/graphql`, graphql: true },
    ];

    const rows: string[] = [];
    for (const view of views) {
      const document = viewDocument(view);
      const bodies = (graphql: boolean) =>
        variableSets(view).map((variables) => JSON.stringify(graphql ? { query: document, variables } : { variables }));
      // Check every target answers without errors before measuring it.
      for (const target of targets) {
        const res = await fetch(target.url(view), { method: "POST", headers: { "content-type": "application/json" }, body: bodies(target.graphql)[0] });
        const json = (await res.json()) as { errors?: { message: string }[] };
        if (!res.ok || json.errors) throw new Error(`${target.name} failed ${view}: ${JSON.stringify(json.errors ?? res.status)}`);
      }
      const results: Record<string, LoadResult> = {};
      for (const target of targets) {
        await runLoad(target.url(view), bodies(target.graphql), { connections, seconds: Math.min(2, seconds) }); // warm-up
        results[target.name] = await runLoad(target.url(view), bodies(target.graphql), { connections, seconds });
      }
      const lower = results[targets[0]!.name]!;
      const ours = results[targets[1]!.name]!;
      console.log(`\n${view}`);
      console.log(`  ${"target".padEnd(26)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"÷ SQL".padStart(7)} ${"÷ ours".padStart(7)} errors`);
      for (const target of targets) {
        const r = results[target.name]!;
        const line = `  ${target.name.padEnd(26)} ${fmt(r.rps).padStart(8)} ${fmt(r.p50, 0).padStart(8)} ${fmt(r.p95, 0).padStart(8)} ${fmt(r.p99, 0).padStart(8)} ${fmt(r.rps / lower.rps, 2).padStart(7)} ${fmt(r.rps / ours.rps, 2).padStart(7)} ${r.errors + r.non2xx}`;
        console.log(line);
        rows.push(`| ${view} | ${target.name} | ${fmt(r.rps)} | ${fmt(r.p50, 0)} | ${fmt(r.p95, 0)} | ${fmt(r.p99, 0)} | ${fmt(r.rps / lower.rps, 2)} | ${fmt(r.rps / ours.rps, 2)} |`);
      }
    }
    console.log("\nMarkdown:\n| view | target | req/s | p50 ms | p95 ms | p99 ms | ÷ SQL | ÷ ours |\n|---|---|---|---|---|---|---|---|");
    console.log(rows.join("\n"));
    console.log(`\ntotal time ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    for (const child of children) await stopChild(child);
    await stack?.stop();
    await postgres.stop();
  }
}

await main();
