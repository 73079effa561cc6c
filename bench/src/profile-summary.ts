import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): for each `.cpuprofile`,
 * which process it is (the service or gateway whose files it ran most),
 * then the top functions by self time and by inclusive (total) time, and
 * self time by package.
 *
 *   tsx bench/src/profile-summary.ts <file.cpuprofile | directory> [--top N] [--window fromUs-toUs]
 *
 * Profiles of every node process of a run can be written with
 * `NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof"`; the processes must
 * exit normally (SIGTERM, not SIGKILL) for V8 to write them.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/.pnpm/<pkg@ver>/node_modules/<pkg>/…` → the package name; our own workspaces by folder. */
export function packageOf(url: string): string {
  if (!url) return "(native/vm)";
  if (url.startsWith("node:")) return "node:core";
  const modules = url.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "/node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const own = /\/(services\/[^/]+|packages\/[^/]+|gateway|bench|views)\//.exec(url);
  return own ? own[1]! : url;
}

function short(frame: CallFrame): string {
  const file = frame.url.replace(/^file:\/\//, "");
  const tail = file.includes("/node_modules/") ? file.slice(file.lastIndexOf("/node_modules/") + 14) : file.split("/").slice(-3).join("/");
  return `${frame.functionName || "(anonymous)"} ${tail ? `${tail}:${frame.lineNumber + 1}` : ""}`.trim();
}

/** Which process wrote the profile: the service/gateway whose own files appear most. */
function processOf(profile: Profile): string {
  const counts = new Map<string, number>();
  for (const node of profile.nodes) {
    const own = /\/(services\/[^/]+|gateway)\/(?:dist|src)\//.exec(node.callFrame.url);
    if (own) counts.set(own[1]!, (counts.get(own[1]!) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  return best?.[0] ?? "other";
}

/**
 * Top functions by self and inclusive time and self time by package; with
 * `window` (µs of the monotonic clock the profile's timestamps use, the same
 * as `process.hrtime` in any process of the machine), only samples inside it.
 */
export function summarise(profile: Profile, top: number, window?: { from: number; to: number }): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // Self time per node from the samples (µs).
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.from || at > window.to)) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const key = (f: CallFrame) => `${f.functionName}|${f.url}|${f.lineNumber}|${f.columnNumber}`;
  const self = new Map<string, { frame: CallFrame; us: number }>();
  const total = new Map<string, { frame: CallFrame; us: number }>();
  const byPackage = new Map<string, number>();
  let all = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    all += us;
    const name = node.callFrame.functionName;
    if (name === "(idle)" || name === "(program)" || name === "(garbage collector)") {
      if (name === "(idle)") idle += us;
      const entry = self.get(name) ?? { frame: node.callFrame, us: 0 };
      entry.us += us;
      self.set(name, entry);
      if (name !== "(idle)") byPackage.set(name, (byPackage.get(name) ?? 0) + us);
      continue;
    }
    const k = key(node.callFrame);
    const entry = self.get(k) ?? { frame: node.callFrame, us: 0 };
    entry.us += us;
    self.set(k, entry);
    const pkg = packageOf(node.callFrame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    // Inclusive: every distinct function on the stack once (recursion counted once).
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const fk = key(frame);
      if (seen.has(fk) || frame.functionName === "(root)") continue;
      seen.add(fk);
      const t = total.get(fk) ?? { frame, us: 0 };
      t.us += us;
      total.set(fk, t);
    }
  }
  const busy = all - idle;
  const pct = (us: number) => `${((100 * us) / Math.max(1, busy)).toFixed(1).padStart(5)} %`;
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const lines: string[] = [];
  lines.push(`busy ${(busy / 1000).toFixed(0)} ms of ${(all / 1000).toFixed(0)} ms sampled${window ? " in the window" : ""} (percentages of busy time)`);
  lines.push("  self time by function:");
  for (const e of [...self.values()].filter((e) => e.frame.functionName !== "(idle)").sort((a, b) => b.us - a.us).slice(0, top))
    lines.push(`    ${ms(e.us)} ${pct(e.us)}  ${short(e.frame)}`);
  lines.push("  inclusive time by function:");
  for (const e of [...total.values()].sort((a, b) => b.us - a.us).slice(0, top)) lines.push(`    ${ms(e.us)} ${pct(e.us)}  ${short(e.frame)}`);
  lines.push("  self time by package:");
  for (const [pkg, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`    ${ms(us)} ${pct(us)}  ${pkg}`);
  return lines.join("\n");
}

function main(): void {
  const args = process.argv.slice(2);
  const topAt = args.indexOf("--top");
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
  const windowAt = args.indexOf("--window");
  const [from, to] = windowAt >= 0 ? args[windowAt + 1]!.split("-").map(Number) : [];
  const window = from !== undefined && to !== undefined ? { from, to } : undefined;
  const flags = new Set([topAt, windowAt].filter((i) => i >= 0).flatMap((i) => [i, i + 1]));
  const paths = args.filter((_, i) => !flags.has(i));
  const files = paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p).filter((f) => f.endsWith(".cpuprofile")).map((f) => join(p, f))
      : [p],
  );
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
    console.log(`\n## ${processOf(profile)} — ${file}`);
    console.log(summarise(profile, top, window));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
