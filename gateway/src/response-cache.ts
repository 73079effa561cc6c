import { createHash } from "node:crypto";
import type { ApolloServerPlugin, GraphQLRequestContext } from "@apollo/server";
import { answerRaw, peekRawAnswer, type Viewer } from "@yhdyspinta/core";

export interface ResponseCacheOptions {
  /** Time-to-live of a cached response, the backstop for writes that do not pass through this gateway. */
  ttlSeconds: number;
  /** Most responses kept (least recently used dropped first). */
  maxEntries?: number;
  /**
   * Most bytes of cached answers kept, measured as their JSON text (default
   * 64 MiB; least recently used dropped first). A view's answer can be several
   * megabytes: the entry count alone would let the cache grow to gigabytes.
   */
  maxBytes?: number;
}

export const DEFAULT_RESPONSE_CACHE_MAX_BYTES = 64 * 1024 * 1024;

/** Longest a mutation's answer waits for its own commit's notification (see `willSendResponse`). */
export const OWN_COMMIT_WAIT_MS = 500;

/** The subgraphs' commit notifications, as the gateway's ChangeHub (change-feed/live.ts) gives them. */
export interface CommitSource {
  addListener(listener: { changed(subgraph: string): void; connected(subgraph: string, up: boolean): void }): () => void;
  heads(): Map<string, bigint>;
  commitAfter(since: ReadonlyMap<string, bigint>, subgraphs: Iterable<string>, timeoutMs: number): Promise<boolean>;
}

/** What the cache needs from the gateway's per-request context. */
export interface ResponseCacheContext {
  viewer: Viewer;
  /** Names of the subgraphs this request sent a fetch to (filled by the gateway's data sources). */
  subgraphsFetched: Set<string>;
  /** The instant the request reads the register as known at, if any (part of the key). */
  knownAt?: string;
}

interface Entry {
  /**
   * The answer's `data` as JSON bytes: sent as they are (see `answerRaw`), and
   * outside the JavaScript heap, so that a full cache costs the garbage
   * collector nothing to trace; counted against `maxBytes`.
   */
  data: Buffer;
  /** The subgraphs the response was read from, with their write generation at the time the request started. */
  generations: [subgraph: string, generation: number][];
  expiresAt: number;
}

/** Keys sorted, so that `{a, b}` and `{b, a}` are the same variables. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Whole-response cache of queries at the gateway.
 *
 * Key: the operation's document and name, its variables, and what the caller
 * may see — the sorted scopes and whether the caller is signed in (subgraphs
 * decide visibility only from these: `contacts:read` for e-mail and phone), so
 * an answer made for a caller with `contacts:read` is never served to one
 * without it.
 *
 * Invalidation: every subgraph has a write generation. A mutation through the
 * gateway advances the generation of every subgraph it sent a fetch to (the
 * one that wrote and any it read the result from) before its response is
 * sent; a cached response remembers the generations of the subgraphs it was
 * read from as they were when its request started, and is served only while
 * all of them are unchanged. So any change a subgraph makes — to an entity,
 * to a list a new item joins, to a count or status derived from other rows —
 * invalidates every cached response that read from that subgraph, and a
 * response computed concurrently with a mutation is never stored. This is
 * coarser than entity keys (a new measure drops cached group views too
 * when they read planning's themes) but never stale for writes through this
 * process. Writes that bypass it (another gateway replica, a subgraph's own
 * background work, direct SQL) are heard from the change feed: the gateway
 * follows each subgraph's commit notifications (`follow`, change-feed/live.ts)
 * and every commit advances its subgraph's generation here, so another
 * replica's write is served stale at most for the time its notification
 * takes to arrive (measured in test/cache-replicas.test.ts), and not at all
 * while a subgraph's notifications are down. The time-to-live is the last
 * backstop.
 */
export class ResponseCache {
  private readonly generations = new Map<string, number>();
  /** Subgraphs whose commits this process cannot hear of now (see `follow`): their answers are neither served nor kept. */
  private readonly unheard = new Set<string>();
  private hub: CommitSource | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly options: ResponseCacheOptions) {
    this.maxEntries = options.maxEntries ?? 200;
    this.maxBytes = options.maxBytes ?? DEFAULT_RESPONSE_CACHE_MAX_BYTES;
  }

  /** Bytes of the answers held now. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.data.length;
  }

  /**
   * Drops (lazily) every answer read from the subgraph: called for each
   * commit the change feed announces, whichever replica or process wrote it.
   */
  invalidate(subgraph: string): void {
    this.generations.set(subgraph, this.generation(subgraph) + 1);
  }

  /**
   * Follows the subgraphs' commits (the gateway's ChangeHub): each commit
   * invalidates the answers read from its subgraph, so a write through
   * another replica is seen here as soon as its notification arrives; while a
   * subgraph's notifications are down its answers are not served from the
   * cache (its commits would go unheard), and when they are back everything
   * read from it before is dropped.
   */
  follow(hub: CommitSource): () => void {
    this.hub = hub;
    return hub.addListener({
      changed: (subgraph) => this.invalidate(subgraph),
      connected: (subgraph, up) => {
        if (up) this.unheard.delete(subgraph);
        else this.unheard.add(subgraph);
        this.invalidate(subgraph);
      },
    });
  }

  private current(subgraph: string, generation: number): boolean {
    return !this.unheard.has(subgraph) && this.generation(subgraph) === generation;
  }

  private generation(subgraph: string): number {
    return this.generations.get(subgraph) ?? 0;
  }

  private key(context: GraphQLRequestContext<ResponseCacheContext>): string {
    const viewer = context.contextValue.viewer;
    return createHash("sha256")
      .update(context.source ?? "")
      .update("\0")
      .update(context.request.operationName ?? "")
      .update("\0")
      .update(canonical(context.request.variables ?? {}))
      .update("\0")
      .update(viewer.subject ? "signed-in" : "anonymous")
      .update("\0")
      .update([...viewer.scopes].sort().join(" "))
      .update("\0")
      // Role and counties too: audit histories and the change feed answer by them (an admin, a coordinator of its counties).
      .update(viewer.role ?? "")
      .update("\0")
      .update([...viewer.counties].sort().join(" "))
      .update("\0")
      .update(context.contextValue.knownAt ?? "")
      .digest("base64");
  }

  plugin<TContext extends ResponseCacheContext>(): ApolloServerPlugin<TContext> {
    return {
      requestDidStart: async () => {
        let key: string | undefined;
        let startGenerations: Map<string, number> | undefined;
        let startHeads: Map<string, bigint> | undefined;
        return {
          responseForOperation: async (context) => {
            if (context.operation?.operation === "mutation") startHeads = this.hub?.heads();
            if (context.operation?.operation !== "query") return null;
            key = this.key(context as unknown as GraphQLRequestContext<ResponseCacheContext>);
            startGenerations = new Map(this.generations);
            const entry = this.entries.get(key);
            if (entry) {
              if (entry.expiresAt > Date.now() && entry.generations.every(([s, g]) => this.current(s, g))) {
                this.entries.delete(key);
                this.entries.set(key, entry); // most recently used last
                this.hits += 1;
                key = undefined;
                return { http: context.response.http, body: { kind: "single", singleResult: { data: answerRaw(context.contextValue, entry.data) } } };
              }
              this.drop(key);
            }
            this.misses += 1;
            return null;
          },
          willSendResponse: async (context) => {
            const fetched = context.contextValue.subgraphsFetched;
            if (context.operation?.operation === "mutation") {
              // The mutation's own commit is announced shortly after it returns; answered before that, a read
              // cached in between would be dropped by the late notification. So its answer waits (a few
              // milliseconds; at most OWN_COMMIT_WAIT_MS when it wrote nothing) until the notification is in.
              const body = context.response.body;
              if (this.hub && startHeads && fetched.size > 0 && body.kind === "single" && body.singleResult.data) {
                await this.hub.commitAfter(startHeads, fetched, OWN_COMMIT_WAIT_MS);
              }
              for (const subgraph of fetched) this.generations.set(subgraph, this.generation(subgraph) + 1);
              return;
            }
            if (!key || !startGenerations || context.response.body.kind !== "single") return;
            const result = context.response.body.singleResult;
            if (result.errors?.length || !result.data || fetched.size === 0) return;
            const generations = [...fetched].map((s) => [s, startGenerations!.get(s) ?? 0] as [string, number]);
            // A mutation finished while this request ran: its answer may predate the change.
            if (!generations.every(([s, g]) => this.current(s, g))) return;
            // Serialised on a miss only, which has just cost the subgraphs far more than this.
            // An answer the executor passed through as bytes (its `data` here is empty) is kept as those bytes.
            const data = peekRawAnswer(context.contextValue) ?? Buffer.from(JSON.stringify(result.data), "utf8");
            if (data.length > this.maxBytes) return;
            this.drop(key);
            this.entries.set(key, { data, generations, expiresAt: Date.now() + this.options.ttlSeconds * 1000 });
            this.bytes += data.length;
            while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) this.drop(this.entries.keys().next().value!);
          },
        };
      },
    };
  }
}
