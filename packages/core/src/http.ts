import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ApolloServer, type BaseContext as ApolloBaseContext, HeaderMap } from "@apollo/server";
import { redactForLog } from "./errors-format.ts";
import { logger } from "./logger.ts";
import { offerRawAnswer, rawAnswerBody, takeRawAnswer } from "./raw-answer.ts";
import { REQUEST_ID_HEADER, requestIdOf, withRequestId } from "./request-id.ts";
import { withRequestSpan } from "./tracing.ts";

/**
 * Extra plain-HTTP routes next to GraphQL, e.g. `/health`; a key ending in
 * `/*` (e.g. `/exports/*`) serves every path under it.
 */
export type Routes = Record<string, (req: IncomingMessage, res: ServerResponse) => void | Promise<void>>;

export interface HttpServerOptions<TContext extends ApolloBaseContext> {
  apollo: ApolloServer<TContext>;
  /** Builds the per-request context; throwing a GraphQLError answers with it. */
  context: (req: IncomingMessage) => Promise<TContext>;
  port: number;
  host?: string;
  /** Paths that serve GraphQL (default `/` and `/graphql`). */
  graphqlPaths?: string[];
  /** Further GraphQL endpoints, each answered by an ApolloServer of its own (e.g. the gateway's public contract at `/public/graphql`). */
  apolloByPath?: Record<string, ApolloServer<TContext>>;
  routes?: Routes;
  /** Asked first about every request: serves a page and returns true, or returns false to let GraphQL and the routes answer. */
  pages?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** Largest accepted request body in bytes (default 1 MiB; `_entities` batches can be large). */
  maxBodyBytes?: number;
  /**
   * Path prefix (e.g. `/graphql/`) under which `GET <prefix><sha256>?variables=…`
   * runs the persisted document of that id, as the `persistedQuery` extension would.
   */
  documentIdPath?: string;
  /**
   * Accept GET requests without the header Apollo Server's CSRF prevention
   * asks for. Safe only where the caller is known by the Authorization
   * header alone (no cookies), so that a cross-site GET runs as nobody; GET
   * runs queries only. POST keeps the check.
   */
  getWithoutPreflight?: boolean;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

class PayloadTooLargeError extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new PayloadTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

function prefixRoute(routes: Routes, pathname: string): Routes[string] | undefined {
  let best: string | undefined;
  for (const key of Object.keys(routes)) {
    if (key.endsWith("/*") && pathname.startsWith(key.slice(0, -1)) && (!best || key.length > best.length)) best = key;
  }
  return best ? routes[best] : undefined;
}

/**
 * Serves an ApolloServer over node:http with a few extra routes. Apollo Server 5
 * ships no HTTP framework of its own beyond `startStandaloneServer`, which
 * cannot add `/health`; this is the same bridge its integrations use.
 */
export async function serveApollo<TContext extends ApolloBaseContext>(
  options: HttpServerOptions<TContext>,
): Promise<RunningHttpServer> {
  const graphqlPaths = new Set(options.graphqlPaths ?? ["/", "/graphql"]);
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const routes = options.routes ?? {};
  const server = createServer((req, res) => {
    const requestId = requestIdOf(req);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    void withRequestId(requestId, async () => {
      if (options.pages && (await options.pages(req, res))) return;
      const url = new URL(req.url ?? "/", "http://localhost");
      const route = routes[url.pathname] ?? prefixRoute(routes, url.pathname);
      if (route) {
        await route(req, res);
        return;
      }
      const documentId = options.documentIdPath && url.pathname.startsWith(options.documentIdPath) ? url.pathname.slice(options.documentIdPath.length) : undefined;
      if (documentId !== undefined) {
        if (!/^[0-9a-f]{64}$/.test(documentId)) {
          sendJson(res, 404, { errors: [{ message: "Not a document id: a persisted document's id is its sha256 in lower-case hex", extensions: { code: "NOT_FOUND" } }] });
          return;
        }
        if (req.method !== "GET") {
          res.setHeader("allow", "GET");
          sendJson(res, 405, { errors: [{ message: "A document is read by id with GET", extensions: { code: "METHOD_NOT_ALLOWED" } }] });
          return;
        }
        url.searchParams.delete("query");
        url.searchParams.set("extensions", JSON.stringify({ persistedQuery: { version: 1, sha256Hash: documentId } }));
      } else if (!graphqlPaths.has(url.pathname) && !options.apolloByPath?.[url.pathname]) {
        sendJson(res, 404, { error: "not found" });
        return;
      }
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
      }
      // Apollo Server's CSRF prevention accepts a request carrying this header (see `getWithoutPreflight`).
      if ((documentId !== undefined || (options.getWithoutPreflight && req.method === "GET")) && !headers.has("apollo-require-preflight")) {
        headers.set("apollo-require-preflight", "get");
      }
      let body: unknown = undefined;
      if (req.method === "POST") {
        const text = await readBody(req, limit);
        if (text.length > 0) {
          try {
            body = JSON.parse(text);
          } catch {
            sendJson(res, 400, { errors: [{ message: "Request body is not valid JSON", extensions: { code: "BAD_REQUEST" } }] });
            return;
          }
        }
      }
      let contextValue: TContext | undefined;
      const apollo = (documentId === undefined ? options.apolloByPath?.[url.pathname] : undefined) ?? options.apollo;
      const response = await withRequestSpan(req.headers, `${req.method ?? "GET"} ${url.pathname}`, async () => await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
        context: async () => {
          contextValue = await options.context(req);
          // One operation per request only: a batch's answers are joined by Apollo Server.
          if (!Array.isArray(body)) offerRawAnswer(contextValue);
          return contextValue;
        },
      }));
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      const raw = contextValue ? takeRawAnswer(contextValue) : undefined;
      if (raw && res.statusCode === 200 && response.body.kind === "complete") {
        // An answer held as JSON bytes (a response cache hit, a passed-through subgraph answer),
        // framed as Apollo Server writes it, without serialising the result again.
        const parts = rawAnswerBody(raw);
        res.setHeader("content-length", parts.reduce((n, part) => n + part.length, 0));
        res.cork();
        for (const part of parts.slice(0, -1)) res.write(part);
        res.end(parts.at(-1));
      } else if (response.body.kind === "complete") {
        // One UTF-8 encoding with its length known: ending with the string made Node
        // measure it and copy it again (a few ms per megabyte of answer).
        const payload = Buffer.from(response.body.string, "utf8");
        res.setHeader("content-length", payload.length);
        res.end(payload);
      } else {
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      }
    }).catch((error: unknown) => {
      if (error instanceof PayloadTooLargeError) {
        if (!res.headersSent) {
          // The rest of the body was never read, so this connection cannot carry another request:
          // say so, or a client reusing it gets its next request reset.
          res.setHeader("connection", "close");
          sendJson(res, 413, { errors: [{ message: "Request body too large", extensions: { code: "PAYLOAD_TOO_LARGE" } }] });
        }
        else res.end();
        return;
      }
      // The stack stays in the server log; the caller gets no internals.
      logger().error({ error: redactForLog(error instanceof Error ? error.message : String(error)) }, "request failed");
      if (!res.headersSent) {
        sendJson(res, 500, { errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR", requestId } }] });
      }
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== "0.0.0.0" && options.host !== "::" ? options.host : "127.0.0.1";
  let stopped = false;
  return {
    url: `http://${host}:${port}/`,
    port,
    server,
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await options.apollo.stop();
      for (const apollo of Object.values(options.apolloByPath ?? {})) await apollo.stop();
    },
  };
}

export { sendJson };

/**
 * The JSON body of an internal request, or null after answering 400 with
 * `error` when it is not JSON (the route returns then).
 */
export async function readJsonBody<T>(req: IncomingMessage, res: ServerResponse, error: string): Promise<T | null> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as T;
  } catch {
    sendJson(res, 400, { error });
    return null;
  }
}
