import type { IncomingMessage, ServerResponse } from "node:http";
import type { Routes } from "./http.ts";
import { sendJson } from "./http.ts";
import { metricsRegistry } from "./metrics.ts";

/**
 * The routes every process serves for the platform (probes, Prometheus)
 * beside GraphQL. They answer without a caller's token or the gateway's
 * signature; this list is the one place that names them.
 */
export const PLATFORM_PATHS = ["/health", "/ready", "/metrics"] as const;

/** Longest `/ready` waits for its checks before answering 503. */
export const READY_TIMEOUT_MS = 2_000;

/** A dependency check: resolves with `ok` or a short reason; throwing means unreachable. */
export type ReadinessCheck = () => Promise<string>;

export interface PlatformRouteOptions {
  service: string;
  /** What `/ready` checks, by name (e.g. `database`, `migrations`, a subgraph). */
  checks: Record<string, ReadinessCheck>;
  readyTimeoutMs?: number;
}

function reason(error: unknown): string {
  if (error instanceof Error && error.message === "timeout") return "timed out";
  return "unreachable";
}

/** Runs every check, each bounded by `timeoutMs`; a check that has not answered by then counts as `timed out`. */
export async function runReadinessChecks(checks: Record<string, ReadinessCheck>, timeoutMs: number): Promise<Record<string, string>> {
  return Object.fromEntries(
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const result = await Promise.race([
            check(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
            }),
          ]);
          return [name, result] as const;
        } catch (error) {
          return [name, reason(error)] as const;
        } finally {
          clearTimeout(timer);
        }
      }),
    ),
  );
}

/**
 * `/health`: the process is alive and serving HTTP (no dependency is asked, so
 * a database outage never makes the platform restart healthy processes).
 * `/ready`: every dependency answers, within `readyTimeoutMs`; 503 otherwise.
 * `/metrics`: the process's Prometheus metrics in the text format.
 */
export function platformRoutes(options: PlatformRouteOptions): Routes {
  const timeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
  return {
    "/health": (_req: IncomingMessage, res: ServerResponse) => {
      sendJson(res, 200, { status: "ok", service: options.service });
    },
    "/ready": async (_req: IncomingMessage, res: ServerResponse) => {
      const checks = await runReadinessChecks(options.checks, timeoutMs);
      const ready = Object.values(checks).every((status) => status === "ok");
      sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready", service: options.service, checks });
    },
    "/metrics": async (_req: IncomingMessage, res: ServerResponse) => {
      const body = await metricsRegistry.metrics();
      res.writeHead(200, { "content-type": metricsRegistry.contentType });
      res.end(body);
    },
  };
}
