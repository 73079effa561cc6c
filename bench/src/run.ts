import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { freePort, makeTempDir, startEmbeddedPostgres, withDatabase } from "@yhdyspinta/core";
import { GATEWAY_NODE_FLAGS, PROCESS_NODE_FLAGS, startStack } from "../../packages/stack/src/index.ts";
import { VIEW_NAMES, type ViewName, viewDocument } from "../../views/index.ts";
import { type DatasetSpec, parseDatasetSpec, parseDatasetSpecs } from "./dataset-spec.ts";
import { generateDataset } from "./generate.ts";
import { variableSets } from "./view-variables.ts";
import { cpuByRole, cpuDelta } from "./cpu.ts";
import { runLoad } from "./load.ts";
import { firstDifference } from "./answers.ts";
import { countItems, formatSpread } from "./stats.ts";
import { cpuPerItem, flatness, flatnessGoal, formatDeviation, formatGoals, type Goal, marginalUsPerItem, type Round, type SizePoint, summarise, type TargetKind, type TargetSummary, viewGoals } from "./verdict.ts";

/**
 * `pnpm bench`: every dashboard view under fixed-concurrency load, through
 * our gateway, through Hive Gateway on the same supergraph file (inbound
 * deduplication off and on, and with the Rust planner), and as one
 * hand-written SQL query + JSON (the lower bound, "reference"), all in one run
 * on the same synthetic dataset. Every target is measured in several rounds
 * (another order each round); every figure printed is the median over the
 * rounds with its range, and the goal table (bench/src/verdict.ts) is
 * computed from the medians. Then, with BENCH_SIZES, our gateway (and the
 * reference, for comparison) once more on each view at other data sizes: CPU
 * per request and per returned item.
 *
 * Environment (bench/README.md, "pnpm bench"):
 * - BENCH_ROUNDS (default 3): rounds per target and view, each in another rotation of the targets;
 * - BENCH_SECONDS (default 5): seconds per measurement;
 * - BENCH_MIN_REQUESTS (default 40): a target that would complete fewer requests than this in
 *   BENCH_SECONDS is measured over exactly this many instead (per round);
 * - BENCH_CONNECTIONS (default 8);
 * - BENCH_SCALE (default "finland"): the dataset (bench/src/dataset-spec.ts: finland, finland*0.25,
 *   a number n for county 14 × n, <county>[+<county>]:<…> for chosen counties);
 * - BENCH_SIZES (default "finland*0.25,finland,14:finland*4"; "" for none): the data sizes of the
 *   cost-against-size table; a size equal to BENCH_SCALE reuses the main run's measurements;
 * - BENCH_VIEWS (comma-separated subset);
 * - BENCH_TARGETS (comma-separated subset of cached, hive-off, hive-on, hive-rust, apollo,
 *   hive-router; sql and ours always run). "(ours, response cache)" is our gateway with
 *   GATEWAY_RESPONSE_CACHE_TTL_SECONDS on: after the warm-up every answer comes from the cache.
 *   "apollo" and "hive-router" add our gateway once more with that GATEWAY_ENGINE (a row of its
 *   own when it is not the engine of the "(ours)" row, which is the gateway's default or
 *   GATEWAY_ENGINE as exported);
 * - BENCH_OURS_NODE_OPTIONS (e.g. "--max-semi-space-size=64"): our compiled gateway once more
 *   with these Node options, a row of its own (outside the goals);
 * - BENCH_DATA_DIR: a directory that keeps the database and its dataset for the next run with
 *   the same dataset (default: a temporary one);
 * - BENCH_CPU_PROF=<dir>: every gateway, subgraph and reference process writes a V8 CPU profile
 *   into <dir>/<target> when it stops (summarise with bench/src/profile-summary.ts).
 */
const seconds = Number(process.env["BENCH_SECONDS"] ?? 5);
const minRequests = Number(process.env["BENCH_MIN_REQUESTS"] ?? 40);
const targetKeys = process.env["BENCH_TARGETS"]?.split(",");
const connections = Number(process.env["BENCH_CONNECTIONS"] ?? 8);
const rounds = Math.max(1, Number(process.env["BENCH_ROUNDS"] ?? 3));
const mainSpec = parseDatasetSpec(process.env["BENCH_SCALE"] ?? "finland");
const sizes = parseDatasetSpecs(process.env["BENCH_SIZES"] ?? "finland*0.25,finland,14:finland*4");
const views = (process.env["BENCH_VIEWS"]?.split(",") ?? VIEW_NAMES) as ViewName[];
const root = fileURLToPath(new URL("../../", import.meta.url));
const profileDir = process.env["BENCH_CPU_PROF"];
/** NODE_OPTIONS that make a process (and its children) write a CPU profile into `<BENCH_CPU_PROF>/<name>`. */
const profiled = (name: string): NodeJS.ProcessEnv =>
  profileDir ? { NODE_OPTIONS: `${process.env["NODE_OPTIONS"] ?? ""} --cpu-prof --cpu-prof-dir=${profileDir}/${name}`.trim() } : {};
const tsx = `${root}node_modules/.bin/tsx`;


/**
 * Runs `args` with tsx (or, with `compiled`, with this Node: args are then our gateway's
 * compiled script and its flags).
 */
function spawnReady(args: string[], label: string, options: { cwd?: string; env?: NodeJS.ProcessEnv; compiled?: boolean } = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // Compiled: with the Node options our gateway runs with (packages/stack).
    const [file, fileArgs] = options.compiled ? [process.execPath, [...PROCESS_NODE_FLAGS, ...GATEWAY_NODE_FLAGS, ...args]] : [tsx, ["--conditions=development", ...args]];
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
  const subgraph = /\/services\/([^/]+)$/.exec(cwd);
  if (subgraph) return `sub:${subgraph[1]}`;
  const hive = /hive-gateway\.ts \S+ \d+ (\w+)/.exec(cmdline);
  if (hive) return `hive-${hive[1]}`;
  if (cmdline.includes("reference-server.ts")) return "sql";
  if (cmdline.includes("postgres")) return "postgres";
  return undefined;
}

/** The processes whose CPU a target's requests cost: its gateway (or the reference server), the subgraphs behind it, PostgreSQL. */
const SUBGRAPHS = ["organisations", "groups", "planning"] as const;
const processesOf = (target: { role: string; graphql: boolean }): { key: string; role: string }[] => [
  { key: "gateway", role: target.role },
  ...(target.graphql ? SUBGRAPHS.map((name) => ({ key: name, role: `sub:${name}` })) : []),
  { key: "postgres", role: "postgres" },
];

interface Target {
  name: string;
  role: string;
  kind: TargetKind;
  url: (view: ViewName) => string;
  graphql: boolean;
}

const bodiesFor = (view: ViewName, graphql: boolean, counties: string[] | undefined): string[] => {
  const document = viewDocument(view);
  return variableSets(view, counties).map((variables) => JSON.stringify(graphql ? { query: document, variables } : { variables }));
};

/**
 * Items (objects) in ours' answers to the view's variable sets, on average, each set asked
 * once, one at a time; each answer compared with the reference's to the same set first. The
 * ratios mean something only while both do the same work: a difference stops the run,
 * naming the view, the variables and where the answers part.
 */
async function checkedItemsPerRequest(ours: Target, reference: Target, view: ViewName, counties: string[] | undefined): Promise<number> {
  const ask = async (target: Target, body: string) => {
    const res = await fetch(target.url(view), { method: "POST", headers: { "content-type": "application/json" }, body });
    return ((await res.json()) as { data?: unknown }).data ?? null;
  };
  const oursBodies = bodiesFor(view, true, counties);
  const referenceBodies = bodiesFor(view, false, counties);
  let items = 0;
  for (const [i, body] of oursBodies.entries()) {
    const answer = await ask(ours, body);
    const difference = firstDifference(answer, await ask(reference, referenceBodies[i]!));
    if (difference) {
      throw new Error(`the reference does not answer ${view} as ours does, for ${referenceBodies[i]}: ${difference} (bench/src/reference-queries.ts; pnpm --filter @yhdyspinta/bench compare:reference)`);
    }
    items += countItems(answer);
  }
  return items / oursBodies.length;
}

/**
 * One round of one target on one view. The first round warms up (one complete request per
 * connection, for the cached target every variable set once, then 2 s more for a fast
 * target) and decides whether the target is too slow for BENCH_SECONDS to reach
 * BENCH_MIN_REQUESTS; later rounds warm each connection with one request.
 */
async function measureRound(target: Target, view: ViewName, bodies: string[], first: { rps?: number }): Promise<Round & { errors: number }> {
  const url = target.url(view);
  if (first.rps === undefined) {
    const warm = await runLoad(url, bodies, { connections, seconds, amount: target.role === "ours-cached" ? bodies.length : connections });
    if (warm.rps * 2 >= connections) await runLoad(url, bodies, { connections, seconds: Math.min(2, seconds) });
    first.rps = warm.rps;
  } else {
    await runLoad(url, bodies, { connections, seconds, amount: connections });
  }
  const amount = first.rps * seconds < minRequests ? minRequests : undefined;
  const before = cpuByRole(classify);
  const result = await runLoad(url, bodies, { connections, seconds, ...(amount ? { amount } : {}) });
  const cpu = cpuDelta(before, cpuByRole(classify));
  // The next round decides from this one's rate, not the short warm-up's.
  first.rps = result.rps;
  const cpuMsPerRequest = Object.fromEntries(
    processesOf(target).map(({ key, role }) => [key, cpu.has(role) ? (1000 * cpu.get(role)!) / Math.max(1, result.requests) : Number.NaN]),
  );
  return { rps: result.rps, p95: result.p95, requests: result.requests, cpuMsPerRequest, errors: result.errors + result.non2xx };
}

/**
 * Every target on one view, `rounds` times, the order rotated by one per round (and per
 * view), so that no target is always the one to meet the subgraphs still collecting the
 * previous target's garbage.
 */
async function measureView(
  view: ViewName,
  viewIndex: number,
  targets: Target[],
  counties: string[] | undefined,
): Promise<{ summaries: TargetSummary[]; errors: Map<string, number> }> {
  const rotations = new Map<string, Round[]>(targets.map((t) => [t.name, []]));
  const firsts = new Map<string, { rps?: number }>(targets.map((t) => [t.name, {}]));
  const errors = new Map<string, number>(targets.map((t) => [t.name, 0]));
  for (let round = 0; round < rounds; round += 1) {
    const shift = (viewIndex + round) % targets.length;
    for (const target of [...targets.slice(shift), ...targets.slice(0, shift)]) {
      const measured = await measureRound(target, view, bodiesFor(view, target.graphql, counties), firsts.get(target.name)!);
      rotations.get(target.name)!.push(measured);
      errors.set(target.name, errors.get(target.name)! + measured.errors);
    }
  }
  return { summaries: targets.map((t) => summarise({ name: t.name, kind: t.kind, rounds: rotations.get(t.name)! })), errors };
}

const PROCESS_COLUMNS = ["gateway", ...SUBGRAPHS, "postgres"] as const;
const PROCESS_LABELS = ["gw", "org", "grp", "plan", "pg"];

function printView(view: ViewName, summaries: TargetSummary[], errors: Map<string, number>, items: number, markdown: string[]): void {
  const reference = summaries.find((t) => t.kind === "reference")!;
  const ours = summaries.find((t) => t.kind === "ours")!;
  console.log(`\n${view} (load average after: ${load()}; ours' answers hold ${fmt(items, 0)} items on average)`);
  const head = [
    "target".padEnd(32),
    "req/s median (min–max)".padStart(24),
    "p95 ms".padStart(7),
    "÷ ref".padStart(6),
    "÷ ours".padStart(6),
    ...PROCESS_LABELS.map((l) => l.padStart(5)),
    "cpu ms/req".padStart(10),
    "requests",
    "errors",
  ];
  console.log(`  ${head.join(" ")}`);
  for (const t of summaries) {
    const perProcess = PROCESS_COLUMNS.map((p) => fmt(t.cpuByProcess[p] ?? Number.NaN, 0));
    const cells = [
      formatSpread(t.rps),
      fmt(t.p95.median, 0),
      fmt(t.rps.median / reference.rps.median, 2),
      fmt(t.rps.median / ours.rps.median, 2),
      ...perProcess,
      formatSpread(t.cpu, 0),
    ];
    const widths = [24, 7, 6, 6, 5, 5, 5, 5, 5, 10];
    console.log(`  ${t.name.padEnd(32)} ${cells.map((c, i) => c.padStart(widths[i]!)).join(" ")} ${String(t.requests).padStart(8)} ${errors.get(t.name) ?? 0}`);
    markdown.push(`| ${view} | ${t.name} | ${cells.join(" | ")} | ${t.requests} |`);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`yhdyspinta benchmark — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(
    `load: ${connections} connections, ${rounds} round(s) of ${seconds} s per view and target (at least ${minRequests} requests a round), medians over the rounds; dataset ${mainSpec.text}${sizes.length ? `; sizes ${sizes.map((s) => s.text).join(", ")}` : ""}`,
  );
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
  const marker = `${dir}/dataset.json`;
  /** Writes `spec`'s dataset unless the kept directory already holds it. */
  const ensureDataset = async (spec: DatasetSpec, fresh: boolean): Promise<void> => {
    const dataset = JSON.stringify({ seed: 42, ...spec.options });
    if (keptDir && existsSync(marker) && readFileSync(marker, "utf8") === dataset) {
      console.log(`dataset ${spec.text} kept in ${keptDir} from an earlier run`);
      return;
    }
    const t0 = Date.now();
    const result = await generateDataset({ organisations: database, groups: database, planning: database }, { seed: 42, ...spec.options, replace: !fresh || Boolean(keptDir) });
    const rows = Object.values(result.counts).reduce((n, tables) => n + Object.values(tables).reduce((a, b) => a + b, 0), 0);
    console.log(`dataset ${spec.text}: ${rows} rows generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    await client.query("vacuum analyze");
    await client.end();
    if (keptDir) writeFileSync(marker, dataset);
  };
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
    await ensureDataset(mainSpec, true);
    const client = new pg.Client({ connectionString: database });
    await client.connect();
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

    // role: the process whose CPU time is the target's "gw" column; kind: its part in the goals.
    const targets: Target[] = [
      { name: "SQL+JSON (reference)", role: "sql", kind: "reference", url: (v) => `http://127.0.0.1:${referencePort}/${v}`, graphql: false },
      { name: `yhdyspinta, ${engine} (ours)`, role: "ours", kind: "ours", url: () => stack!.gatewayUrl, graphql: true },
      ...(wanted("cached")
        ? [{ name: "(ours, response cache)", role: "ours-cached", kind: "cached" as const, url: () => `http://127.0.0.1:${cachedPort}/graphql`, graphql: true }]
        : []),
      ...(tunedOptions
        ? [{ name: `yhdyspinta, ${engine}, node ${tunedOptions}`, role: "ours-tuned", kind: "extra" as const, url: () => `http://127.0.0.1:${tunedPort}/graphql`, graphql: true }]
        : []),
      ...otherEngines.map((other) => ({
        name: `yhdyspinta, ${other}`,
        role: `ours-${other}`,
        kind: "other-gateway" as const,
        url: () => `http://127.0.0.1:${enginePorts[other]}/graphql`,
        graphql: true,
      })),
      ...hiveModes.map((mode) => ({
        name: { off: "Hive Gateway, dedupe off", on: "Hive Gateway, dedupe on", rust: "Hive Gateway, Rust planner" }[mode],
        role: `hive-${mode}`,
        kind: "other-gateway" as const,
        url: () => `http://127.0.0.1:${hivePorts[mode]}/graphql`,
        graphql: true,
      })),
    ];
    const ours = targets[1]!;
    const reference = targets[0]!;

    const markdown: string[] = [];
    const goals: Goal[] = [];
    /** Per view: ours at each data size. */
    const points = new Map<ViewName, SizePoint[]>(views.map((v) => [v, []]));
    /** Per view: the reference at each data size, for comparison (not a goal). */
    const referencePoints = new Map<ViewName, SizePoint[]>(views.map((v) => [v, []]));
    for (const [viewIndex, view] of views.entries()) {
      // Check every target answers without errors before measuring it (twice: a
      // loaded machine can time one out); a target that fails twice is left out of this view.
      const answering: Target[] = [];
      for (const target of targets) {
        let failure = "";
        for (let attempt = 0; attempt < 2 && (attempt === 0 || failure); attempt += 1) {
          const res = await fetch(target.url(view), { method: "POST", headers: { "content-type": "application/json" }, body: bodiesFor(view, target.graphql, mainSpec.counties)[0] });
          const json = (await res.json()) as { errors?: { message: string }[] };
          failure = !res.ok || json.errors ? JSON.stringify(json.errors ?? res.status) : "";
        }
        if (failure && answering.length < 2) throw new Error(`${target.name} failed ${view}: ${failure}`);
        if (failure) console.log(`\n${target.name} left out of ${view}: ${failure}`);
        else answering.push(target);
      }
      const items = await checkedItemsPerRequest(ours, reference, view, mainSpec.counties);
      const { summaries, errors } = await measureView(view, viewIndex, answering, mainSpec.counties);
      printView(view, summaries, errors, items, markdown);
      goals.push(...viewGoals(view, summaries));
      const oursSummary = summaries.find((t) => t.kind === "ours")!;
      const referenceSummary = summaries.find((t) => t.kind === "reference");
      if (sizes.some((s) => s.text === mainSpec.text)) {
        points.get(view)!.push({ size: mainSpec.text, cpuMsPerRequest: oursSummary.cpu.median, itemsPerRequest: items });
        if (referenceSummary) referencePoints.get(view)!.push({ size: mainSpec.text, cpuMsPerRequest: referenceSummary.cpu.median, itemsPerRequest: items });
      }
    }
    console.log(`\nmachine load average (1, 5, 15 min) after the targets: ${load()}`);
    console.log("\nMarkdown (medians over the rounds, range in brackets; CPU milliseconds per request of the target's gateway or reference server, of each subgraph and of PostgreSQL, and their sum):");
    console.log(`| view | target | req/s | p95 ms | ÷ ref | ÷ ours | ${PROCESS_LABELS.map((l) => `${l} cpu`).join(" | ")} | cpu ms/req | requests |`);
    console.log(`|${Array.from({ length: 13 }, () => "---").join("|")}|`);
    console.log(markdown.join("\n"));

    // Cost against data size: ours and the reference on each view at each other size (the main
    // dataset's figures are reused), the dataset regenerated in place for each.
    const otherSizes = sizes.filter((s) => s.text !== mainSpec.text);
    for (const size of otherSizes) {
      await ensureDataset(size, false);
      for (const [viewIndex, view] of views.entries()) {
        const items = await checkedItemsPerRequest(ours, reference, view, size.counties);
        // The reference too (the same answers, so the same items): whether its CPU per item is
        // flat across the sizes tells what part of ours' spread any per-request cost would give.
        const { summaries } = await measureView(view, viewIndex, [ours, reference], size.counties);
        points.get(view)!.push({ size: size.text, cpuMsPerRequest: summaries[0]!.cpu.median, itemsPerRequest: items });
        referencePoints.get(view)!.push({ size: size.text, cpuMsPerRequest: summaries[1]!.cpu.median, itemsPerRequest: items });
      }
    }
    if (sizes.length > 0) {
      const order = new Map(sizes.map((s, i) => [s.text, i]));
      console.log(`\nCost against data size (ours; CPU ms per request of gateway, subgraphs and PostgreSQL, median over ${rounds} round(s)):`);
      console.log("(marginal: the CPU an item adds, from the previous size in items: fixed per-request costs cancel out)");
      console.log("| view | dataset | items/request | cpu ms/request | cpu µs/item | marginal µs/item |\n|---|---|---:|---:|---:|---:|");
      const bySize = (list: SizePoint[]) => list.sort((a, b) => order.get(a.size)! - order.get(b.size)!);
      for (const view of views) {
        const sorted = bySize(points.get(view)!);
        const marginal = marginalUsPerItem(sorted);
        for (const [i, p] of sorted.entries()) {
          console.log(`| ${view} | ${p.size} | ${fmt(p.itemsPerRequest, 0)} | ${fmt(p.cpuMsPerRequest, 1)} | ${fmt(1000 * cpuPerItem(p), 1)} | ${fmt(marginal[i]!, 1)} |`);
        }
        goals.push(flatnessGoal(view, sorted));
      }
      console.log("\nThe reference at the same sizes (for comparison, not a goal; its CPU per request over ours' items):");
      console.log("| view | dataset | cpu ms/request | cpu µs/item | marginal µs/item | at most +25 % | within ±25 % |\n|---|---|---:|---:|---:|---|---|");
      for (const view of views) {
        const sorted = bySize(referencePoints.get(view)!);
        const marginal = marginalUsPerItem(sorted);
        const flat = flatness(sorted);
        for (const [i, p] of sorted.entries()) {
          const last = i === sorted.length - 1;
          const growth = last ? `${flat.holds ? "yes" : "no"} (highest ${formatDeviation(flat.rise)})` : "";
          const twoSided = last ? `${flat.twoSided ? "yes" : "no"} (worst ${formatDeviation(flat.worst)})` : "";
          console.log(`| ${view} | ${p.size} | ${fmt(p.cpuMsPerRequest, 1)} | ${fmt(1000 * cpuPerItem(p), 1)} | ${fmt(marginal[i]!, 1)} | ${growth} | ${twoSided} |`);
        }
      }
      if (keptDir && otherSizes.length > 0) writeFileSync(marker, JSON.stringify({ seed: 42, ...otherSizes[otherSizes.length - 1]!.options }));
    }

    const table = formatGoals(goals);
    console.log(`\nGoals (issue 33), from the medians of ${rounds} round(s); dataset ${mainSpec.text}:`);
    console.log(table.text);
    console.log(`\n${table.markdown}`);
    console.log(`\nmachine load average (1, 5, 15 min) at end: ${load()}`);
    console.log(`total time ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    for (const child of children) await stopChild(child);
    await stack?.stop();
    await postgres.stop();
  }
}

await main();
