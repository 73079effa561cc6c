import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startEmbeddedPostgres, withDatabase } from "@yhdyspinta/core";
import { startStack } from "../../packages/stack/src/index.ts";
import { VIEW_NAMES, type ViewName, viewDocument } from "../../views/index.ts";
import { cpuByRole, cpuDelta, stackRole } from "./cpu.ts";
import { generateDataset } from "./generate.ts";
import { runLoad } from "./load.ts";
import { summarise } from "./profile-summary.ts";
import { variableSets } from "./view-variables.ts";

/**
 * Subgraph CPU per request, one view at a time, on a full-Finland dataset
 * kept between runs (an embedded PostgreSQL in `.data/bench-profile/`, made
 * and generated on first use: seed 42, the same data as `pnpm bench`), so
 * that a change in the subgraphs can be measured before and after without
 * generating again. Run `pnpm build` first: the stack runs compiled output.
 *
 *   tsx --conditions=development bench/src/profile-subgraphs.ts \
 *     [--views meeting-calendar,representation] [--requests 80] [--connections 8] \
 *     [--cpu-prof /tmp/prof] [--top 25]
 *
 * For each view: warm-up, then exactly `--requests` requests through the
 * gateway; prints CPU milliseconds per request of the gateway, of each
 * subgraph and of PostgreSQL, and the SQL statements, operations and
 * `_entities` representations per request the subgraphs counted.
 * With `--cpu-prof`, every process of the stack runs with `node --cpu-prof`
 * (one stack per view, so that one profile holds one view), profiles are
 * renamed `<view>.<process>.cpuprofile` and summarised over the measured
 * requests only (samples outside them are left out).
 */

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const views = (option("views")?.split(",") ?? VIEW_NAMES) as ViewName[];
const requests = Number(option("requests") ?? 80);
const connections = Number(option("connections") ?? 8);
const profileDir = option("cpu-prof");
const top = Number(option("top") ?? 25);
const root = fileURLToPath(new URL("../../", import.meta.url));


async function stopAndWait(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  process.kill(pid, "SIGTERM");
  for (let waited = 0; alive() && waited < 120_000; waited += 200) await new Promise((resolve) => setTimeout(resolve, 200));
}

/** The monotonic clock V8's profiles use (µs), the same in every process of this machine. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

async function main(): Promise<void> {
  const postgres = await startEmbeddedPostgres({ dataDir: `${root}.data/bench-profile`, persistent: true, fast: true });
  const database = withDatabase(postgres.url, "bench");
  const dbEnv = { ORGANISATIONS_DATABASE_URL: database, GROUPS_DATABASE_URL: database, PLANNING_DATABASE_URL: database };
  try {
    // One stack for all views without profiles; one per view with them.
    const groups = profileDir ? views.map((v) => [v]) : [views];
    let generated = false;
    for (const group of groups) {
      if (profileDir) mkdirSync(profileDir, { recursive: true });
      const before = profileDir ? new Set(readdirSync(profileDir)) : new Set<string>();
      const stack = await startStack({
        databaseUrl: database,
        internalAuthSecret: randomBytes(32).toString("hex"),
        debugStats: true,
        log: () => {},
        env: { ...dbEnv, ...(profileDir ? { NODE_OPTIONS: `${process.env["NODE_OPTIONS"] ?? ""} --cpu-prof --cpu-prof-dir=${profileDir}`.trim() } : {}) },
        // A process stopped below to write its profile is not started again.
        supervision: { beforeRestart: () => new Promise<void>(() => {}) },
      });
      const pids = stack.pids();
      const windows: { view: ViewName; from: number; to: number }[] = [];
      try {
        if (!generated) {
          const client = new pg.Client({ connectionString: database });
          await client.connect();
          const existing = Number((await client.query<{ n: string }>("select count(*) as n from cooperation_group where id like 'syn-%'")).rows[0]!.n);
          if (existing === 0) {
            console.log("generating the full-Finland dataset (seed 42) once…");
            await generateDataset({ organisations: database, groups: database, planning: database }, { seed: 42, scale: "finland" });
            await client.query("vacuum analyze");
          }
          await client.end();
          generated = true;
        }
        for (const view of group) {
          const document = viewDocument(view);
          const bodies = variableSets(view).map((variables) => JSON.stringify({ query: document, variables }));
          const first = await fetch(stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json" }, body: bodies[0] });
          const json = (await first.json()) as { errors?: unknown };
          if (!first.ok || json.errors) throw new Error(`${view} failed: ${JSON.stringify(json.errors ?? first.status)}`);
          await runLoad(stack.gatewayUrl, bodies, { connections, seconds: 0, amount: Math.max(connections * 2, bodies.length) });
          await Promise.all(Object.values(stack.subgraphUrls).map((url) => fetch(new URL("/debug/stats", url), { method: "DELETE" })));
          const cpuBefore = cpuByRole(stackRole);
          const from = nowUs();
          const result = await runLoad(stack.gatewayUrl, bodies, { connections, seconds: 0, amount: requests });
          windows.push({ view, from, to: nowUs() });
          const cpu = cpuDelta(cpuBefore, cpuByRole(stackRole));
          const stats = await Promise.all(
            Object.entries(stack.subgraphUrls).map(async ([name, url]) => [name, (await (await fetch(new URL("/debug/stats", url))).json()) as Record<string, number>] as const),
          );
          const per = (n: number) => (n / Math.max(1, result.requests)).toFixed(1);
          const ms = (role: string) => ((1000 * (cpu.get(role) ?? Number.NaN)) / Math.max(1, result.requests)).toFixed(1);
          const subTotal = ["organisations", "groups", "planning"].reduce((sum, role) => sum + (cpu.get(role) ?? 0), 0);
          console.log(
            `\n${view}: ${result.requests} requests, ${result.errors + result.non2xx} errors, ${result.rps.toFixed(1)} req/s, p50 ${result.p50.toFixed(0)} ms` +
              `\n  CPU ms/request: gateway ${ms("gateway")}, subgraphs ${((1000 * subTotal) / Math.max(1, result.requests)).toFixed(1)}` +
              ` (organisations ${ms("organisations")}, groups ${ms("groups")}, planning ${ms("planning")}), postgres ${ms("postgres")}`,
          );
          for (const [name, s] of stats) {
            console.log(`  ${name}: per request ${per(s["statements"] ?? 0)} statements, ${per(s["operations"] ?? 0)} operations, ${per(s["representations"] ?? 0)} representations`);
          }
        }
      } finally {
        // V8 writes a profile at exit, which for a busy subgraph can take longer
        // than the stack's 5 s before SIGKILL: stop them here and wait.
        if (profileDir) await Promise.all(Object.values(pids).map((pid) => pid && stopAndWait(pid)));
        await stack.stop();
      }
      if (profileDir) {
        const view = group[0]!;
        const window = windows[0];
        const names = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [String(pid), name]));
        for (const file of readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile") && !before.has(f))) {
          const pid = /^CPU\.\d+\.\d+\.(\d+)\./.exec(file)?.[1];
          const name = pid ? names[pid] : undefined;
          if (!name) continue;
          const target = `${profileDir}/${view}.${name}.cpuprofile`;
          renameSync(`${profileDir}/${file}`, target);
          if (!window) continue;
          const summary = summarise(JSON.parse(readFileSync(target, "utf8")), top, window);
          writeFileSync(`${profileDir}/${view}.${name}.txt`, summary);
          console.log(`\n### ${view} — ${name} (${target})\n${summary}`);
        }
      }
    }
  } finally {
    await postgres.stop();
  }
}

await main();
