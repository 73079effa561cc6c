import { randomBytes } from "node:crypto";
import pg from "pg";
import { withDatabase } from "@yhdyspinta/core";
import { graphqlRequest, testPostgresUrl, type GraphQLResult } from "@yhdyspinta/core/testing";
import { SERVICE_NAMES, startStack, type RunningStack } from "@yhdyspinta/stack";

export interface TestStack extends RunningStack {
  /** Development HS256 secret the gateway accepts tokens signed with. */
  authSecret: string;
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResult<T>>;
  /** Resets the subgraphs' counters. */
  resetStats(): Promise<void>;
  /** SQL statements and operations per subgraph since the last reset. */
  stats(): Promise<Record<string, { statements: number; operations: number }>>;
  /** `_entities` representations each subgraph received since the last reset. */
  representations(): Promise<Record<string, number>>;
  /** Secret the gateway signs the viewer with for the subgraphs. */
  internalAuthSecret: string;
  /** Every line the stack's processes have printed so far (e.g. to check that nothing personal is logged). */
  logLines(): readonly string[];
  /** Resolves with the first line (printed so far or later) that `match` accepts; rejects after `timeoutMs`. */
  waitForLog(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
}

/**
 * The whole supergraph (three subgraph processes and the gateway) on free
 * ports, on fresh databases of the test run's PostgreSQL server.
 */
export async function startTestStack(
  label: string,
  options: { env?: Record<string, string>; /** PostgreSQL server (default: the test run's) */ postgresUrl?: string } = {},
): Promise<TestStack> {
  const server = options.postgresUrl ?? testPostgresUrl();
  const base = `${label}_${randomBytes(3).toString("hex")}`;
  const authSecret = randomBytes(32).toString("hex");
  const internalAuthSecret = randomBytes(32).toString("hex");
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const stack = await startStack({
    databaseUrl: withDatabase(server, base),
    authJwtSecret: authSecret,
    internalAuthSecret,
    debugStats: true,
    ...(options.env ? { env: options.env } : {}),
    log: (source, line) => {
      const entry = `[${source}] ${line}`;
      lines.push(entry);
      for (const listener of listeners) listener(entry);
    },
  });
  const readStats = async () =>
    await Promise.all(
      SERVICE_NAMES.map(async (name) => {
        const res = await fetch(new URL("debug/stats", stack.subgraphUrls[name]));
        return [name, (await res.json()) as { statements: number; operations: number; representations: number }] as const;
      }),
    );
  const getStats = async () =>
    Object.fromEntries((await readStats()).map(([name, { statements, operations }]) => [name, { statements, operations }]));
  return {
    ...stack,
    authSecret,
    internalAuthSecret,
    representations: async () => Object.fromEntries((await readStats()).map(([name, s]) => [name, s.representations])),
    query: (query, variables = {}, headers = {}) => graphqlRequest(stack.gatewayUrl, query, variables, headers),
    async resetStats() {
      await Promise.all(
        SERVICE_NAMES.map((name) => fetch(new URL("debug/stats", stack.subgraphUrls[name]), { method: "DELETE" })),
      );
    },
    stats: getStats,
    logLines: () => [...lines],
    waitForLog(match, timeoutMs = 30_000) {
      const found = lines.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`no matching log line within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (line: string) => {
          if (!match(line)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(line);
        };
        listeners.add(listener);
      });
    },
    async stop() {
      await stack.stop();
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      try {
        for (const name of SERVICE_NAMES) {
          await client.query(`drop database if exists ${client.escapeIdentifier(`${base}_${name}`)} with (force)`);
        }
      } finally {
        await client.end();
      }
    },
  };
}

/** Sum of SQL statements over all subgraphs. */
export function totalStatements(stats: Record<string, { statements: number }>): number {
  return Object.values(stats).reduce((sum, s) => sum + s.statements, 0);
}
