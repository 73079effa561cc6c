import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { withDatabase } from "@yhdyspinta/core";
import { graphqlRequest, testPostgresUrl } from "@yhdyspinta/core/testing";

// `pnpm start` itself: the compiled launcher (packages/stack/dist/start.js), as the README runs it,
// on the test run's PostgreSQL with free ports and the synthetic demo dataset.

const launcherPath = fileURLToPath(new URL("../packages/stack/dist/start.js", import.meta.url));
const root = fileURLToPath(new URL("../", import.meta.url));
let launcher: ChildProcess | undefined;

afterAll(() => {
  if (launcher && launcher.exitCode === null && launcher.signalCode === null) launcher.kill("SIGKILL");
});

/** Pids of the processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the name (field 2) may hold spaces, so split after ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Pids of every process below `pid`. */
function descendantsOf(pid: number): number[] {
  const below = childrenOf(pid);
  return [...below, ...below.flatMap(descendantsOf)];
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts the compiled launcher on a fresh database of the test run's PostgreSQL; resolves with its gateway URL once it is ready. */
async function startLauncher(
  options: { env?: Record<string, string>; detached?: boolean; command?: [string, string[]] } = {},
): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null>; output: () => string }> {
  const database = withDatabase(testPostgresUrl(), `launcher_${randomBytes(4).toString("hex")}`);
  const [file, args] = options.command ?? [process.execPath, [launcherPath]];
  const child = spawn(file, args, {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: database,
      GATEWAY_PORT: "0",
      ORGANISATIONS_PORT: "0",
      GROUPS_PORT: "0",
      PLANNING_PORT: "0",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, as a terminal's foreground job is: Ctrl-C signals the whole group.
    detached: options.detached ?? false,
  });
  launcher = child;
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /supergraph ready at (http:\/\/\S+)/.exec(output);
      if (match && output.includes("Press Ctrl-C")) resolve(match[1]!);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => reject(new Error(`launcher exited (${code}) before it was ready:\n${output.slice(-3000)}`)));
  });
  return { child, url, exited, output: () => output };
}

/** Waits (up to 20 s) until none of `pids` is alive; resolves with those still alive. */
async function stillAlive(pids: number[]): Promise<number[]> {
  const deadline = Date.now() + 20_000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids.filter(alive);
}

describe("pnpm start (the compiled launcher)", () => {
  it("starts the supergraph with the synthetic demo data, and SIGINT to the launcher alone stops every process it started", { timeout: 240_000 }, async () => {
    const { child, url, exited } = await startLauncher({ env: { DEMO_SYNTHETIC: "true" } });

    const answer = await graphqlRequest<{ county: { nameFi: string; cooperationGroups: { id: string }[] | null } }>(
      url,
      `{ county(code: "14") { nameFi cooperationGroups { id } } }`,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.county.nameFi).toBe("Pohjois-Karjalan hyvinvointialue");
    // The synthetic dataset was added (its ids start with syn-), beside the seeded groups.
    expect(answer.data!.county.cooperationGroups?.some((g) => g.id.startsWith("syn-"))).toBe(true);

    const started = childrenOf(child.pid!);
    expect(started.length).toBeGreaterThanOrEqual(4); // three subgraphs and the gateway
    child.kill("SIGINT");
    await exited;
    // Whatever the launcher started is stopped with it (it may be ending its last child as it exits).
    expect(await stillAlive(started)).toEqual([]);
  });

  it("stops without restarting anything when Ctrl-C signals the whole process group", { timeout: 240_000 }, async () => {
    const { child, exited, output } = await startLauncher({ detached: true });
    const started = childrenOf(child.pid!);
    expect(started.length).toBeGreaterThanOrEqual(4);
    // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group at once.
    process.kill(-child.pid!, "SIGINT");
    expect(await exited).toBe(0);
    expect(await stillAlive(started)).toEqual([]);
    expect(output()).toContain("Stopping…");
    expect(output()).not.toMatch(/restarting|is back|giving up/);
  });

  it("stops every process on SIGTERM to the shell that runs `pnpm start`'s script, as a process manager stops the command", { timeout: 240_000 }, async () => {
    // pnpm runs a script with `sh -c` and passes a SIGTERM on to that shell; the shell must have
    // become the launcher (`exec`), or it dies alone and leaves the stack running without a parent.
    const script = (JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { scripts: { start: string } }).scripts.start;
    const launch = script.split(" && ").at(-1)!;
    expect(launch).toMatch(/packages\/stack\/dist\/start\.js$/);
    const { child, exited, output } = await startLauncher({ command: ["sh", ["-c", launch]] });
    const started = descendantsOf(child.pid!);
    expect(started.length).toBeGreaterThanOrEqual(4);
    try {
      child.kill("SIGTERM");
      await exited;
      expect(await stillAlive(started)).toEqual([]);
      expect(output()).toContain("Stopping…");
    } finally {
      // A failed run must not leave the stack behind for the rest of the suite.
      for (const pid of started.filter(alive)) process.kill(pid, "SIGKILL");
    }
  });

  it("fails at once when a port is taken, naming the port and the variable that moves it, having started nothing", { timeout: 60_000 }, async () => {
    // Another program on the gateway's port.
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen({ port: 0, host: "127.0.0.1" }, resolve));
    const port = (squatter.address() as { port: number }).port;
    try {
      const child = spawn(process.execPath, [launcherPath], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: withDatabase(testPostgresUrl(), "launcher_never_made"), GATEWAY_PORT: String(port), GROUPS_PORT: "0", ORGANISATIONS_PORT: "0", PLANNING_PORT: "0" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      launcher = child;
      let output = "";
      child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
      const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
      expect(code, output).toBe(1);
      expect(output).toContain(`Port ${port} on 127.0.0.1 (the gateway) is already in use by another process`);
      expect(output).toContain("set GATEWAY_PORT to a free port");
      // Before anything was started: no database, no web build, no process, no raw trace.
      expect(output).not.toMatch(/Using PostgreSQL|Starting embedded|ready at|EADDRINUSE|\n\s+at /);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
