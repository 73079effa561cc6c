import type { IncomingMessage, ServerResponse } from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import type { GraphQLSchema } from "graphql";
import type { BaseContext } from "./context.ts";
import type { Orm } from "./database.ts";
import { formatError } from "./errors-format.ts";
import { internalSignatureGuard, OPEN_SUBGRAPH_ROUTES } from "./internal-auth.ts";
import { inputGuardsPlugin } from "./input-guards.ts";
import { operationLimitRules, SUBGRAPH_LIMITS } from "./limits.ts";
import { serveApollo, sendJson, type RunningHttpServer, type Routes } from "./http.ts";
import { createReferenceChecker } from "./references.ts";
import { queryStats } from "./stats.ts";
import type { EntityManager } from "@mikro-orm/postgresql";

export interface SubgraphOptions<Loaders> {
  /** Service name, e.g. `organisations`. */
  name: string;
  schema: GraphQLSchema;
  orm: Orm;
  /** Creates the request's DataLoaders around its own EntityManager. */
  createLoaders: (em: EntityManager) => Loaders;
  port: number;
  host?: string;
  /** Secret shared with the gateway to verify the caller it forwards. */
  internalAuthSecret?: string | undefined;
  /** Serve `/debug/stats` (statement and operation counters). Off in production. */
  debugStats?: boolean;
  /** Other subgraphs' URLs by service name, for checking references on write. */
  subgraphUrls?: Readonly<Record<string, string>>;
  /** Serve introspection (default true; off in production unless ALLOW_INTROSPECTION=true). */
  introspection?: boolean;
}

/** Longest a `/health` check waits for the database. */
export const HEALTH_TIMEOUT_MS = 2_000;

/** Starts one subgraph: GraphQL on `/` and `/graphql` (signed requests only), `/health`, optional `/debug/stats`. */
export async function startSubgraph<Loaders>(options: SubgraphOptions<Loaders>): Promise<RunningHttpServer> {
  const apollo = new ApolloServer<BaseContext<Loaders>>({
    schema: options.schema,
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    formatError,
    // Defence in depth: the same static limits as the gateway, a little wider.
    validationRules: operationLimitRules(SUBGRAPH_LIMITS),
    parseOptions: { maxTokens: SUBGRAPH_LIMITS.maxTokens },
    plugins: [
      // Traces are for Apollo's hosted studio, which this deployment does not use.
      ApolloServerPluginInlineTraceDisabled(),
      // No HTTP cache hints are set; the default plugin still hooks every
      // field resolution, a measurable cost on large fan-outs.
      ApolloServerPluginCacheControlDisabled(),
      inputGuardsPlugin(),
      {
        async requestDidStart() {
          queryStats.operations += 1;
        },
      },
    ],
  });
  await apollo.start();
  const references = createReferenceChecker({
    urls: options.subgraphUrls ?? {},
    internalSecret: options.internalAuthSecret,
    self: options.name,
  });
  const routes: Routes = {
    "/health": async (_req: IncomingMessage, res: ServerResponse) => {
      try {
        // Bounded: a database that does not answer makes the check fail in 2 s, not hang.
        await Promise.race([
          options.orm.em.fork().getConnection().execute("select 1"),
          new Promise((_, reject) => setTimeout(() => reject(new Error("health check timed out")), HEALTH_TIMEOUT_MS).unref()),
        ]);
        sendJson(res, 200, { status: "ok", service: options.name });
      } catch {
        sendJson(res, 503, { status: "database unavailable", service: options.name });
      }
    },
  };
  if (options.debugStats) {
    routes["/debug/stats"] = (req: IncomingMessage, res: ServerResponse) => {
      const snapshot = queryStats.snapshot();
      if (req.method === "DELETE") queryStats.reset();
      sendJson(res, 200, snapshot);
    };
  }
  // Only the gateway (and sibling subgraphs checking references) may ask:
  // every path but the platform's probes and the debug counters needs its signature.
  const guard = internalSignatureGuard({
    internalSecret: options.internalAuthSecret,
    open: [...OPEN_SUBGRAPH_ROUTES, ...(options.debugStats ? ["/debug/stats"] : [])],
  });
  return await serveApollo({
    apollo,
    pages: (req, res) => guard.refuse(req, res),
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    maxBodyBytes: 10 * 1024 * 1024,
    routes,
    context: async (req) => {
      const em = options.orm.em.fork() as EntityManager;
      return { em, viewer: guard.viewerOf(req), loaders: options.createLoaders(em), references };
    },
  });
}
