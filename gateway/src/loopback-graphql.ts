import type { IncomingMessage } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import { HttpRouteError } from "./http-routes.ts";

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: GraphQLErrorShape[];
}

/** Runs one operation through the public GraphQL endpoint, as the caller. */
export type GraphQLExecutor = <T>(query: string, variables: Record<string, unknown>) => Promise<GraphQLAnswer<T>>;

const STATUS_BY_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
};

/**
 * Exports and calendar feeds ask the gateway's own GraphQL endpoint over
 * loopback, so they pass the same token check, limits and resolvers as any
 * other client: nothing is read around the public API.
 */
export function loopbackExecutor(req: IncomingMessage, authorization: string | undefined, knownAt?: string): GraphQLExecutor {
  const address = (req.socket.localAddress ?? "127.0.0.1").replace(/^::ffff:/, "");
  const endpoint = `http://${address.includes(":") ? `[${address}]` : address}:${req.socket.localPort}/graphql`;
  return async <T>(query: string, variables: Record<string, unknown>) => {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        ...(authorization ? { authorization } : {}),
        ...(knownAt ? { "known-at": knownAt } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLAnswer<T>;
  };
}

/**
 * The request parameter an error names: the variable its input path starts
 * with (`statuses` for `statuses[1]`), when the request sent that variable,
 * else the path itself (an argument's, e.g. `from`). Read from
 * `extensions.field`, which the API sets on every input error.
 */
function parameterOf(error: GraphQLErrorShape, variables: Readonly<Record<string, unknown>>): string | undefined {
  const field = error.extensions?.field;
  if (typeof field !== "string") return undefined;
  const end = field.search(/[.[]/);
  const variable = end === -1 ? field : field.slice(0, end);
  return Object.hasOwn(variables, variable) ? variable : field;
}

/** How many failed parts a 502's message names before "and N more". */
const FAILED_PARTS_NAMED = 3;

/**
 * What failed, for a 502: each distinct field (its path without list
 * indices, `groupAlerts.closingRounds.pendingNominators.municipality`), the
 * subgraph the gateway names (`extensions.serviceName`) and the code, with
 * the API's message. The caller's own /graphql answer says the same, so
 * nothing is told that the caller could not read there.
 */
function failedParts(errors: readonly GraphQLErrorShape[]): string {
  const parts = new Set<string>();
  for (const error of errors) {
    const path = (error.path ?? []).filter((p) => typeof p === "string").join(".");
    const service = error.extensions?.["serviceName"] ?? error.extensions?.["referencedService"];
    const source = [typeof service === "string" ? `${service} service` : undefined, error.extensions?.code ?? "INTERNAL_SERVER_ERROR"].filter(Boolean).join(", ");
    parts.add(`${path ? `${path} ` : ""}(${source}): ${error.message}`);
  }
  const named = [...parts].slice(0, FAILED_PARTS_NAMED);
  return named.join("; ") + (parts.size > named.length ? `; and ${parts.size - named.length} more` : "");
}

/**
 * The data of an answer, or an HttpRouteError for its first error: a bad
 * variable becomes 400 naming the variable, a missing scope 403, anything
 * else (a subgraph down or past its bound) 502 naming the failed fields and
 * subgraphs. `variables` are those the request sent.
 */
export function dataOrThrow<T>(answer: GraphQLAnswer<T>, variables: Readonly<Record<string, unknown>> = {}): T {
  const first = answer.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? "INTERNAL_SERVER_ERROR";
    const status = STATUS_BY_CODE[code] ?? 502;
    if (status === 502) throw new HttpRouteError(502, `The GraphQL API could not answer ${failedParts(answer.errors!)}`);
    throw new HttpRouteError(status, first.message, parameterOf(first, variables));
  }
  if (!answer.data) throw new HttpRouteError(502, "The GraphQL API gave no data");
  return answer.data;
}

/** Waits before the 2nd and 3rd attempt of an export's request whose subgraph did not answer. */
export const EXPORT_RETRY_DELAYS_MS = [1000, 3000];

/**
 * An executor that asks again (twice at most, after EXPORT_RETRY_DELAYS_MS)
 * when a subgraph did not answer (`SUBGRAPH_UNAVAILABLE`: down, or past the
 * gateway's subgraph bound on a busy machine) or the loopback request itself
 * failed. An export is a read of hundreds of page requests; one slow page
 * should not cut a long export off. Any other error is answered at once.
 */
export function withRetries(execute: GraphQLExecutor, delaysMs: readonly number[] = EXPORT_RETRY_DELAYS_MS): GraphQLExecutor {
  return async <T>(query: string, variables: Record<string, unknown>) => {
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= delaysMs.length;
      let answer: GraphQLAnswer<T>;
      try {
        answer = await execute<T>(query, variables);
      } catch (error) {
        if (last) throw error;
        await delay(delaysMs[attempt]);
        continue;
      }
      const unavailable = answer.errors?.some((e) => e.extensions?.code === "SUBGRAPH_UNAVAILABLE") ?? false;
      if (!unavailable || last) return answer;
      await delay(delaysMs[attempt]);
    }
  };
}
