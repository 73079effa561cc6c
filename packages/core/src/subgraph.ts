import type { IncomingMessage, ServerResponse } from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { GraphQLError, type GraphQLSchema } from "graphql";
import { forkForViewer } from "./audit/actor.ts";
import { RequestCache } from "./audit/request-cache.ts";
import { beginKnownAt, KNOWN_AT_HEADER, parseKnownAt } from "./audit/known-at.ts";
import type { BaseContext } from "./context.ts";
import type { Orm } from "./database.ts";
import { formatError } from "./errors-format.ts";
import { jitExecutor } from "./jit-executor.ts";
import type { SubgraphExecutorKind } from "./config.ts";
import { internalSignatureGuard, OPEN_SUBGRAPH_ROUTES, type RouterAuthOptions } from "./internal-auth.ts";
import { inputGuardsPlugin } from "./input-guards.ts";
import { operationLimitRules, SUBGRAPH_LIMITS } from "./limits.ts";
import { serveApollo, sendJson, type RunningHttpServer, type Routes } from "./http.ts";
import { observePool } from "./metrics.ts";
import { operationLogPlugin } from "./operation-log.ts";
import { platformRoutes } from "./platform-routes.ts";
import { CHANGE_NOTIFICATIONS_PATH, changeNotificationsRoute } from "./change-notifications.ts";
import DataLoader from "dataloader";
import { createReferenceChecker, type ReferenceChecker } from "./references.ts";
import type { Viewer } from "./auth.ts";
import { queryStats } from "./stats.ts";
import { tracingPlugin } from "./tracing.ts";
import type { EntityManager } from "@mikro-orm/postgresql";

export interface SubgraphOptions<Loaders> {
  /** Service name, e.g. `organisations`. */
  name: string;
  schema: GraphQLSchema;
  orm: Orm;
  /**
   * The same database with a read replica (MikroORM `replicas`): queries run
   * on it, so their finds and `getConnection("read")` use the replica.
   * Mutations run on `orm` alone: their writes and their own re-reads (the
   * fields of the answer) see the primary.
   */
  readOrm?: Orm;
  /** Creates the request's DataLoaders around its own EntityManager. */
  createLoaders: (em: EntityManager) => Loaders;
  port: number;
  host?: string;
  /** Secret shared with the gateway to verify the caller it forwards. */
  internalAuthSecret?: string | undefined;
  /** Routers other than ours: their credentials and how the caller tokens they forward are verified. */
  router?: RouterAuthOptions | undefined;
  /** Serve `/debug/stats` (statement and operation counters). Off in production. */
  debugStats?: boolean;
  /** How operations are executed: `jit` (graphql-jit, the default) or `graphql-js`. */
  executor?: SubgraphExecutorKind;
  /** Other subgraphs' URLs by service name, for checking references on write. */
  subgraphUrls?: Readonly<Record<string, string>>;
  /** Serve introspection (default true; off in production unless ALLOW_INTROSPECTION=true). */
  introspection?: boolean;
  /** The service's own internal HTTP routes (e.g. `/internal/import`), behind the gateway's signature like GraphQL. */
  internalRoutes?: (deps: InternalRouteDeps) => Routes;
}

/** What a service's internal HTTP routes get: the database, the verified caller of a request, the reference checker. */
export interface InternalRouteDeps {
  orm: Orm;
  /** The caller the gateway signed for this request (the guard has checked it before the route runs). */
  viewerOf(req: IncomingMessage): Viewer;
  references: ReferenceChecker;
}

/**
 * Starts one subgraph: GraphQL on `/` and `/graphql`, `/health`, `/ready`
 * (database reachable, migrations applied), `/metrics`, optional `/debug/stats`.
 */
export async function startSubgraph<Loaders>(options: SubgraphOptions<Loaders>): Promise<RunningHttpServer> {
  const apollo = new ApolloServer<BaseContext<Loaders>>({
    ...((options.executor ?? "jit") === "jit" ? { gateway: jitExecutor(options.schema) } : { schema: options.schema }),
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
      operationLogPlugin(),
      tracingPlugin(),
      {
        async requestDidStart({ request }) {
          queryStats.operations += 1;
          const representations = request.variables?.["representations"];
          if (Array.isArray(representations)) queryStats.representations += representations.length;
          return {
            async didResolveOperation({ operation, contextValue }) {
              if (knownAtOf(contextValue) && operation?.operation !== "query") {
                throw new GraphQLError('Invalid value for "knownAt": applies to queries only', {
                  extensions: { code: "BAD_USER_INPUT", field: "knownAt", reason: "applies to queries only", http: { status: 400 } },
                });
              }
              if (!options.readOrm) return;
              // Read-your-writes: a mutation and its answer run on the primary only.
              if (operation?.operation !== "mutation") return;
              const em = forkForViewer(options.orm.em, contextValue.viewer);
              contextValue.em = em;
              contextValue.loaders = options.createLoaders(em);
              contextValue.cache = new RequestCache();
            },
            async willSendResponse({ contextValue }) {
              // The known-at reads' transaction holds only temporary views: nothing to keep.
              if (knownAtOf(contextValue)) await contextValue.em.rollback();
            },
          };
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
    ...platformRoutes({
      service: options.name,
      checks: {
        database: async () => {
          await options.orm.em.fork().getConnection().execute("select 1");
          return "ok";
        },
        migrations: async () => {
          const pending = await options.orm.migrator.getPending();
          return pending.length === 0 ? "ok" : `${pending.length} pending`;
        },
      },
    }),
  };
  // Commit notifications of the change outbox for the gateway (change-notifications.ts).
  const notifications = changeNotificationsRoute(String(options.orm.config.get("clientUrl")));
  routes[CHANGE_NOTIFICATIONS_PATH] = (req, res) => notifications.handler(req, res);
  if (options.debugStats) {
    queryStats.keepStatementText = true;
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
    router: options.router,
    open: [...OPEN_SUBGRAPH_ROUTES, ...(options.debugStats ? ["/debug/stats"] : [])],
  });
  if (options.internalRoutes) Object.assign(routes, options.internalRoutes({ orm: options.orm, viewerOf: (req) => guard.viewerOf(req), references }));
  const pool = await options.orm.em.getConnection().getNativeClient();
  const unobservePool = observePool(() => pool, pool.options.max ?? 10);
  const server = await serveApollo({
    apollo,
    pages: (req, res) => guard.refuse(req, res),
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    maxBodyBytes: 10 * 1024 * 1024,
    routes,
    context: async (req) => {
      const viewer = guard.viewerOf(req);
      const knownAtHeader = req.headers[KNOWN_AT_HEADER];
      const knownAt = typeof knownAtHeader === "string" && knownAtHeader ? parseKnownAt(knownAtHeader) : undefined;
      // The fork carries the caller: whatever the request writes through it is audited as theirs.
      // Reads as known at an instant run on the primary, in a transaction of their own (audit/known-at.ts).
      const em = forkForViewer((knownAt ? options.orm : (options.readOrm ?? options.orm)).em, viewer);
      if (knownAt) await beginKnownAt(em, knownAt);
      const organisationIds = new DataLoader<string, string[]>(async (ids) => await references.organisationIds!(ids));
      return { em, viewer, loaders: options.createLoaders(em), references, organisationIds, cache: new RequestCache(), ...(knownAt ? { knownAt } : {}) };
    },
  });
  return {
    ...server,
    async stop() {
      unobservePool();
      await notifications.stop();
      await server.stop();
    },
  };
}

/** Whether the request reads as known at an instant (its `em` holds an open transaction). */
const knownAtOf = (context: { knownAt?: string }): boolean => context.knownAt !== undefined;
