import autocannon from "autocannon";

export interface LoadResult {
  requests: number;
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
 * fixed concurrency for a fixed time, and reports throughput and latency
 * percentiles computed from every response time.
 */
export async function runLoad(url: string, bodies: string[], options: { connections: number; seconds: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let finish!: (result: autocannon.Result) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    connections: options.connections,
    duration: options.seconds,
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
  instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  const result = await done;
  latencies.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    rps: result.requests.total / options.seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}
