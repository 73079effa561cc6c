import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Header that carries a request's id: accepted from the caller, created otherwise, forwarded to subgraphs, returned on every response. */
export const REQUEST_ID_HEADER = "x-request-id";

/** One fetch the gateway made from a subgraph while serving a request. */
export interface SubgraphFetchRecord {
  service: string;
  ms: number;
  outcome: "ok" | "error" | "unavailable" | "timeout";
}

const storage = new AsyncLocalStorage<{ requestId: string; fetches: SubgraphFetchRecord[] }>();

/** A caller's id is kept when it is short and plain; anything else is replaced. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  return value && /^[A-Za-z0-9._:-]{1,100}$/.test(value) ? value : randomUUID();
}

/** Runs `fn` with `requestId` as the current request's id. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId, fetches: [] }, fn);
}

/** The id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Notes a subgraph fetch of the current request (for its log line). */
export function recordSubgraphFetch(record: SubgraphFetchRecord): void {
  storage.getStore()?.fetches.push(record);
}

/** The subgraph fetches of the current request so far. */
export function currentSubgraphFetches(): readonly SubgraphFetchRecord[] {
  return storage.getStore()?.fetches ?? [];
}
