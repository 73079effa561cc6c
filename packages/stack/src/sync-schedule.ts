import { type ChildProcess, spawn } from "node:child_process";
import type { Config } from "@yhdyspinta/core";
import { SYNC_SERVICES } from "./sync-services.ts";

/**
 * The optional in-stack schedule of register syncs (`SYNC_SCHEDULE`, off by
 * default): at each due time the stack runs `sync-cli` of each register's
 * service, one register after another, as a child process with the stack's
 * database. A failed sync changes nothing and leaves its report; the next
 * one runs at the next due time.
 */
export type SyncSchedule = Config["registers"]["schedule"];

/** The next due time after `now`: hourly on the hour, nightly at 03:00 UTC, weekly on Sunday at 03:00 UTC. */
export function nextSyncAt(schedule: Exclude<SyncSchedule, "off">, now: Date): Date {
  const next = new Date(now);
  if (schedule === "hourly") {
    next.setUTCMinutes(0, 0, 0);
    next.setUTCHours(next.getUTCHours() + 1);
    return next;
  }
  next.setUTCHours(3, 0, 0, 0);
  if (next <= now) next.setUTCDate(next.getUTCDate() + 1);
  if (schedule === "weekly") while (next.getUTCDay() !== 0) next.setUTCDate(next.getUTCDate() + 1);
  return next;
}

const root = new URL("../../../", import.meta.url).pathname;

export interface SyncScheduleOptions {
  schedule: SyncSchedule;
  /** Base PostgreSQL URL of the stack (each service derives its own database). */
  databaseUrl: string;
  mode: "compiled" | "source";
  log: (line: string) => void;
  registers?: readonly string[];
  now?: () => Date;
}

/** Starts the schedule; `stop()` cancels the next run and ends a running sync. */
export function startSyncSchedule(options: SyncScheduleOptions): { stop: () => void } {
  if (options.schedule === "off") return { stop: () => undefined };
  const schedule = options.schedule;
  const registers = options.registers ?? Object.keys(SYNC_SERVICES);
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let running: ChildProcess | undefined;
  let stopped = false;

  const runOne = (register: string) =>
    new Promise<void>((resolve) => {
      const service = SYNC_SERVICES[register]!;
      const [file, args] =
        options.mode === "compiled"
          ? [process.execPath, [`${root}services/${service}/dist/sync-cli.js`, register]]
          : [`${root}node_modules/.bin/tsx`, ["--conditions=development", `${root}services/${service}/src/sync-cli.ts`, register]];
      const child = spawn(file, args, { cwd: root, env: { ...process.env, DATABASE_URL: options.databaseUrl }, stdio: ["ignore", "pipe", "pipe"] });
      running = child;
      const relay = (chunk: Buffer) => {
        for (const line of chunk.toString().split("\n")) if (line.trim()) options.log(`[sync ${register}] ${line}`);
      };
      child.stdout?.on("data", relay);
      child.stderr?.on("data", relay);
      child.on("exit", () => {
        running = undefined;
        resolve();
      });
    });

  const plan = () => {
    if (stopped) return;
    const at = nextSyncAt(schedule, now());
    options.log(`register sync (${schedule}) next at ${at.toISOString()}: ${registers.join(", ")}`);
    timer = setTimeout(async () => {
      for (const register of registers) {
        if (stopped) return;
        await runOne(register);
      }
      plan();
    }, Math.max(0, at.getTime() - now().getTime()));
    timer.unref();
  };
  plan();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      running?.kill("SIGTERM");
    },
  };
}
