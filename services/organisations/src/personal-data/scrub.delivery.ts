import pg from "pg";
import { logger, SCRUB_CALLER, SCRUB_PATH, signViewer, subgraphUrl, VIEWER_HEADER, ViewerRole, type BackgroundContext, type Config, type ScrubRequest } from "@yhdyspinta/core";
import {
  claimDueScrub,
  deleteScrub,
  lockScrub,
  nextScrubAttempt,
  pendingScrubs,
  poolScrubStore,
  recordScrubFailure,
  SCRUB_CHANNEL,
  type ScrubRow,
  type ScrubStore,
  type ScrubTx,
} from "./scrub.queries.ts";

/**
 * Delivery of the scrub outbox (docs/PERSONAL-DATA.md "Erasure"): each
 * row's values are posted to its subgraph's `/internal/personal-data/scrub`
 * (core's personal-data-scrub.ts), signed as the organisations service,
 * while the row is locked; a 200 deletes the row, anything else keeps it
 * with the attempt counted and a later time to try again. The erasure
 * request (and the retention job) tries its own rows at once, after its
 * commit; the worker below takes every row still due, woken by the
 * outbox's notification, by the time of its next attempt, and at start, so
 * a subgraph that was down gets the values when it is back, and a row
 * survives a restart of this subgraph too. The receiving side is
 * idempotent, so a delivery repeated after a lost answer does no harm.
 */

/** The subgraphs that refer to people by id and so get each anonymised person's values. */
export const SCRUB_SUBGRAPHS = ["groups", "planning"] as const;

/** Where the subgraphs are and how to sign for them. */
export interface ScrubTargets {
  urls: Readonly<Partial<Record<string, string>>>;
  internalSecret: string | undefined;
  /** Longest wait for one answer (default 30 s). */
  timeoutMs?: number;
}

/** The targets from the process's configuration. */
export function scrubTargets(config: Pick<Config, "subgraphUrls" | "ports" | "internalAuthSecret">): ScrubTargets {
  return { urls: Object.fromEntries(SCRUB_SUBGRAPHS.map((name) => [name, subgraphUrl(config, name)])), internalSecret: config.internalAuthSecret };
}

/** Wait before the next attempt after `attempts` failed ones: 1 s doubling, at most 30 s. */
export function scrubRetryDelayMs(attempts: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, attempts - 1));
}

type Attempt = { ok: true; records: number; changes: number } | { ok: false; error: string };

async function post(targets: ScrubTargets, row: ScrubRow): Promise<Attempt> {
  const base = targets.urls[row.subgraph];
  if (!base) return { ok: false, error: `no URL for the ${row.subgraph} subgraph` };
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (targets.internalSecret) headers[VIEWER_HEADER] = await signViewer({ subject: SCRUB_CALLER, role: ViewerRole.Admin, scopes: new Set(), counties: new Set() }, targets.internalSecret);
  const request: ScrubRequest = { erasureId: row.erasure_id, personId: row.person_id, values: row.scrub_values, reason: row.reason, requestedBy: row.requested_by };
  try {
    const response = await fetch(new URL(SCRUB_PATH.slice(1), base), { method: "POST", headers, body: JSON.stringify(request), signal: AbortSignal.timeout(targets.timeoutMs ?? 30_000) });
    const body = (await response.json().catch(() => null)) as { records?: number; changes?: number } | null;
    if (response.status !== 200) return { ok: false, error: `HTTP ${response.status}` };
    return { ok: true, records: body?.records ?? 0, changes: body?.changes ?? 0 };
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    const name = error instanceof Error ? error.name : "";
    return { ok: false, error: name === "TimeoutError" ? "no answer in time" : `no connection (${typeof cause?.code === "string" ? cause.code : "network error"})` };
  }
}

/**
 * One attempt at a locked row, its outcome written in the same transaction.
 * Returns the log line to write once that transaction has committed: ids
 * and counts, never the values.
 */
async function attempt(tx: ScrubTx, row: ScrubRow, targets: ScrubTargets): Promise<() => void> {
  const outcome = await post(targets, row);
  const attempts = row.attempts + 1;
  if (outcome.ok) {
    await deleteScrub(tx, row.id);
    return () => logger().info({ erasureId: row.erasure_id, subgraph: row.subgraph, attempts, records: outcome.records, changes: outcome.changes }, "personal data scrub delivered");
  }
  const retryInMs = scrubRetryDelayMs(attempts);
  await recordScrubFailure(tx, row.id, { attempts, nextAttemptAt: new Date(Date.now() + retryInMs), error: outcome.error });
  return () => logger().warn({ erasureId: row.erasure_id, subgraph: row.subgraph, attempts, error: outcome.error, retryInMs }, "personal data scrub not delivered; trying again later");
}

/**
 * Delivers an erasure's rows now, one subgraph at a time (waiting for a
 * delivery of the worker's under way), and returns the subgraphs still
 * waiting: those the worker will try again. Never throws: the erasure is
 * committed whatever happens here.
 */
export async function deliverScrubsOf(store: ScrubStore, erasureId: string, targets: ScrubTargets): Promise<string[]> {
  try {
    for (const subgraph of await store.transaction((tx) => pendingScrubs(tx, erasureId))) {
      const report = await store.transaction(async (tx) => {
        const row = await lockScrub(tx, erasureId, subgraph);
        return row ? await attempt(tx, row, targets) : null;
      });
      report?.();
    }
    return await store.transaction((tx) => pendingScrubs(tx, erasureId));
  } catch (error) {
    logger().warn({ erasureId, err: error instanceof Error ? error.message : String(error) }, "personal data scrub: delivery left to the worker");
    return [...SCRUB_SUBGRAPHS];
  }
}

/** Looks again this often when nothing is due (rows another process's notification announced, say). */
const FALLBACK_MS = 5 * 60_000;

/**
 * The delivery worker, run by every organisations subgraph process: takes
 * each due row (`for update skip locked`, so replicas share them) and
 * attempts it, until none is due; then sleeps until the next row is due,
 * a notification comes, or the fallback look.
 */
export class ScrubWorker {
  private readonly store: ScrubStore;
  private client: pg.Client | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private reconnect: NodeJS.Timeout | null = null;

  constructor(
    private readonly databaseUrl: string,
    private readonly targets: ScrubTargets,
    platform: { formatQuery(sql: string, params: readonly unknown[]): string },
  ) {
    this.store = poolScrubStore(databaseUrl, platform, (targets.timeoutMs ?? 30_000) + 20_000);
  }

  async start(): Promise<void> {
    await this.listen();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.reconnect) clearTimeout(this.reconnect);
    await this.client?.end().catch(() => undefined);
    await this.running;
    await this.store.end().catch(() => undefined);
  }

  /** Looks for due rows now (coalesced: a pass under way makes another when it ends). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let delay = FALLBACK_MS;
    this.running = this.pass()
      .then(async () => {
        const next = await this.store.transaction((tx) => nextScrubAttempt(tx));
        if (next) delay = Math.min(delay, Math.max(0, next.getTime() - Date.now()));
      })
      .catch((error: unknown) => {
        delay = 2_000;
        logger().warn({ err: error instanceof Error ? error.message : String(error) }, "personal data scrub pass failed");
      })
      .finally(() => {
        this.running = null;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.wake();
          return;
        }
        this.timer = setTimeout(() => this.wake(), delay);
        this.timer.unref();
      });
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    const retry = () => {
      if (this.client === client) this.client = null;
      client.end().catch(() => undefined);
      if (this.stopped || this.reconnect) return;
      this.reconnect = setTimeout(() => {
        this.reconnect = null;
        void this.listen();
      }, 2_000);
      this.reconnect.unref();
    };
    client.on("error", retry);
    client.on("notification", () => this.wake());
    try {
      await client.connect();
      await client.query(`LISTEN ${SCRUB_CHANNEL}`);
      this.client = client;
      // What was announced while not listening is found by a pass.
      this.wake();
    } catch {
      client.removeListener("error", retry);
      retry();
    }
  }

  private async pass(): Promise<void> {
    const tried: string[] = [];
    while (!this.stopped) {
      const report = await this.store.transaction(async (tx) => {
        const row = await claimDueScrub(tx, tried);
        if (!row) return null;
        tried.push(row.id);
        return await attempt(tx, row, this.targets);
      });
      if (!report) return;
      report();
    }
  }
}

/** The organisations service's `background` part: the scrub worker, on the subgraph's own database. */
export async function startScrubWorker(context: BackgroundContext, config: Pick<Config, "subgraphUrls" | "ports" | "internalAuthSecret">): Promise<{ stop(): Promise<void> }> {
  const targets: ScrubTargets = {
    urls: Object.fromEntries(SCRUB_SUBGRAPHS.map((name) => [name, context.subgraphUrls[name] ?? subgraphUrl(config, name)])),
    internalSecret: context.internalAuthSecret,
  };
  const worker = new ScrubWorker(context.databaseUrl, targets, context.orm.em.getPlatform());
  await worker.start();
  return worker;
}
