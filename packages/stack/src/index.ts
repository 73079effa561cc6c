import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import {
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

function command(mode: RunMode): [string, string[]] {
  return mode === "compiled" ? [process.execPath, ["dist/main.js"]] : [tsx, ["--conditions=development", "src/main.ts"]];
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
  /** HS256 secret for callers' tokens (development). */
  authJwtSecret?: string | undefined;
  authJwksUrl?: string | undefined;
  authIssuer?: string | undefined;
  authAudience?: string | undefined;
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
}

export interface RunningStack {
  gatewayUrl: string;
  subgraphUrls: Record<ServiceName, string>;
  /** Base database URL (services use `<database>_<service>`). */
  databaseUrl: string;
  postgres: RunningPostgres | null;
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
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const [file, args] = command(mode);
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
    child.on("exit", (code, signal) => {
      if (!resolved) reject(new Error(`${source} exited (${code ?? signal}) before it was ready:\n${output.join("\n")}`));
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

/**
 * Starts the whole supergraph: PostgreSQL (embedded unless a URL is given),
 * then the three subgraphs (each migrates and seeds its own database), then
 * the gateway. Everything it started stops with `stop()`.
 */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const log = options.log ?? defaultLog;
  const mode = options.mode ?? "compiled";
  const children: ChildProcess[] = [];
  let postgres: RunningPostgres | null = null;
  const killAll = () => children.forEach((c) => c.kill("SIGTERM"));
  process.once("exit", killAll);
  const stop = async () => {
    process.off("exit", killAll);
    // Gateway first, then subgraphs, then the database they use.
    for (const child of [...children].reverse()) await stopChild(child);
    await postgres?.stop();
  };
  const began = performance.now();
  try {
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      postgres = await startEmbeddedPostgres({
        dataDir: options.dataDir ?? `${root}.data/postgres`,
        port: options.postgresPort ?? 0,
        persistent: !options.ephemeral,
        fast: options.ephemeral ?? false,
      });
      databaseUrl = withDatabase(postgres.url, "yhdyspinta");
      log("stack", `PostgreSQL ready (${((performance.now() - began) / 1000).toFixed(1)} s)`);
    }
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
    const started = await Promise.all(
      SERVICE_NAMES.map(async (name) => {
        const { url } = await spawnReady(
          mode,
          name,
          `${root}services/${name}`,
          { ...baseEnv, ...urlsEnv, ...configEnv({ ports: { [name]: ports[name] } }) },
          log,
          (child) => children.push(child),
        );
        return [name, url] as const;
      }),
    );
    const subgraphUrls = Object.fromEntries(started) as Record<ServiceName, string>;
    const gatewayEnv: NodeJS.ProcessEnv = {
      ...baseEnv,
      ...configEnv({
        ports: { gateway: ports.gateway },
        subgraphUrls,
        auth: { jwtSecret: options.authJwtSecret, jwksUrl: options.authJwksUrl, issuer: options.authIssuer, audience: options.authAudience },
      }),
    };
    const gateway = await spawnReady(mode, "gateway", `${root}gateway`, gatewayEnv, log, (child) => children.push(child));
    return { gatewayUrl: gateway.url, subgraphUrls, databaseUrl, postgres, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
