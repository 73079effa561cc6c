import { randomUUID } from "node:crypto";
import pg from "pg";
import { CHANGE_FEED_CHANNEL, logger, readConfig, signViewer, VIEWER_HEADER, ViewerRole, type BackgroundContext, type Config } from "@yhdyspinta/core";
import {
  claimWebhookEndpoint,
  finishWebhookReplay,
  insertWebhookDeadLetter,
  nextWebhookReplay,
  nextWebhookRetry,
  recordWebhookOutcome,
  releaseWebhookEndpoint,
  WEBHOOK_CHANNEL,
  webhookWorkerSql,
  type EndpointRow,
  type WebhookWorkerSql,
  type FeedPositions,
} from "./webhook.queries.ts";
import { changeMessage, encodeCursor, FEED_SUBGRAPHS, retryDelayMs, signedHeaders, type FeedEvent, type FeedSubgraph, type WebhookMessage } from "./webhook.rules.ts";

/**
 * The webhook delivery worker, run by every organisations subgraph process
 * (docs/WEBHOOKS.md). It never touches a write: it runs after commits, reading
 * the change feed of the three subgraphs (each subgraph's
 * `<name>ChangeFeed` field, asked directly with the internal signature as an
 * admin), and wakes on PostgreSQL's `LISTEN change_feed` of each subgraph's
 * database (and `LISTEN webhooks` of its own, for registrations and
 * replays), with a fallback look every `WEBHOOK_FALLBACK_INTERVAL_MS`.
 *
 * Per endpoint, its state is in `webhook_endpoint` (the feed positions
 * delivered up to, failed attempts of the next message, when to retry), so a
 * restarted or another replica's worker continues where the last stopped; a
 * lease row-lock keeps one worker per endpoint, so its messages go one at a
 * time in feed order (per record: commit order).
 */

/** Events read from each subgraph's feed per request. */
const FEED_PAGE = 25;
/** Messages one endpoint is given per turn before the others get theirs. */
const TURN = 200;
/** Endpoints served at once. */
const PARALLEL = 4;

const FEED_FIELDS = `position hasMore events { position subgraph committedAt countyCode change { id changedAt actorSubject actorRole entityType entityId operation before after changedFields } }`;

interface FeedPage {
  events: FeedEvent[];
  hasMore: boolean;
}

export interface WebhookWorkerOptions {
  orm: BackgroundContext["orm"];
  subgraphUrls: Readonly<Record<string, string>>;
  internalAuthSecret: string | undefined;
  /** Databases whose `change_feed` notifications wake the worker; the first is the store's own. */
  listenUrls: readonly string[];
  settings: Config["webhooks"];
}

/** Attempt outcome: accepted (2xx) or why not. */
type Outcome = { ok: true } | { ok: false; error: string };

export class WebhookWorker {
  private readonly owner = `worker-${randomUUID()}`;
  private readonly leaseMs: number;
  private readonly clients: pg.Client[] = [];
  private stopped = false;
  private running: Promise<void> | null = null;
  private again = false;
  /** A turn failed for a reason not the receiver's (a feed unreachable): look again soon. */
  private troubled = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly reconnects = new Set<NodeJS.Timeout>();
  private readonly sql: WebhookWorkerSql;

  constructor(private readonly options: WebhookWorkerOptions) {
    this.sql = webhookWorkerSql(options.listenUrls[0]!, options.orm.em.getPlatform(), options.settings.timeoutMs + 20_000);
    // Renewed at every outcome recorded; between two, at most a feed read and an attempt, each bounded by the timeout.
    // A killed worker's endpoints wait this long for another (nextWebhookRetry wakes the others when it ends).
    this.leaseMs = options.settings.timeoutMs * 2 + 5_000;
  }

  async start(): Promise<void> {
    await Promise.all(this.options.listenUrls.map((url, i) => this.listen(url, i === 0)));
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const timer of this.reconnects) clearTimeout(timer);
    await Promise.all(this.clients.map((c) => c.end().catch(() => undefined)));
    await this.running;
    await this.sql.end().catch(() => undefined);
  }

  /** Looks for work now (coalesced: a pass under way makes another when it ends). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.pass()
      .catch((error: unknown) => {
        this.troubled = true;
        logger().warn({ err: error instanceof Error ? error.message : String(error) }, "webhook delivery pass failed");
      })
      .then(() => this.schedule())
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async schedule(): Promise<void> {
    if (this.stopped) return;
    let delay = this.troubled ? Math.min(2_000, this.options.settings.fallbackIntervalMs) : this.options.settings.fallbackIntervalMs;
    this.troubled = false;
    try {
      const next = await nextWebhookRetry(this.em());
      if (next) delay = Math.min(delay, Math.max(0, new Date(next).getTime() - Date.now()));
    } catch {
      // The database is away: the fallback interval looks again.
    }
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), delay);
    this.timer.unref();
  }

  private async listen(url: string, own: boolean): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: url });
    const retry = () => {
      const index = this.clients.indexOf(client);
      if (index >= 0) this.clients.splice(index, 1);
      client.end().catch(() => undefined);
      if (this.stopped) return;
      const timer = setTimeout(() => {
        this.reconnects.delete(timer);
        void this.listen(url, own);
      }, 2_000);
      timer.unref();
      this.reconnects.add(timer);
    };
    client.on("error", retry);
    client.on("notification", () => this.wake());
    try {
      await client.connect();
      this.clients.push(client);
      await client.query(`LISTEN ${CHANGE_FEED_CHANNEL}`);
      if (own) await client.query(`LISTEN ${WEBHOOK_CHANNEL}`);
      // What committed while not listening is found by a pass.
      this.wake();
    } catch {
      client.removeListener("error", retry);
      retry();
    }
  }

  /** Where the worker's statements run: its own pool, not the ORM's (see WebhookWorkerSql). */
  private em(): WebhookWorkerSql {
    return this.sql;
  }

  private async pass(): Promise<void> {
    const served: string[] = [];
    while (!this.stopped) {
      const batch: EndpointRow[] = [];
      while (batch.length < PARALLEL) {
        const endpoint = await claimWebhookEndpoint(this.em(), this.owner, this.leaseMs, served);
        if (!endpoint) break;
        served.push(endpoint.id);
        batch.push(endpoint);
      }
      if (batch.length === 0) return;
      await Promise.all(
        batch.map(async (endpoint) => {
          try {
            await this.serve(endpoint);
          } catch (error) {
            this.troubled = true;
            logger().warn({ endpointId: endpoint.id, err: error instanceof Error ? error.message : String(error) }, "webhook endpoint turn failed");
          } finally {
            await releaseWebhookEndpoint(this.em(), endpoint.id, this.owner).catch(() => undefined);
          }
        }),
      );
    }
  }

  /** One endpoint's turn: its queued replays, then the feed after its position, until caught up, waiting for a retry, or its turn is over. */
  private async serve(endpoint: EndpointRow): Promise<void> {
    const { maxAttempts, backoffMs, backoffMaxMs } = this.options.settings;
    let positions: FeedPositions = { ...endpoint.positions };
    let attempts = endpoint.attempts;
    let sent = 0;
    const save = async (state: { attempts: number; nextAttemptAt: Date | null; lastError: string | null; delivered: boolean }) => {
      const held = await recordWebhookOutcome(this.em(), endpoint.id, this.owner, { positions, attempted: true, ...state }, this.leaseMs);
      if (!held) throw new Error("lease lost");
    };
    /** After a failed attempt: wait (false) or, when it was the last, give up on the message (true). */
    const failed = async (error: string): Promise<boolean> => {
      attempts++;
      logger().warn({ endpointId: endpoint.id, attempts, error }, "webhook delivery failed");
      if (attempts >= maxAttempts) return true;
      await save({ attempts, nextAttemptAt: new Date(Date.now() + retryDelayMs(attempts, backoffMs, backoffMaxMs)), lastError: error, delivered: false });
      return false;
    };

    // Replays of dead letters first, oldest first.
    for (let replay = await nextWebhookReplay(this.em(), endpoint.id); replay && !this.stopped && sent < TURN; replay = await nextWebhookReplay(this.em(), endpoint.id)) {
      sent++;
      const outcome = await this.attempt(endpoint, { id: replay.message_id, type: replay.event_type, body: replay.payload });
      if (outcome.ok) {
        await finishWebhookReplay(this.em(), replay.id, { delivered: true });
        logger().info({ endpointId: endpoint.id, messageId: replay.message_id }, "webhook dead letter replayed");
        attempts = 0;
        await save({ attempts: 0, nextAttemptAt: null, lastError: null, delivered: true });
        continue;
      }
      if (!(await failed(outcome.error))) return;
      await finishWebhookReplay(this.em(), replay.id, { delivered: false, attempts, lastError: outcome.error });
      attempts = 0;
      await save({ attempts: 0, nextAttemptAt: null, lastError: outcome.error, delivered: false });
    }

    // Then the feed.
    while (!this.stopped && sent < TURN) {
      const { events, more } = await this.readFeed(endpoint, positions);
      for (const { event, after } of events) {
        if (this.stopped || sent >= TURN) return;
        sent++;
        const message = changeMessage(event, encodeCursor(after));
        const outcome = await this.attempt(endpoint, message);
        if (outcome.ok) {
          positions = after;
          attempts = 0;
          await save({ attempts: 0, nextAttemptAt: null, lastError: null, delivered: true });
          continue;
        }
        if (!(await failed(outcome.error))) return;
        // Every attempt failed: the message goes to the dead-letter list and the endpoint moves on.
        await insertWebhookDeadLetter(this.em(), { id: randomUUID(), endpointId: endpoint.id, messageId: message.id, eventType: message.type, payload: message.body, attempts, lastError: outcome.error });
        logger().warn({ endpointId: endpoint.id, messageId: message.id, attempts }, "webhook message dead-lettered");
        positions = after;
        attempts = 0;
        await save({ attempts: 0, nextAttemptAt: null, lastError: outcome.error, delivered: false });
      }
      if (!more) return;
    }
  }

  /** POSTs one message, signed for this attempt. */
  private async attempt(endpoint: EndpointRow, message: WebhookMessage): Promise<Outcome> {
    try {
      const response = await fetch(endpoint.url, {
        method: "POST",
        headers: signedHeaders(endpoint.secret, message),
        body: message.body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.settings.timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      return response.status >= 200 && response.status < 300 ? { ok: true } : { ok: false, error: `HTTP ${response.status}` };
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } }).cause;
      const name = error instanceof Error ? error.name : "";
      return { ok: false, error: name === "TimeoutError" ? "no answer in time" : `no connection (${typeof cause?.code === "string" ? cause.code : "network error"})` };
    }
  }

  /** The next events after `positions` that pass the endpoint's filters, in commit-time order, each with the positions after it. */
  private async readFeed(endpoint: EndpointRow, positions: FeedPositions): Promise<{ events: { event: FeedEvent; after: FeedPositions }[]; more: boolean }> {
    const pages = Object.fromEntries(
      await Promise.all(FEED_SUBGRAPHS.map(async (name) => [name, await this.readSubgraphFeed(name, positions[name], endpoint)] as const)),
    ) as Record<FeedSubgraph, FeedPage>;
    const heads: Record<FeedSubgraph, number> = { groups: 0, organisations: 0, planning: 0 };
    const current = { ...positions };
    const events: { event: FeedEvent; after: FeedPositions }[] = [];
    for (;;) {
      let next: FeedSubgraph | null = null;
      let blocked = false;
      for (const name of FEED_SUBGRAPHS) {
        const event = pages[name].events[heads[name]];
        if (!event) {
          // A subgraph whose page is used up but has more: its next event may come first.
          if (pages[name].hasMore) blocked = true;
          continue;
        }
        const best = next ? pages[next].events[heads[next]]! : null;
        if (!best || Date.parse(event.committedAt) < Date.parse(best.committedAt)) next = name;
      }
      if (!next || blocked) break;
      const event = pages[next].events[heads[next]++]!;
      current[next] = event.position;
      events.push({ event, after: { ...current } });
    }
    const more = FEED_SUBGRAPHS.some((name) => heads[name] < pages[name].events.length || pages[name].hasMore);
    return { events, more };
  }

  private async readSubgraphFeed(name: FeedSubgraph, after: string, endpoint: EndpointRow): Promise<FeedPage> {
    const url = this.options.subgraphUrls[name];
    if (!url) throw new Error(`no URL for the ${name} subgraph`);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (this.options.internalAuthSecret) {
      headers[VIEWER_HEADER] = await signViewer({ subject: "service:webhooks", role: ViewerRole.Admin, scopes: new Set(), counties: new Set() }, this.options.internalAuthSecret);
    }
    const query = `query WebhookFeed($after: String, $first: Int, $types: [String!], $countyCodes: [ID!]) { feed: ${name}ChangeFeed(after: $after, first: $first, types: $types, countyCodes: $countyCodes) { ${FEED_FIELDS} } }`;
    const response = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables: { after, first: FEED_PAGE, types: endpoint.types, countyCodes: endpoint.county_codes } }),
      signal: AbortSignal.timeout(this.options.settings.timeoutMs),
    });
    const body = (await response.json()) as { data?: { feed?: FeedPage } | null; errors?: { message?: string }[] };
    if (!body.data?.feed) throw new Error(`the ${name} change feed answered HTTP ${response.status}: ${body.errors?.map((e) => e.message).join("; ") ?? "no data"}`);
    return body.data.feed;
  }
}

/** The organisations service's `background`: the worker, unless `WEBHOOK_DELIVERY=false`. */
export async function startWebhookWorker(context: BackgroundContext): Promise<{ stop(): Promise<void> }> {
  const config = readConfig();
  if (!config.webhooks.delivery) return { stop: async () => {} };
  const others = Object.entries(config.databaseUrls)
    .filter(([name, url]) => name !== "organisations" && url && url !== context.databaseUrl)
    .map(([, url]) => url!);
  const worker = new WebhookWorker({
    orm: context.orm,
    subgraphUrls: context.subgraphUrls,
    internalAuthSecret: context.internalAuthSecret,
    listenUrls: [context.databaseUrl, ...new Set(others)],
    settings: config.webhooks,
  });
  await worker.start();
  return worker;
}
