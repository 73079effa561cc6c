import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Summary of V8 CPU profiles (`node --cpu-prof`, e.g. from `BENCH_CPU_PROF=<dir> pnpm bench`):
 * which process each profile is (from the scripts it ran), then, over the busy
 * samples only (not idle, not loading modules at start-up), self time per package,
 * the functions with the most self time, and the most inclusive time (a function
 * counted once per sample however deep it recurses).
 *
 *   tsx bench/src/profile-summary.ts <file.cpuprofile | directory>... [--top N] [--match TEXT]
 *
 * --match keeps only profiles whose process label contains TEXT (e.g. `gateway`).
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** `pkg` of a node_modules path, `ours:<path>` of our sources, `(builtin)` without a URL. */
function packageOf(url: string): string {
  if (!url) return "(builtin/native)";
  const modules = url.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "/node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith("node:")) return "node:internal";
  const ours = /\/(gateway|services\/\w+|packages\/\w+|bench|views)\/(?:src|dist)\//.exec(url);
  return ours ? `ours:${ours[1]}` : url;
}

function label(profile: CpuProfile): string {
  const urls = new Set(profile.nodes.map((n) => n.callFrame.url));
  for (const url of urls) {
    const m = /\/(gateway|services\/\w+)\/(?:src|dist)\/main\.[jt]s$/.exec(url);
    if (m) return m[1]!;
  }
  for (const url of urls) if (url.includes("hive-gateway.ts")) return "hive-gateway";
  for (const url of urls) if (url.includes("reference-server.ts")) return "reference-server";
  for (const url of urls) if (url.includes("bench/src/run.ts")) return "bench";
  return "other";
}

const short = (frame: CallFrame) => {
  const file = frame.url.replace(/^.*\/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, "").replace(/^file:\/\/.*?\/(gateway|services|packages|bench)\//, "$1/");
  return `${frame.functionName || "(anonymous)"} ${file ? `${file}:${frame.lineNumber + 1}` : ""}`.trim();
};

export function summarise(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const perPackage = new Map<string, number>();
  const startup = new Set<number>();
  for (const node of profile.nodes) if (node.callFrame.url.startsWith("node:internal/modules/")) startup.add(node.id);
  const isStartup = (id: number | undefined): boolean => {
    for (; id !== undefined; id = parent.get(id)) if (startup.has(id)) return true;
    return false;
  };
  let total = 0;
  let idle = 0;
  let loading = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    let id: number | undefined = profile.samples[i]!;
    const leaf = byId.get(id)!;
    if (leaf.callFrame.functionName === "(idle)") {
      idle += dt;
      continue;
    }
    if (isStartup(id)) {
      loading += dt;
      continue;
    }
    total += dt;
    const leafKey = short(leaf.callFrame);
    self.set(leafKey, (self.get(leafKey) ?? 0) + dt);
    const pkg = leaf.callFrame.functionName.startsWith("(") ? leaf.callFrame.functionName : packageOf(leaf.callFrame.url);
    perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + dt);
    const seen = new Set<string>();
    while (id !== undefined) {
      const key = short(byId.get(id)!.callFrame);
      if (!seen.has(key)) {
        seen.add(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
      }
      id = parent.get(id);
    }
  }
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / Math.max(1, total)).toFixed(1).padStart(5)} %`;
  const list = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, us]) => `  ${ms(us)}  ${key}`)
      .join("\n");
  return [
    `busy ${(total / 1000).toFixed(0)} ms (besides: idle ${(idle / 1000).toFixed(0)} ms, loading modules ${(loading / 1000).toFixed(0)} ms)`,
    `self time by package:\n${list(perPackage, top)}`,
    `self time by function:\n${list(self, top)}`,
    `inclusive time by function:\n${list(inclusive, top)}`,
  ].join("\n");
}

function files(paths: string[]): string[] {
  return paths.flatMap((path) =>
    statSync(path).isDirectory()
      ? readdirSync(path, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".cpuprofile")).map((f) => join(path, f))
      : [path],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    const [, value] = args.splice(at, 2);
    return value;
  };
  const top = Number(option("--top") ?? 25);
  const match = option("--match");
  for (const file of files(args)) {
    const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
    const process = label(profile);
    if (match && !process.includes(match)) continue;
    console.log(`\n=== ${process}: ${file}\n${summarise(profile, top)}`);
  }
}
