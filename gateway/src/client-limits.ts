import { createHmac } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import { type FragmentDefinitionNode, GraphQLError, Kind } from "graphql";
import pg from "pg";
import { Counter, type Metric } from "prom-client";
import { logger, measureOperation, metricsRegistry, type OperationLimits, type Viewer} from "@yhdyspinta/core";

/**
 * Per-client limits: a budget of cost units (the same estimate the
 * per-operation `maxCost` limit uses, packages/core/src/limits.ts) that each
 * client may spend in a fixed window. A client is its token's subject, or
 * its IP address when it sends no token; the `graphql-client-name` and
 * `graphql-client-version` headers (or Apollo Client's
 * `apollographql-client-name`/`-version`) name it in
 * `/metrics` and the log, but never widen its budget (they are the caller's
 * own words). Usage lives in memory for one replica, or in one PostgreSQL
 * table when several replicas share the budget (`GATEWAY_DATABASE_URL`).
 */
export interface ClientBudgetOptions {
  /** Cost units a client may spend per window; 0: no budget (usage is still measured). */
  budget: number;
  /** Length of a window in seconds; windows start at multiples of it (UTC epoch). */
  windowSeconds: number;
  /** Budgets of the token's `role` claim (e.g. analysts); other callers get `budget`. 0: no budget for that role. */
  byRole?: Partial<Record<string, number>>;
  /** PostgreSQL the replicas share the usage in (table `gateway_client_usage`); in memory when absent. */
  databaseUrl?: string;
  /** Clock in ms (tests fix it); default `Date.now`. */
  now?: () => number;
}

/** Who is calling, as the limits and the usage metrics see it. */
export interface ClientIdentity {
  /** `sub:<subject>` or `ip:<address>`: whose budget is spent. Never logged nor stored as such. */
  key: string;
  /**
   * A short keyed hash of `key` (HMAC with the internal secret every gateway
   * replica shares, so an address cannot be recovered by hashing all of
   * them): stored in PostgreSQL and logged, so operators can follow one
   * client without its subject or IP.
   */
  id: string;
  /** `graphql-client-name` (or `apollographql-client-name`) header, or `unknown`. */
  name: string;
  /** `graphql-client-version` (or `apollographql-client-version`) header, or `unknown`. */
  version: string;
  /** Filled in during the request: what the operation cost and what the window holds. */
  usage?: ClientUsage;
}

export interface ClientUsage {
  cost: number;
  budget?: number;
  /** Usage of the window after this operation (before it, when refused). */
  windowUsed?: number;
  rateLimited?: boolean;
}

/** The headers naming a client: GraphQL clients' and Hive's convention first, then what Apollo Client sends (`clientAwareness`). */
export const CLIENT_NAME_HEADERS = ["graphql-client-name", "apollographql-client-name"] as const;
export const CLIENT_VERSION_HEADERS = ["graphql-client-version", "apollographql-client-version"] as const;

function headerValue(req: IncomingMessage, names: readonly string[]): string {
  const raw = names.map((name) => req.headers[name]).find((v) => v !== undefined);
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? "";
  return /^[\w .@/+:-]{1,64}$/.test(value) ? value : value === "" ? "unknown" : "invalid";
}

/** The caller of `req` once its token is verified; `secret` keys the hash of its id. */
export function clientOf(req: IncomingMessage, viewer: Viewer, secret: string): ClientIdentity {
  const key = viewer.subject ? `sub:${viewer.subject}` : `ip:${req.socket.remoteAddress ?? "unknown"}`;
  return {
    key,
    id: createHmac("sha256", secret).update(key).digest("base64url").slice(0, 16),
    name: headerValue(req, CLIENT_NAME_HEADERS),
    version: headerValue(req, CLIENT_VERSION_HEADERS),
  };
}

/** Distinct client name/version pairs that get labels of their own; later ones count as `other`. */
export const MAX_CLIENT_LABELS = 50;
const seenClients = new Set<string>();

/** Bounded `client_name`/`client_version` labels: the first `MAX_CLIENT_LABELS` pairs as sent, then `other`. */
export function clientLabels(client: Pick<ClientIdentity, "name" | "version">): { client_name: string; client_version: string } {
  const pair = `${client.name}\n${client.version}`;
  if (seenClients.has(pair) || seenClients.size < MAX_CLIENT_LABELS) {
    seenClients.add(pair);
    return { client_name: client.name, client_version: client.version };
  }
  return { client_name: "other", client_version: "other" };
}

function once<M extends Metric>(name: string, create: () => M): M {
  return (metricsRegistry.getSingleMetric(name) as M | undefined) ?? create();
}

type ClientLabel = "client_name" | "client_version";
/** ok, error (executed with errors), rejected (refused before execution), rate_limited (budget spent). */
export type ClientOutcome = "ok" | "error" | "rejected" | "rate_limited";

export const clientOperationsTotal = (): Counter<ClientLabel | "outcome"> =>
  once(
    "yhdyspinta_gateway_client_operations_total",
    () =>
      new Counter({
        name: "yhdyspinta_gateway_client_operations_total",
        help: "GraphQL operations by client (graphql-client-name/-version headers) and outcome (ok, error, rejected, rate_limited)",
        labelNames: ["client_name", "client_version", "outcome"],
        registers: [metricsRegistry],
      }),
  );

export const clientCostTotal = (): Counter<ClientLabel> =>
  once(
    "yhdyspinta_gateway_client_cost_total",
    () =>
      new Counter({
        name: "yhdyspinta_gateway_client_cost_total",
        help: "Estimated cost (the operation limits' cost units) of the operations each client ran, by client name and version",
        labelNames: ["client_name", "client_version"],
        registers: [metricsRegistry],
      }),
  );

/** Where the usage of each client's window is counted. */
export interface UsageStore {
  /**
   * Adds `cost` to the client's usage of the window starting at
   * `windowStart` (seconds since the epoch) unless that usage has already
   * reached `budget`: the usage after, or null when refused. One atomic step.
   */
  spend(clientId: string, windowStart: number, cost: number, budget: number): Promise<number | null>;
  close(): Promise<void>;
}

/** One replica's usage, forgotten window by window. */
export class MemoryUsageStore implements UsageStore {
  private readonly used = new Map<string, number>();
  private window = -1;

  async spend(clientId: string, windowStart: number, cost: number, budget: number): Promise<number | null> {
    if (windowStart > this.window) {
      this.used.clear();
      this.window = windowStart;
    } else if (windowStart < this.window) {
      return cost; // a request that read the clock just before the window turned: the past window is gone
    }
    const before = this.used.get(clientId) ?? 0;
    if (before >= budget) return null;
    this.used.set(clientId, before + cost);
    return before + cost;
  }

  async close(): Promise<void> {}
}

/**
 * The replicas' shared usage: one row per client and window, added to with
 * one `insert … on conflict do update … where` (PostgreSQL's atomic upsert),
 * so two replicas never both admit past the budget's edge by reading first.
 */
export class PostgresUsageStore implements UsageStore {
  private readonly pool: pg.Pool;
  private ready: Promise<void> | undefined;
  private pruned = -1;

  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 2_000, query_timeout: 2_000 });
    this.pool.on("error", (error) => logger().warn({ error: error.message }, "client usage database connection lost"));
  }

  private async createTable(): Promise<void> {
    const ddl = `create table if not exists gateway_client_usage (
      client_id text not null,
      window_start timestamptz not null,
      cost bigint not null,
      primary key (client_id, window_start))`;
    try {
      await this.pool.query(ddl);
    } catch (error) {
      // Two replicas creating it at once: one wins, the other sees it made.
      const code = (error as { code?: string }).code;
      if (code !== "23505" && code !== "42P07") throw error;
    }
  }

  async spend(clientId: string, windowStart: number, cost: number, budget: number): Promise<number | null> {
    this.ready ??= this.createTable().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    await this.ready;
    const { rows } = await this.pool.query<{ cost: string }>(
      `insert into gateway_client_usage as u (client_id, window_start, cost) values ($1, to_timestamp($2), $3)
       on conflict (client_id, window_start) do update set cost = u.cost + excluded.cost where u.cost < $4
       returning cost`,
      [clientId, windowStart, cost, budget],
    );
    if (windowStart > this.pruned) {
      // Past windows are never read again; their deletion need not hold up the request.
      this.pruned = windowStart;
      this.pool
        .query(`delete from gateway_client_usage where window_start < to_timestamp($1)`, [windowStart])
        .catch((error: unknown) => logger().warn({ error: error instanceof Error ? error.message : String(error) }, "past client usage not deleted"));
    }
    return rows[0] ? Number(rows[0].cost) : null;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The budgets and the store of one gateway. */
export class ClientLimiter {
  readonly store: UsageStore;
  private readonly now: () => number;

  constructor(readonly options: ClientBudgetOptions) {
    this.store = options.databaseUrl ? new PostgresUsageStore(options.databaseUrl) : new MemoryUsageStore();
    this.now = options.now ?? Date.now;
  }

  budgetOf(viewer: Viewer): number {
    return (viewer.role ? this.options.byRole?.[viewer.role] : undefined) ?? this.options.budget;
  }

  /** Spends `cost` of the client's budget; the refusal to throw when it is spent. */
  async spend(client: ClientIdentity, viewer: Viewer, cost: number): Promise<ClientUsage> {
    const budget = this.budgetOf(viewer);
    if (budget <= 0) return { cost };
    const nowMs = this.now();
    const windowMs = this.options.windowSeconds * 1000;
    const windowStart = Math.floor(nowMs / windowMs) * (windowMs / 1000);
    let used: number | null;
    try {
      used = await this.store.spend(client.id, windowStart, cost, budget);
    } catch (error) {
      // The limits protect the service; their database failing must not take it down.
      logger().warn({ error: error instanceof Error ? error.message : String(error) }, "client usage not counted: its database did not answer");
      return { cost, budget };
    }
    if (used !== null) return { cost, budget, windowUsed: used };
    const refillsAt = new Date((windowStart + this.options.windowSeconds) * 1000);
    const retryAfter = Math.max(1, Math.ceil((refillsAt.getTime() - nowMs) / 1000));
    throw new GraphQLError(
      `Rate limited: this client has spent its budget of ${budget} cost units per ${this.options.windowSeconds} s; ` +
        `the budget refills at ${refillsAt.toISOString()} (retry after ${retryAfter} s)`,
      {
        extensions: {
          code: "RATE_LIMITED",
          budget,
          windowSeconds: this.options.windowSeconds,
          cost,
          refillsAt: refillsAt.toISOString(),
          retryAfterSeconds: retryAfter,
          // Apollo Server reads a Map here; graphql-yoga's typings (in the tree for Hive) declare a plain record.
          http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfter)]]) as unknown as Record<string, string> },
        },
      },
    );
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}

/**
 * Measures every operation with the operation limits' cost estimate, spends
 * it from the caller's budget before anything is fetched (429 with
 * `Retry-After` when spent), and counts each client's operations and cost.
 */
export function clientLimitsPlugin<TContext extends { viewer: Viewer; client?: ClientIdentity }>(
  limits: Pick<OperationLimits, "listSizes" | "defaultListSize">,
  limiter: ClientLimiter | undefined,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      const client = contextValue.client;
      if (!client) return;
      let refused = false;
      return {
        async didResolveOperation({ document, operation, schema }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
          const { cost } = measureOperation(schema, operation, fragments, limits);
          client.usage = { cost };
          if (!limiter) return;
          try {
            client.usage = await limiter.spend(client, contextValue.viewer, cost);
          } catch (error) {
            refused = true;
            const extensions = error instanceof GraphQLError ? error.extensions : {};
            client.usage = { cost, budget: Number(extensions["budget"]), rateLimited: true };
            throw error;
          }
        },
        async willSendResponse({ errors, operation }) {
          const labels = clientLabels(client);
          const outcome: ClientOutcome = refused ? "rate_limited" : !errors?.length ? "ok" : operation ? "error" : "rejected";
          clientOperationsTotal().inc({ ...labels, outcome });
          if (!refused && client.usage) clientCostTotal().inc(labels, client.usage.cost);
        },
      };
    },
  };
}

/** The client fields of the operation log line (never the subject or the IP). */
export function clientLogFields(client: ClientIdentity | undefined): Record<string, unknown> {
  if (!client) return {};
  return { client: { name: client.name, version: client.version, id: client.id, ...client.usage } };
}
