import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcessInfo {
  pid: number;
  ppid: number;
  /** user + system CPU seconds so far, its own and its ended children's (PostgreSQL backends end with their connections) */
  cpu: number;
}

function readProcesses(): Map<number, ProcessInfo> {
  const processes = new Map<number, ProcessInfo>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name in parentheses: state ppid … utime(14) stime(15) cutime(16) cstime(17), 1-based.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      processes.set(Number(entry), {
        pid: Number(entry),
        ppid: Number(fields[1]),
        cpu: (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND,
      });
    } catch {
      // the process ended while we listed it
    }
  }
  return processes;
}

function describe(pid: number): { cwd: string; cmdline: string } {
  try {
    return {
      cwd: readlinkSync(`/proc/${pid}/cwd`),
      cmdline: readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " "),
    };
  } catch {
    return { cwd: "", cmdline: "" };
  }
}

/**
 * CPU seconds used so far by each direct child of this process together with
 * all of its descendants (tsx runs the real Node process as a child of its
 * own), labelled by `classify` from the child's working directory and command
 * line. Linux only (/proc); elsewhere the map is empty.
 */
export function cpuByRole(classify: (child: { cwd: string; cmdline: string }) => string | undefined): Map<string, number> {
  const totals = new Map<string, number>();
  let processes: Map<number, ProcessInfo>;
  try {
    processes = readProcesses();
  } catch {
    return totals;
  }
  const roleOfChild = new Map<number, string | undefined>();
  for (const info of processes.values()) {
    // Walk up to the direct child of this process, if any.
    let current: ProcessInfo | undefined = info;
    while (current && current.ppid !== process.pid) current = processes.get(current.ppid);
    if (!current) continue;
    if (!roleOfChild.has(current.pid)) roleOfChild.set(current.pid, classify(describe(current.pid)));
    const role = roleOfChild.get(current.pid);
    if (role) totals.set(role, (totals.get(role) ?? 0) + info.cpu);
  }
  return totals;
}

/** CPU seconds per role between two `cpuByRole` samples. */
export function cpuDelta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [role, value] of after) delta.set(role, value - (before.get(role) ?? 0));
  return delta;
}

/** Which process of a stack started by `startStack` a direct child is (its working directory): a subgraph by name, the gateway or PostgreSQL. */
export function stackRole({ cwd, cmdline }: { cwd: string; cmdline: string }): string | undefined {
  const service = /\/services\/([^/]+)$/.exec(cwd);
  if (service) return service[1];
  if (/\/gateway$/.test(cwd)) return "gateway";
  if (cmdline.includes("postgres")) return "postgres";
  return undefined;
}
