import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { freePort, makeTempDir, startEmbeddedPostgres, withDatabase } from "@yhdyspinta/core";
import { PROCESS_NODE_FLAGS, startStack } from "../../packages/stack/src/index.ts";
import { VIEW_NAMES, type ViewName, viewDocument } from "../../views/index.ts";
import { generateDataset } from "./generate.ts";
import { variableSets } from "./view-variables.ts";
import { cpuByRole, cpuDelta } from "./cpu.ts";
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
 * BENCH_MIN_REQUESTS (default 20: a target too slow to complete that many in
 * BENCH_SECONDS is measured over exactly that many requests instead),
 * BENCH_CONNECTIONS (default 8), BENCH_ROUNDS (default 1: each target measured
 * that many times per view, in another order each round, its best round
 * reported), BENCH_SCALE (default "finland"; a number
 * gives the smaller per-county shape), BENCH_VIEWS (comma-separated subset),
 * BENCH_OURS_NODE_OPTIONS (e.g. "--max-semi-space-size=64": our compiled gateway
 * once more with these Node options, a row of its own), BENCH_DATA_DIR (a directory that keeps the database and its dataset for
 * the next run with the same scale; default: a temporary one), BENCH_TARGETS (comma-separated subset of cached, hive-off, hive-on,
 * hive-rust, apollo, hive-router; sql and ours always run). "(ours, response
 * cache)" is our gateway with GATEWAY_RESPONSE_CACHE_TTL_SECONDS on, its own
 * row: after the warm-up every answer comes from the cache. "apollo" and
 * "hive-router" add our gateway once more with that GATEWAY_ENGINE (a row of
 * its own when it is not the engine of the "(ours)" row, which is the
 * gateway's default or GATEWAY_ENGINE as exported). BENCH_CPU_PROF=<dir>: every
 * gateway, subgraph and reference process writes a V8 CPU profile into
 * <dir>/<target> when it stops (summarise with bench/src/profile-summary.ts).
 */
const seconds = Number(process.env["BENCH_SECONDS"] ?? 10);
const minRequests = Number(process.env["BENCH_MIN_REQUESTS"] ?? 20);
const targetKeys = process.env["BENCH_TARGETS"]?.split(",");
const connections = Number(process.env["BENCH_CONNECTIONS"] ?? 8);
const rounds = Math.max(1, Number(process.env["BENCH_ROUNDS"] ?? 1));
const scaleEnv = process.env["BENCH_SCALE"] ?? "finland";
const scale: number | "finland" = scaleEnv === "finland" ? "finland" : Number(scaleEnv);
const views = (process.env["BENCH_VIEWS"]?.split(",") ?? VIEW_NAMES) as ViewName[];
const root = fileURLToPath(new URL("../../", import.meta.url));
const profileDir = process.env["BENCH_CPU_PROF"];
/** NODE_OPTIONS that make a process (and its children) write a CPU profile into `<BENCH_CPU_PROF>/<name>`. */
const profiled = (name: string): NodeJS.ProcessEnv =>
  profileDir ? { NODE_OPTIONS: `${process.env["NODE_OPTIONS"] ?? ""} --cpu-prof --cpu-prof-dir=${profileDir}/${name}`.trim() } : {};
const tsx = `${root}node_modules/.bin/tsx`;


/** Runs `args` with tsx (or, with `compiled`, with this Node: args are then a compiled script and its flags). */
function spawnReady(args: string[], label: string, options: { cwd?: string; env?: NodeJS.ProcessEnv; compiled?: boolean } = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // Compiled: with the Node options every process of the product runs with (packages/stack).
    const [file, fileArgs] = options.compiled ? [process.execPath, [...PROCESS_NODE_FLAGS, ...args]] : [tsx, ["--conditions=development", ...args]];
    const child = spawn(file, fileArgs, { cwd: options.cwd ?? root, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
    // Only the tail is kept, for the error below: a gateway logs a line per request, and
    // keeping (and searching) all of it made this process, the load generator, slower
    // with every request the target answered.
    let output = "";
    let ready = false;
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-4000);
      if (!ready && /ready at/.test(output)) {
        ready = true;
        resolve(child);
      }
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
const load = () => loadavg().map((n) => n.toFixed(2)).join(" ");

/** Which process a direct child of the benchmark is, for CPU accounting. */
function classify({ cwd, cmdline }: { cwd: string; cmdline: string }): string | undefined {
  if (/\/gateway$/.test(cwd)) {
    const engine = /--engine=([\w-]+)/.exec(cmdline);
    if (cmdline.includes("--tuned")) return "ours-tuned";
    return cmdline.includes("--response-cache") ? "ours-cached" : engine ? `ours-${engine[1]}` : "ours";
  }
  if (/\/services\/[^/]+$/.test(cwd)) return "subgraphs";
  const hive = /hive-gateway\.ts \S+ \d+ (\w+)/.exec(cmdline);
  if (hive) return `hive-${hive[1]}`;
  if (cmdline.includes("reference-server.ts")) return "sql";
  if (cmdline.includes("postgres")) return "postgres";
  return undefined;
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`yhdyspinta benchmark — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`load: ${connections} connections, ${seconds} s per view and target (at least ${minRequests} requests)${rounds > 1 ? `, best of ${rounds} rounds` : ""}; dataset scale: ${scale}`);
  console.log(`machine load average (1, 5, 15 min) at start: ${load()}`);

  // One throw-away PostgreSQL; all three services share one database here so
  // that the lower bound can answer each view with a single SQL query.
  // BENCH_DATA_DIR keeps the database (and its generated dataset) for the next run.
  const keptDir = process.env["BENCH_DATA_DIR"];
  const dir = keptDir ?? (await makeTempDir("yhdyspinta-bench-"));
  const postgres = await startEmbeddedPostgres({ dataDir: `${dir}/data`, persistent: Boolean(keptDir), fast: true });
  const database = withDatabase(postgres.url, "bench");
  const children: ChildProcess[] = [];
  let stack: Awaited<ReturnType<typeof startStack>> | undefined;
  try {
    const internalAuthSecret = randomBytes(32).toString("hex");
    // The engine the "(ours)" row runs, as the gateway reports it when ready.
    let engine = "unknown";
    stack = await startStack({
      databaseUrl: database,
      internalAuthSecret,
      log: (source, line) => {
        const reported = source === "gateway" ? /ready at .*\(engine ([\w-]+)\)/.exec(line) : null;
        if (reported) engine = reported[1]!;
      },
      env: { ORGANISATIONS_DATABASE_URL: database, GROUPS_DATABASE_URL: database, PLANNING_DATABASE_URL: database, ...profiled("stack") },
    });
    console.log(`our gateway's engine: ${engine}`);
    const t0 = Date.now();
    const dataset = JSON.stringify({ seed: 42, scale });
    const marker = `${dir}/dataset.json`;
    const client = new pg.Client({ connectionString: database });
    if (keptDir && existsSync(marker) && readFileSync(marker, "utf8") === dataset) {
      console.log(`dataset ${dataset} kept in ${keptDir} from an earlier run`);
      await client.connect();
    } else {
      const counts = await generateDataset(
        { organisations: database, groups: database, planning: database },
        { seed: 42, scale, replace: Boolean(keptDir) },
      );
      console.log(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
      await client.connect();
      await client.query("vacuum analyze");
      if (keptDir) writeFileSync(marker, dataset);
    }
    const year = Number((await client.query<{ y: number }>("select max(year) as y from municipality")).rows[0]!.y);
    await client.end();

    const referencePort = await freePort();
    const overrides = Object.entries(stack.subgraphUrls).map(([name, url]) => `${name}=${url}`);
    const wanted = (key: string) => !targetKeys || key === "sql" || key === "ours" || targetKeys.includes(key);
    const hiveModes = (["off", "on", "rust"] as const).filter((mode) => wanted(`hive-${mode}`));
    const hivePorts: Record<string, number> = {};
    for (const mode of hiveModes) {
      hivePorts[mode] = await freePort();
      children.push(
        await spawnReady(["bench/src/hive-gateway.ts", `${root}schema/supergraph.graphql`, String(hivePorts[mode]), mode, ...overrides], `hive ${mode}`, {
          env: { INTERNAL_AUTH_SECRET: internalAuthSecret, ...profiled(`hive-${mode}`) },
        }),
      );
    }
    children.push(await spawnReady(["bench/src/reference-server.ts", database, String(referencePort), String(year)], "reference", { env: profiled("sql") }));
    const gatewayEnv = (port: number) => ({
      ...Object.fromEntries(Object.entries(stack!.subgraphUrls).map(([name, url]) => [`${name.toUpperCase()}_URL`, url])),
      GATEWAY_PORT: String(port),
      INTERNAL_AUTH_SECRET: internalAuthSecret,
    });
    // Our gateway once more with the other engine(s) asked for: its own row, same subgraphs.
    const otherEngines = (["apollo", "hive-router"] as const).filter((key) => key !== engine && wanted(key));
    const enginePorts: Record<string, number> = {};
    for (const other of otherEngines) {
      enginePorts[other] = await freePort();
      children.push(
        await spawnReady(["dist/main.js", `--engine=${other}`], `${other} gateway`, {
          cwd: `${root}gateway`,
          compiled: true,
          env: { ...gatewayEnv(enginePorts[other]), GATEWAY_ENGINE: other, ...profiled(`ours-${other}`) },
        }),
      );
    }
    // BENCH_OURS_NODE_OPTIONS: our gateway once more with these Node options (a lever's A/B in one run).
    const tunedOptions = process.env["BENCH_OURS_NODE_OPTIONS"];
    const tunedPort = await freePort();
    if (tunedOptions) {
      children.push(
        await spawnReady(["dist/main.js", "--tuned"], "tuned gateway", {
          cwd: `${root}gateway`,
          compiled: true,
          env: { ...gatewayEnv(tunedPort), GATEWAY_ENGINE: engine, NODE_OPTIONS: `${tunedOptions} ${profiled("ours-tuned")["NODE_OPTIONS"] ?? ""}`.trim() },
        }),
      );
    }
    // Our gateway once more, with its response cache on (the stack's own gateway runs without).
    const cachedPort = await freePort();
    if (wanted("cached")) {
      children.push(
        await spawnReady(["dist/main.js", "--response-cache"], "cached gateway", {
          cwd: `${root}gateway`,
          compiled: true,
          env: {
            ...gatewayEnv(cachedPort),
            GATEWAY_ENGINE: engine,
            GATEWAY_RESPONSE_CACHE_TTL_SECONDS: "300",
            // Room for a view's 22 variable sets (partnership groups: up to ~90 MB of answers), as a deployment
            // that turns the cache on sizes it to its dashboards and its memory limit (default 64 MB).
            GATEWAY_RESPONSE_CACHE_MAX_MB: "512",
            ...profiled("ours-cached"),
          },
        }),
      );
    }

    // role: the process whose CPU time is the target's "gateway" column.
    const targets: { name: string; role: string; url: (view: ViewName) => string; graphql: boolean }[] = [
      { name: "SQL+JSON (lower bound)", role: "sql", url: (v) => `http://127.0.0.1:${referencePort}/${v}`, graphql: false },
      { name: `yhdyspinta, ${engine} (ours)`, role: "ours", url: () => stack!.gatewayUrl, graphql: true },
      ...(wanted("cached")
        ? [{ name: "(ours, response cache)", role: "ours-cached", url: () => `http://127.0.0.1:${cachedPort}/graphql`, graphql: true }]
        : []),
      ...(tunedOptions
        ? [{ name: `yhdyspinta, ${engine}, node ${tunedOptions}`, role: "ours-tuned", url: () => `http://127.0.0.1:${tunedPort}/graphql`, graphql: true }]
        : []),
      ...otherEngines.map((other) => ({
        name: `yhdyspinta, ${other}`,
        role: `ours-${other}`,
        url: () => `http://127.0.0.1:${enginePorts[other]}/graphql`,
        graphql: true,
      })),
      ...hiveModes.map((mode) => ({
        name: { off: "Hive Gateway, dedupe off", on: "Hive Gateway, dedupe on", rust: "Hive Gateway, Rust planner" }[mode],
        role: `hive-${mode}`,
        url: () => `http://127.0.0.1:${hivePorts[mode]}/graphql`,
        graphql: true,
      })),
    ];

    const rows: string[] = [];
    for (const view of views) {
      const document = viewDocument(view);
      const bodies = (graphql: boolean) =>
        variableSets(view).map((variables) => JSON.stringify(graphql ? { query: document, variables } : { variables }));
      // Check every target answers without errors before measuring it (twice: a
      // loaded machine can time one out); a target that fails twice is left out of this view.
      const answering: typeof targets = [];
      for (const target of targets) {
        let failure = "";
        for (let attempt = 0; attempt < 2 && (attempt === 0 || failure); attempt += 1) {
          const res = await fetch(target.url(view), { method: "POST", headers: { "content-type": "application/json" }, body: bodies(target.graphql)[0] });
          const json = (await res.json()) as { errors?: { message: string }[] };
          failure = !res.ok || json.errors ? JSON.stringify(json.errors ?? res.status) : "";
        }
        if (failure && answering.length < 2) throw new Error(`${target.name} failed ${view}: ${failure}`);
        if (failure) console.log(`\n${target.name} left out of ${view}: ${failure}`);
        else answering.push(target);
      }
      const results: Record<string, LoadResult & { cpu: Map<string, number> }> = {};
      // The targets after the lower bound are measured in an order rotated by one per view, so
      // that no target is always the first to meet subgraphs still collecting the previous
      // (heavier) view's garbage; rows are printed in the fixed order.
      // With BENCH_ROUNDS > 1 every target is measured that many times, each round in
      // another rotation, and its best round (by requests/s) is reported: a round slowed by
      // the machine or by another target's garbage collection does not stand for the target.
      const others = answering.slice(1);
      for (let round = 0; round < rounds; round += 1) {
        const shift = (views.indexOf(view) + round) % Math.max(1, others.length);
        const measured = [answering[0]!, ...others.slice(shift), ...others.slice(0, shift)];
        for (const target of measured) {
          const url = target.url(view);
          const body = bodies(target.graphql);
          // Warm-up: one complete request per connection (for the cached target: every
          // variable set once, so that it measures repeated operations), then (for a fast target) 2 s more.
          const warm = await runLoad(url, body, { connections, seconds, amount: target.role === "ours-cached" ? body.length : connections });
          if (warm.rps * 2 >= connections) await runLoad(url, body, { connections, seconds: Math.min(2, seconds) });
          // A target too slow to complete minRequests in `seconds` runs exactly minRequests.
          const amount = warm.rps * seconds < minRequests ? minRequests : undefined;
          const before = cpuByRole(classify);
          const result = await runLoad(url, body, { connections, seconds, ...(amount ? { amount } : {}) });
          const best = results[target.name];
          if (!best || result.rps > best.rps) results[target.name] = { ...result, cpu: cpuDelta(before, cpuByRole(classify)) };
        }
      }
      const lower = results[targets[0]!.name]!;
      const ours = results[targets[1]!.name]!;
      // CPU milliseconds per request: the target's gateway (or reference server) process, the three subgraphs, PostgreSQL.
      const cpuMs = (r: LoadResult & { cpu: Map<string, number> }, role: string) =>
        r.cpu.has(role) ? (1000 * r.cpu.get(role)!) / Math.max(1, r.requests) : Number.NaN;
      console.log(`\n${view} (load average after: ${load()})`);
      console.log(`  ${"target".padEnd(32)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"÷ SQL".padStart(7)} ${"÷ ours".padStart(7)} ${"gw cpu".padStart(7)} ${"sub cpu".padStart(7)} ${"pg cpu".padStart(7)} requests errors`);
      for (const target of answering) {
        const r = results[target.name]!;
        const cells = [fmt(r.rps), fmt(r.p50, 0), fmt(r.p95, 0), fmt(r.p99, 0), fmt(r.rps / lower.rps, 2), fmt(r.rps / ours.rps, 2), fmt(cpuMs(r, target.role), 0), fmt(cpuMs(r, "subgraphs"), 0), fmt(cpuMs(r, "postgres"), 0)];
        const widths = [8, 8, 8, 8, 7, 7, 7, 7, 7];
        console.log(`  ${target.name.padEnd(32)} ${cells.map((c, i) => c.padStart(widths[i]!)).join(" ")} ${String(r.requests).padStart(8)} ${r.errors + r.non2xx}`);
        rows.push(`| ${view} | ${target.name} | ${cells.join(" | ")} | ${r.requests} |`);
      }
    }
    console.log(`\nmachine load average (1, 5, 15 min) at end: ${load()}`);
    console.log("\nMarkdown (cpu: CPU milliseconds per request of the target's gateway or reference server, of the three subgraphs together, and of PostgreSQL):");
    console.log("| view | target | req/s | p50 ms | p95 ms | p99 ms | ÷ SQL | ÷ ours | gw cpu ms | sub cpu ms | pg cpu ms | requests |\n|---|---|---|---|---|---|---|---|---|---|---|---|");
    console.log(rows.join("\n"));
    console.log(`\ntotal time ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    for (const child of children) await stopChild(child);
    await stack?.stop();
    await postgres.stop();
  }
}

await main();
