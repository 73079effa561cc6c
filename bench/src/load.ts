import autocannon from "autocannon";

export interface LoadResult {
  requests: number;
  /** wall-clock seconds of the measurement */
  seconds: number;
  errors: number;
  non2xx: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * Sends `bodies` (JSON request bodies, cycled so that consecutive requests
 * differ and no gateway can answer from an identical in-flight request) at a
 * fixed concurrency for a fixed time — or, with `amount`, until exactly that
 * many requests have completed (no request is abandoned half-way, so a slow
 * target is not still working on one when the next measurement starts) — and
 * reports throughput and latency percentiles computed from every response time.
 */
export async function runLoad(
  url: string,
  bodies: string[],
  options: { connections: number; seconds: number; amount?: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let finish!: (result: autocannon.Result) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const startedAt = performance.now();
  const instance = autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json", ...options.headers },
    connections: options.amount ? Math.min(options.connections, options.amount) : options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds }),
    // Full-Finland views can take seconds: a slow answer is a measurement, not an error.
    timeout: 60,
    requests: [
      {
        setupRequest: (request) => {
          const body = bodies[next % bodies.length]!;
          next += 1;
          return { ...request, body };
        },
      },
    ],
  }, (error, result) => (error ? fail(error) : finish(result)));
  // Autocannon ends a run on its once-a-second sampling tick, not at the last response (a
  // run of `amount` requests lasts whole seconds; a timed one counts the responses up to that
  // tick): requests/s is the responses over the time from the start to the last of them.
  let lastResponseAt = startedAt;
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    lastResponseAt = performance.now();
  });
  const result = await done;
  const seconds = Math.max(1e-3, (lastResponseAt - startedAt) / 1000);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}
