import { randomBytes } from "node:crypto";
import pg from "pg";
import { withDatabase } from "@yhdyspinta/core";
import { graphqlRequest, testPostgresUrl, type GraphQLResult } from "@yhdyspinta/core/testing";
import { SERVICE_NAMES, startStack, type RunningStack, type SupervisionPolicy } from "@yhdyspinta/stack";

/**
 * Longest a test stack may take to start: below vitest's hookTimeout
 * (vitest.config.ts), so a slow start fails in `startTestStack`, which
 * stops what it started, instead of leaking processes.
 */
const START_DEADLINE_MS = 170_000;

export interface TestStack extends RunningStack {
  /** Development HS256 secret the gateway accepts tokens signed with. */
  authSecret: string;
  /** Gateway ↔ subgraph secret (sign requests to a subgraph with `signedViewerHeaders`). */
  internalAuthSecret: string;
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResult<T>>;
  /** Resets the subgraphs' counters. */
  resetStats(): Promise<void>;
  /** SQL statements and operations per subgraph since the last reset. */
  stats(): Promise<Record<string, { statements: number; operations: number }>>;
  /** Every line the stack's processes have printed so far (e.g. to check that nothing personal is logged). */
  logLines(): readonly string[];
}

/**
 * The whole supergraph (three subgraph processes and the gateway) on free
 * ports, on fresh databases of the test run's PostgreSQL server.
 */
export async function startTestStack(
  label: string,
  options: { env?: Record<string, string>; supervision?: Partial<SupervisionPolicy> } = {},
): Promise<TestStack> {
  const server = testPostgresUrl();
  const base = `${label}_${randomBytes(3).toString("hex")}`;
  const authSecret = randomBytes(32).toString("hex");
  const internalAuthSecret = randomBytes(32).toString("hex");
  const lines: string[] = [];
  const dropDatabases = async () => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      for (const name of SERVICE_NAMES) {
        await client.query(`drop database if exists ${client.escapeIdentifier(`${base}_${name}`)} with (force)`);
      }
    } finally {
      await client.end();
    }
  };
  let stack: RunningStack;
  try {
    stack = await startStack({
      databaseUrl: withDatabase(server, base),
      authJwtSecret: authSecret,
      internalAuthSecret,
      debugStats: true,
      ...(options.env ? { env: options.env } : {}),
      ...(options.supervision ? { supervision: options.supervision } : {}),
      // Give up (stopping whatever started) before the hook's own timeout
      // abandons this promise and leaves the processes running.
      signal: AbortSignal.timeout(START_DEADLINE_MS),
      log: (source, line) => {
        lines.push(`[${source}] ${line}`);
      },
    });
  } catch (error) {
    await dropDatabases();
    throw error;
  }
  const getStats = async () =>
    Object.fromEntries(
      await Promise.all(
        SERVICE_NAMES.map(async (name) => {
          const res = await fetch(new URL("debug/stats", stack.subgraphUrls[name]));
          return [name, (await res.json()) as { statements: number; operations: number }] as const;
        }),
      ),
    );
  return {
    ...stack,
    authSecret,
    internalAuthSecret,
    query: (query, variables = {}, headers = {}) => graphqlRequest(stack.gatewayUrl, query, variables, headers),
    async resetStats() {
      await Promise.all(
        SERVICE_NAMES.map((name) => fetch(new URL("debug/stats", stack.subgraphUrls[name]), { method: "DELETE" })),
      );
    },
    stats: getStats,
    logLines: () => [...lines],
    async stop() {
      await stack.stop();
      await dropDatabases();
    },
  };
}

/** Sum of SQL statements over all subgraphs. */
export function totalStatements(stats: Record<string, { statements: number }>): number {
  return Object.values(stats).reduce((sum, s) => sum + s.statements, 0);
}
