import { randomBytes } from "node:crypto";
import { type AddressInfo, connect as connectTcp, createServer as createNetServer, type Socket } from "node:net";
import pg from "pg";
import { inject } from "vitest";
import { anonymousViewer, signViewer, VIEWER_HEADER, type Viewer } from "../auth.ts";
import { withDatabase } from "../database.ts";
import { queryStats } from "../stats.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Maintenance URL of the one PostgreSQL server shared by a test run. */
    postgresUrl: string;
  }
}

/** URL of the test run's PostgreSQL server (started once in the global setup). */
export function testPostgresUrl(): string {
  return inject("postgresUrl");
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh, uniquely named database on the shared test server so that
 * each test file works on its own data and files can run in parallel.
 */
export async function createTestDatabase(label: string, serverUrl = testPostgresUrl()): Promise<TestDatabase> {
  const name = `t_${label.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(serverUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Runs `fn` and returns how many SQL statements this process sent meanwhile. */
export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const before = queryStats.statements;
  const result = await fn();
  return { result, statements: queryStats.statements - before };
}

export interface GraphQLResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** POSTs a GraphQL operation and returns the parsed response. */
export async function graphqlRequest<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as GraphQLResult<T>;
  } catch {
    throw new Error(`Non-JSON response ${response.status}: ${text.slice(0, 300)}`);
  }
}

/**
 * Headers a subgraph accepts: the gateway's signed statement of the caller
 * (anonymous unless `viewer` is given). Tests that talk to a subgraph
 * directly, without the gateway, send these.
 */
export async function signedViewerHeaders(internalSecret: string, viewer: Viewer = anonymousViewer): Promise<Record<string, string>> {
  return { [VIEWER_HEADER]: await signViewer(viewer, internalSecret) };
}

/**
 * `graphqlRequest` to a subgraph, signed as an anonymous caller (signed fresh
 * per request: signatures live 60 s); `headers` may carry another viewer's
 * signature, which then wins.
 */
export async function subgraphRequest<T = Record<string, unknown>>(
  url: string,
  internalSecret: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  return await graphqlRequest<T>(url, query, variables, { ...(await signedViewerHeaders(internalSecret)), ...headers });
}

export interface PausableProxy {
  /** `url` with host and port replaced by the proxy's. */
  via(url: string): string;
  /** Stops forwarding in both directions (bytes wait); new connections wait too. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/**
 * A TCP proxy in front of the database server of `targetUrl` that a test can
 * pause: the database looks alive (connections are accepted) but answers
 * nothing, as a hung or overloaded server does, without stopping the server
 * other tests share.
 */
export async function startPausableProxy(targetUrl: string): Promise<PausableProxy> {
  const target = new URL(targetUrl);
  let paused = false;
  const sockets = new Set<Socket>();
  const waiting: (() => void)[] = [];
  const server = createNetServer((client) => {
    const connect = () => {
      const upstream = connectTcp(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      if (paused) {
        client.pause();
        upstream.pause();
      }
    };
    if (paused) {
      client.pause();
      sockets.add(client);
      waiting.push(connect);
    } else connect();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    via(url) {
      const parsed = new URL(url);
      parsed.hostname = "127.0.0.1";
      parsed.port = String(port);
      return parsed.toString();
    },
    pause() {
      paused = true;
      for (const socket of sockets) socket.pause();
    },
    resume() {
      paused = false;
      // Waiting clients first: connecting pipes them, so no byte flows unread.
      for (const connect of waiting.splice(0)) connect();
      for (const socket of sockets) socket.resume();
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
