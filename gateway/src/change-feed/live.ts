import { CHANGE_NOTIFICATIONS_PATH, logger, signViewer, VIEWER_HEADER, ViewerRole } from "@yhdyspinta/core";
import { encodeFeedCursor, FEED_SUBGRAPHS, START, type FeedEvent, type FeedPage, type FeedPositions, type FeedSubgraph } from "./merge.ts";

/**
 * The gateway process's one view of the subgraphs' commits: per subgraph,
 * one Server-Sent Events stream of its commit notifications (the subgraph's
 * `LISTEN change_feed`, see packages/core/src/change-notifications.ts), and,
 * while somebody subscribes, one reader of its change feed from the last
 * position read. Subscribers (the SSE subscriptions, subscriptions.ts) and
 * the response cache (response-cache.ts) hang off it: the databases are
 * asked once per commit and process, never per client, and nothing polls.
 */

const FEED_FIELDS = `position hasMore events { position subgraph committedAt countyCode change { id changedAt actorSubject actorRole entityType entityId operation before after changedFields } }`;
const PAGE = 200;
const RECONNECT_MS = [100, 500, 1_000, 2_000, 5_000];
/** A stream silent this long (the subgraph sends a comment every 15 s) is taken for dead and opened again. */
const SILENCE_MS = 40_000;

export interface LiveEvent {
  /** A `GET /changes` cursor just after this change (positions of every subgraph as this process has read them). */
  cursor: string;
  event: FeedEvent;
}

export interface ChangeHubListener {
  /** A subgraph committed a change (or this process's view of it was restored): anything read from it may be out of date. */
  changed(subgraph: string): void;
  /** The stream of a subgraph is down or back: while down, its commits go unannounced. */
  connected(subgraph: string, up: boolean): void;
}

export interface ChangeHubOptions {
  subgraphUrls: Readonly<Record<string, string>>;
  internalAuthSecret: string;
}

interface Stream {
  name: FeedSubgraph;
  url: string;
  up: boolean;
  /** Highest `seq` announced. */
  head: bigint;
  /** Position the feed is read up to (events after it not yet given to subscribers). */
  read: bigint;
  reading: Promise<void> | null;
  again: boolean;
  abort: AbortController | null;
  attempts: number;
}

export class ChangeHub {
  private readonly streams: Stream[];
  private readonly listeners = new Set<ChangeHubListener>();
  private readonly subscribers = new Set<(event: LiveEvent) => void>();
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: ChangeHubOptions) {
    this.streams = FEED_SUBGRAPHS.filter((name) => options.subgraphUrls[name]).map((name) => ({
      name,
      url: options.subgraphUrls[name]!,
      up: false,
      head: 0n,
      read: 0n,
      reading: null,
      again: false,
      abort: null,
      attempts: 0,
    }));
  }

  start(): void {
    for (const stream of this.streams) void this.connect(stream);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const stream of this.streams) stream.abort?.abort();
    await Promise.all(this.streams.map((s) => s.reading?.catch(() => undefined)));
  }

  /** Whether every subgraph's stream is up (so every commit from now on will be announced). */
  get connected(): boolean {
    return this.streams.every((s) => s.up);
  }

  /** Resolves once every subgraph's stream is up (so every commit from then on is announced); rejects after `timeoutMs`. */
  async ready(timeoutMs = 10_000): Promise<void> {
    if (this.connected) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        remove();
        reject(new Error("The subgraphs' change notifications are unavailable; try again shortly"));
      }, timeoutMs);
      const remove = this.addListener({
        changed: () => undefined,
        connected: () => {
          if (!this.connected) return;
          clearTimeout(timer);
          queueMicrotask(remove);
          resolve();
        },
      });
    });
  }

  /** The highest commit announced by each subgraph so far. */
  heads(): Map<string, bigint> {
    return new Map(this.streams.map((s) => [s.name, s.head]));
  }

  /**
   * Resolves once one of `subgraphs` has announced a commit after `since`
   * (true), or after `timeoutMs`, or at once when none of them is being heard
   * (false): a mutation waits for its own commit's notification this way.
   */
  async commitAfter(since: ReadonlyMap<string, bigint>, subgraphs: Iterable<string>, timeoutMs: number): Promise<boolean> {
    const watched = this.streams.filter((s) => [...subgraphs].includes(s.name) && s.up);
    const seen = () => watched.some((s) => s.head > (since.get(s.name) ?? 0n));
    if (watched.length === 0) return false;
    if (seen()) return true;
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        remove();
        resolve(false);
      }, timeoutMs);
      const remove = this.addListener({
        changed: () => {
          if (!seen()) return;
          clearTimeout(timer);
          queueMicrotask(remove);
          resolve(true);
        },
        connected: () => undefined,
      });
    });
  }

  addListener(listener: ChangeHubListener): () => void {
    this.listeners.add(listener);
    for (const stream of this.streams) listener.connected(stream.name, stream.up);
    return () => this.listeners.delete(listener);
  }

  /** Every committed change from now on, in each subgraph's commit order; returns the unsubscribe. */
  subscribe(onEvent: (event: LiveEvent) => void): () => void {
    this.subscribers.add(onEvent);
    return () => this.subscribers.delete(onEvent);
  }

  private positions(): FeedPositions {
    const positions = { ...START };
    for (const stream of this.streams) positions[stream.name] = String(stream.read);
    return positions;
  }

  private async viewerHeader(): Promise<string> {
    return await signViewer({ subject: "service:gateway-live", role: ViewerRole.Admin, scopes: new Set(), counties: new Set() }, this.options.internalAuthSecret);
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private setUp(stream: Stream, up: boolean): void {
    if (stream.up === up) return;
    stream.up = up;
    for (const listener of this.listeners) listener.connected(stream.name, up);
  }

  private async connect(stream: Stream): Promise<void> {
    if (this.stopped) return;
    const abort = new AbortController();
    stream.abort = abort;
    // A connection that died without closing (a half-open TCP connection) would announce nothing, ever.
    let watchdog: NodeJS.Timeout | undefined;
    const heard = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => abort.abort(new Error("no word from the stream")), SILENCE_MS);
      watchdog.unref();
    };
    try {
      heard();
      const response = await fetch(new URL(CHANGE_NOTIFICATIONS_PATH.slice(1), stream.url), {
        headers: { accept: "text/event-stream", [VIEWER_HEADER]: await this.viewerHeader() },
        signal: abort.signal,
      });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      const decoder = new TextDecoder();
      let buffer = "";
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        heard();
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (\w+)$/m.exec(frame)?.[1];
          const data = /^data: (\d+)$/m.exec(frame)?.[1];
          if (!event || data === undefined) continue;
          this.announce(stream, event, BigInt(data));
        }
      }
      throw new Error("stream ended");
    } catch (error) {
      clearTimeout(watchdog);
      if (this.stopped) return;
      if (stream.up) logger().warn({ subgraph: stream.name, err: error instanceof Error ? error.message : String(error) }, "change notifications lost; reconnecting");
      this.setUp(stream, false);
      const delay = RECONNECT_MS[Math.min(stream.attempts, RECONNECT_MS.length - 1)]!;
      stream.attempts += 1;
      this.later(() => void this.connect(stream), delay);
    }
  }

  private announce(stream: Stream, kind: string, seq: bigint): void {
    if (kind === "position") {
      stream.attempts = 0;
      const first = stream.head === 0n && stream.read === 0n && !stream.up;
      if (seq > stream.head) stream.head = seq;
      // The first time: subscribers get what commits from now on. After an outage: what was missed too.
      if (first) stream.read = seq;
      this.setUp(stream, true);
    } else if (kind === "commit") {
      if (seq > stream.head) stream.head = seq;
    } else {
      return;
    }
    for (const listener of this.listeners) listener.changed(stream.name);
    this.catchUp(stream);
  }

  /** Reads the feed up to the head while anybody subscribes (coalesced: one reader per subgraph). */
  private catchUp(stream: Stream): void {
    if (this.subscribers.size === 0) {
      stream.read = stream.head > stream.read ? stream.head : stream.read;
      return;
    }
    if (stream.reading) {
      stream.again = true;
      return;
    }
    stream.reading = this.readFeed(stream)
      .catch((error: unknown) => {
        logger().warn({ subgraph: stream.name, err: error instanceof Error ? error.message : String(error) }, "live changes: feed read failed");
        // Tried again at the next notification or reconnection.
      })
      .finally(() => {
        stream.reading = null;
        if (stream.again && !this.stopped) {
          stream.again = false;
          this.catchUp(stream);
        }
      });
  }

  private async readFeed(stream: Stream): Promise<void> {
    const field = `${stream.name}ChangeFeed`;
    while (!this.stopped && stream.read < stream.head) {
      // Announced, so committed and visible: a page that ends the feed has read everything up to it.
      const head = stream.head;
      const response = await fetch(new URL("graphql", stream.url), {
        method: "POST",
        headers: { "content-type": "application/json", [VIEWER_HEADER]: await this.viewerHeader() },
        body: JSON.stringify({ query: `query LiveFeed($after: String, $first: Int) { feed: ${field}(after: $after, first: $first) { ${FEED_FIELDS} } }`, variables: { after: String(stream.read), first: PAGE } }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await response.json()) as { data?: { feed?: FeedPage } | null; errors?: { message?: string }[] };
      const page = body.data?.feed;
      if (!page) throw new Error(`HTTP ${response.status}: ${body.errors?.map((e) => e.message).join("; ") ?? "no data"}`);
      for (const event of page.events) {
        stream.read = BigInt(event.position);
        const live = { cursor: encodeFeedCursor(this.positions()), event };
        for (const subscriber of this.subscribers) subscriber(live);
      }
      // (Positions of other subgraphs' rows, where the benchmark shares one database, are skipped by the feed.)
      if (!page.hasMore && stream.read < head) stream.read = head;
    }
  }
}
