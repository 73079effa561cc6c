import { collectDefaultMetrics, Counter, Gauge, Histogram, type Metric, Registry } from "prom-client";

/**
 * The process's Prometheus metrics, served at `/metrics`. Every metric is
 * created once per process (several services can share a process in tests).
 * Label values are bounded: operation names go through `operationLabel`.
 */
export const metricsRegistry = new Registry();

let processMetrics = false;

/** Adds `service` to every series and starts Node's default process metrics (CPU, memory, event loop, GC). */
export function startProcessMetrics(service: string): void {
  metricsRegistry.setDefaultLabels({ service });
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

function once<M extends Metric>(name: string, create: () => M): M {
  return (metricsRegistry.getSingleMetric(name) as M | undefined) ?? create();
}

/** Seconds; from a cached answer (~1 ms) to the gateway's subgraph timeout (10 s). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const operationsTotal = (): Counter<"operation" | "outcome"> =>
  once(
    "yhdyspinta_graphql_operations_total",
    () =>
      new Counter({
        name: "yhdyspinta_graphql_operations_total",
        help: "GraphQL operations served, by operation name and outcome (ok, error, rejected)",
        labelNames: ["operation", "outcome"],
        registers: [metricsRegistry],
      }),
  );

export const operationDuration = (): Histogram<"operation" | "outcome"> =>
  once(
    "yhdyspinta_graphql_operation_duration_seconds",
    () =>
      new Histogram({
        name: "yhdyspinta_graphql_operation_duration_seconds",
        help: "Time from receiving a GraphQL operation to sending its response",
        labelNames: ["operation", "outcome"],
        buckets: LATENCY_BUCKETS,
        registers: [metricsRegistry],
      }),
  );

export const subgraphFetchDuration = (): Histogram<"subgraph" | "outcome"> =>
  once(
    "yhdyspinta_gateway_subgraph_fetch_duration_seconds",
    () =>
      new Histogram({
        name: "yhdyspinta_gateway_subgraph_fetch_duration_seconds",
        help: "The gateway's fetches from a subgraph, by subgraph and outcome (ok, error, unavailable, timeout)",
        labelNames: ["subgraph", "outcome"],
        buckets: LATENCY_BUCKETS,
        registers: [metricsRegistry],
      }),
  );

export const subgraphFetchErrors = (): Counter<"subgraph" | "outcome"> =>
  once(
    "yhdyspinta_gateway_subgraph_fetch_errors_total",
    () =>
      new Counter({
        name: "yhdyspinta_gateway_subgraph_fetch_errors_total",
        help: "The gateway's subgraph fetches that did not succeed, by subgraph and outcome (error, unavailable, timeout)",
        labelNames: ["subgraph", "outcome"],
        registers: [metricsRegistry],
      }),
  );

export const passedThroughTotal = (): Counter<"subgraph"> =>
  once(
    "yhdyspinta_gateway_passed_through_total",
    () =>
      new Counter({
        name: "yhdyspinta_gateway_passed_through_total",
        help: "Operations the gateway answered with one subgraph's answer as that subgraph wrote it (a plan of one fetch asking exactly what the caller asked), by subgraph",
        labelNames: ["subgraph"],
        registers: [metricsRegistry],
      }),
  );

export const statementsTotal = (): Counter =>
  once(
    "yhdyspinta_db_statements_total",
    () =>
      new Counter({
        name: "yhdyspinta_db_statements_total",
        help: "SQL statements sent to the database (failed ones included)",
        registers: [metricsRegistry],
      }),
  );

/** What a connection pool reports (pg's Pool has these counters). */
export interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const pools = new Set<() => PoolCounts | undefined>();

/** Reports a database pool in `yhdyspinta_db_pool_connections`; returns the function that stops reporting it. */
export function observePool(read: () => PoolCounts | undefined, max: number): () => void {
  once(
    "yhdyspinta_db_pool_connections",
    () =>
      new Gauge({
        name: "yhdyspinta_db_pool_connections",
        help: "Database pool connections: total open, idle, in use, and requests waiting for one",
        labelNames: ["state"],
        registers: [metricsRegistry],
        collect() {
          let total = 0;
          let idle = 0;
          let waiting = 0;
          for (const pool of pools) {
            const counts = pool();
            if (!counts) continue;
            total += counts.totalCount;
            idle += counts.idleCount;
            waiting += counts.waitingCount;
          }
          this.set({ state: "total" }, total);
          this.set({ state: "idle" }, idle);
          this.set({ state: "in_use" }, total - idle);
          this.set({ state: "waiting" }, waiting);
        },
      }),
  );
  const maxGauge = once(
    "yhdyspinta_db_pool_max_connections",
    () =>
      new Gauge({
        name: "yhdyspinta_db_pool_max_connections",
        help: "Largest number of connections the database pool opens",
        registers: [metricsRegistry],
      }),
  );
  maxGauge.inc(max);
  pools.add(read);
  return () => {
    if (pools.delete(read)) maxGauge.dec(max);
  };
}

/** Operation names that always get a label of their own (the committed views' operations). */
const knownOperations = new Set<string>();
/** Other names get one until this many have been seen; later ones count as `other`. */
export const MAX_OPERATION_LABELS = 100;
const seenOperations = new Set<string>();

export function registerKnownOperations(names: Iterable<string>): void {
  for (const name of names) knownOperations.add(name);
}

/** The `operation` label of an operation: its name while the number of names stays bounded, `anonymous` without one. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return "anonymous";
  if (!/^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(name)) return "other";
  if (knownOperations.has(name) || seenOperations.has(name)) return name;
  if (seenOperations.size >= MAX_OPERATION_LABELS) return "other";
  seenOperations.add(name);
  return name;
}
