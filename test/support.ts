import { randomBytes } from "node:crypto";
import pg from "pg";
import { databaseName, withDatabase } from "@yhdyspinta/core";
import { graphqlRequest, testPostgresUrl, type GraphQLResult } from "@yhdyspinta/core/testing";
import { SERVICE_NAMES, startStack, type RunningStack, type SupervisionPolicy } from "@yhdyspinta/stack";
import type { GatewayOptions } from "../gateway/src/gateway.ts";

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
  /** Text (with placeholders) of the SQL statements each subgraph sent since the last reset, oldest first (the last 200). */
  recentStatements(): Promise<Record<string, string[]>>;
  /** `_entities` representations each subgraph received since the last reset. */
  representations(): Promise<Record<string, number>>;
  /** Every line the stack's processes have printed so far (e.g. to check that nothing personal is logged). */
  logLines(): readonly string[];
  /** Resolves with the first line (printed so far or later) that `match` accepts; rejects after `timeoutMs`. */
  waitForLog(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
}

/** What a gateway of a test's own (`startGateway`, on a free port) needs to serve the test stack's subgraphs; add `engine` and the rest. */
export function gatewayOptionsFor(stack: TestStack): GatewayOptions {
  return {
    supergraphPath: new URL("../schema/supergraph.graphql", import.meta.url).pathname,
    subgraphUrls: stack.subgraphUrls,
    port: 0,
    host: "127.0.0.1",
    auth: { jwtSecret: stack.authSecret },
    internalAuthSecret: stack.internalAuthSecret,
  };
}

/**
 * The whole supergraph (three subgraph processes and the gateway) on free
 * ports, on fresh databases of the test run's PostgreSQL server.
 */
export async function startTestStack(
  label: string,
  options: { env?: Record<string, string>; supervision?: Partial<SupervisionPolicy>; /** PostgreSQL server (default: the test run's) */ postgresUrl?: string } = {},
): Promise<TestStack> {
  const server = options.postgresUrl ?? testPostgresUrl();
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
  const listeners = new Set<(line: string) => void>();
  let stack: RunningStack;
  try {
    stack = await startStack({
      databaseUrl: withDatabase(server, base),
      auth: { jwtSecret: authSecret },
      internalAuthSecret,
      debugStats: true,
      ...(options.env ? { env: options.env } : {}),
      ...(options.supervision ? { supervision: options.supervision } : {}),
      // Give up (stopping whatever started) before the hook's own timeout
      // abandons this promise and leaves the processes running.
      signal: AbortSignal.timeout(START_DEADLINE_MS),
      log: (source, line) => {
        const entry = `[${source}] ${line}`;
        lines.push(entry);
        for (const listener of listeners) listener(entry);
      },
    });
  } catch (error) {
    await dropDatabases();
    throw error;
  }
  const readStats = async () =>
    await Promise.all(
      SERVICE_NAMES.map(async (name) => {
        const res = await fetch(new URL("debug/stats", stack.subgraphUrls[name]));
        return [name, (await res.json()) as { statements: number; operations: number; representations: number; recentStatements: string[] }] as const;
      }),
    );
  const getStats = async () =>
    Object.fromEntries((await readStats()).map(([name, { statements, operations }]) => [name, { statements, operations }]));
  return {
    ...stack,
    authSecret,
    internalAuthSecret,
    recentStatements: async () => Object.fromEntries((await readStats()).map(([name, s]) => [name, s.recentStatements])),
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
      await dropDatabases();
    },
  };
}

/** Sum of SQL statements over all subgraphs. */
export function totalStatements(stats: Record<string, { statements: number }>): number {
  return Object.values(stats).reduce((sum, s) => sum + s.statements, 0);
}

/**
 * Bounds for tests that queue many parallel writes on the same rows: on a busy
 * machine the last of 20 waits longer than the default subgraph, statement and
 * pool bounds, which such tests are not about.
 */
export const QUEUED_WRITE_BOUNDS: Readonly<Record<string, string>> = {
  SUBGRAPH_TIMEOUT_MS: "60000",
  STATEMENT_TIMEOUT_MS: "50000",
  DB_ACQUIRE_TIMEOUT_MS: "50000",
};

/** `Authorization` header for a token. */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** Runs one SQL statement on a service's database of the stack (for setting up and checking data). */
export async function serviceSql<T = Record<string, unknown>>(
  stack: Pick<TestStack, "databaseUrl">,
  service: (typeof SERVICE_NAMES)[number],
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: withDatabase(stack.databaseUrl, `${databaseName(stack.databaseUrl)}_${service}`) });
  await client.connect();
  try {
    return (await client.query(query, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Every row (as JSON) of every table of a service's database that holds one of the needles, by table: a search for personal data left behind. */
export async function rowsHolding(
  stack: Pick<TestStack, "databaseUrl">,
  service: (typeof SERVICE_NAMES)[number],
  needles: string[],
): Promise<Record<string, string[]>> {
  const tables = await serviceSql<{ table_name: string }>(stack, service, `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`);
  const out: Record<string, string[]> = {};
  for (const { table_name } of tables) {
    const rows = await serviceSql<{ row: unknown }>(
      stack,
      service,
      `select to_jsonb(t) as row from "${table_name}" t where ${needles.map((_, i) => `position($${i + 1} in to_jsonb(t)::text) > 0`).join(" or ")}`,
      needles,
    );
    if (rows.length > 0) out[table_name] = rows.map((r) => JSON.stringify(r.row)).sort();
  }
  return out;
}

/**
 * Writes `count` people of one organisation straight into the organisations
 * database (writes elsewhere check their person references; recording each
 * through `createPerson` is tested on its own and would be slow) and returns
 * a function handing out one unused person id per call.
 */
export async function seedPeople(
  stack: Pick<TestStack, "databaseUrl">,
  prefix: string,
  count: number,
  organisationId = "org-municipality-167",
): Promise<() => string> {
  const ids = Array.from({ length: count }, (_, i) => `person-${prefix}-${i}`);
  await serviceSql(
    stack,
    "organisations",
    `insert into person (id, name, name_normalised, organisation_id) select id, 'Testi ' || id, 'testi ' || id, $2 from unnest($1::text[]) as id`,
    [ids, organisationId],
  );
  return () => {
    const id = ids.shift();
    if (!id) throw new Error(`person pool ${prefix} exhausted (${count} seeded)`);
    return id;
  };
}
