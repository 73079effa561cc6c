import type { IncomingMessage } from "node:http";
import { readFile } from "node:fs/promises";
import { ApolloServer, type ApolloServerOptionsWithGateway, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { GraphQLError, type ValidationRule } from "graphql";
import { type ExposureOptions, withoutSuggestions } from "./production.ts";
import { type FetchOutcome, SubgraphSource } from "./subgraph-source.ts";
import {
  anonymousViewer,
  createUserTokenVerifier,
  currentRequestId,
  DEFAULT_GATEWAY_ENGINE,
  formatError,
  GATEWAY_LIMITS,
  type GatewayEngine,
  type OperationLimits,
  noSubscriptionsRule,
  operationLimitRules,
  inputGuardsPlugin,
  operationLogPlugin,
  parseKnownAt,
  tracingPlugin,
  platformRoutes,
  READY_TIMEOUT_MS,
  recordSubgraphFetch,
  registerKnownOperations,
  subgraphFetchDuration,
  subgraphFetchErrors,
  serveApollo,
  viewerSigner,
  type RunningHttpServer,
  type UserTokenVerifierOptions,
  type Viewer,
} from "@yhdyspinta/core";
import { calendarRoutes } from "./calendar/routes.ts";
import { personalDataRoutes } from "./personal-data/routes.ts";
import { changeFeedRoutes } from "./change-feed/routes.ts";
import { ChangeHub } from "./change-feed/live.ts";
import { subscriptionRoutes } from "./change-feed/subscriptions.ts";
import { exportRoutes } from "./exports/routes.ts";
import { importRoutes } from "./import/routes.ts";
import { webPages } from "@yhdyspinta/web";
import { VIEW_NAMES, viewDocument } from "@yhdyspinta/views";
import { parse } from "graphql";
import { ResponseCache } from "./response-cache.ts";
import { type ClientBudgetOptions, type ClientIdentity, ClientLimiter, clientLimitsPlugin, clientLogFields, clientOf } from "./client-limits.ts";
import { persistedQueryCache, TrustedDocuments, trustedDocumentsPlugin } from "./trusted-documents.ts";

export interface GatewayOptions extends ExposureOptions {
  /** Path of the composed supergraph SDL (the checked-in `schema/supergraph.graphql`). */
  supergraphPath: string;
  /**
   * Path of the public contract's supergraph (`schema/public-supergraph.graphql`,
   * see schema/contract.ts): served at `/public/graphql` to anyone, as
   * anonymous, read only; no public path when absent.
   */
  publicSupergraphPath?: string;
  /** Subgraph URL by subgraph name; overrides the URLs in the supergraph file. */
  subgraphUrls: Record<string, string>;
  port: number;
  host?: string;
  auth: UserTokenVerifierOptions;
  /** Secret shared with the subgraphs for the forwarded viewer. */
  internalAuthSecret: string;
  /** Longest wait for one subgraph fetch (default 10 s). */
  subgraphTimeoutMs?: number;
  /**
   * Query planner and executor: `hive-router` (the default: Hive Router's Rust
   * planner and its executor) or `apollo` (@apollo/gateway); see README.md,
   * "Gateway engine: measured, and the decision".
   */
  engine?: GatewayEngine;
  /** `apollo` engine: send each distinct `_entities` representation to a subgraph once (default true; Hive Router's executor always does). */
  dedupeRepresentations?: boolean;
  /** Response cache for queries (see response-cache.ts); off when absent or 0. */
  responseCacheTtlSeconds?: number;
  /** Most bytes of answers the response cache keeps (default `DEFAULT_RESPONSE_CACHE_MAX_BYTES`). */
  responseCacheMaxBytes?: number;
  /** Operators' overrides of the operation limits (default `GATEWAY_LIMITS`). */
  limits?: Partial<Pick<OperationLimits, "maxDepth" | "maxAliases" | "maxTokens" | "maxCost" | "maxFields">>;
  /** Largest request body (default `GATEWAY_MAX_BODY_BYTES`). */
  maxBodyBytes?: number;
  /**
   * Run only registered documents (views/trusted-documents.json and
   * `trustedDocumentFiles`) for callers without the analyst role (default
   * false; production mode turns it on, see README "Trusted documents").
   */
  registeredDocumentsOnly?: boolean;
  /** Further manifests (Apollo's persisted query manifest format) of operations clients register at deploy time. */
  trustedDocumentFiles?: readonly string[];
  /**
   * Follow the subgraphs' commit notifications (default true): live changes at
   * `/subscriptions` and the response cache's invalidation across replicas
   * (change-feed/live.ts).
   */
  liveChanges?: boolean;
  /**
   * Per-client cost budget per window (client-limits.ts; README "Per-client
   * limits"); no budget when absent or 0, though each client's usage is
   * still counted in `/metrics` and the operation log.
   */
  clientBudget?: ClientBudgetOptions;
}

// The engines are declared with the variable that picks one (config.ts).
export { DEFAULT_GATEWAY_ENGINE, GATEWAY_ENGINES, type GatewayEngine } from "@yhdyspinta/core";

export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 10_000;

/** Largest request body the gateway reads; the views' requests are ~2 KiB. */
export const GATEWAY_MAX_BODY_BYTES = 256 * 1024;

interface GatewayContext {
  viewer: Viewer;
  viewerToken: () => Promise<string>;
  requestId?: string;
  subgraphsFetched: Set<string>;
  knownAt?: string;
  /** Who is calling for the per-client limits and usage (client-limits.ts). */
  client?: ClientIdentity;
}

/**
 * An answer wholly lost because a database is unavailable (no data, or every
 * root field null, with a `DATABASE_UNAVAILABLE` error) is HTTP 503 with
 * `Retry-After`, as the whole answer of a service that is down; an answer
 * with some data stays 200 with its errors.
 */
function databaseUnavailableStatusPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const { data, errors } = response.body.singleResult;
          if (!errors?.some((e) => e.extensions?.["code"] === "DATABASE_UNAVAILABLE")) return;
          if (data && Object.values(data).some((value) => value !== null)) return;
          response.http.status = 503;
          response.http.headers.set("retry-after", "5");
        },
      };
    },
  };
}

/**
 * The supergraph's single entry point: verifies the caller's token, plans each
 * operation over the subgraphs from the static supergraph file, and forwards
 * only a signed statement of who the caller is, never the caller's headers.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningHttpServer> {
  const supergraphSdl = await readFile(options.supergraphPath, "utf8");
  const limits: OperationLimits = { ...GATEWAY_LIMITS, ...options.limits };
  const timeoutMs = options.subgraphTimeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS;
  const onFetch = ({ service, ms, outcome }: { service: string; ms: number; outcome: FetchOutcome }) => {
    subgraphFetchDuration().observe({ subgraph: service, outcome }, ms / 1000);
    if (outcome !== "ok") subgraphFetchErrors().inc({ subgraph: service, outcome });
    recordSubgraphFetch({ service, ms, outcome });
  };
  // Only the chosen engine is loaded (each is a large module graph: seconds of start-up on a busy machine).
  const apolloEngine = async (supergraphSdl: string) => {
    const { ApolloGateway } = await import("@apollo/gateway");
    return new ApolloGateway({
      supergraphSdl,
      buildService({ name, url }) {
        const target = options.subgraphUrls[name] ?? url;
        if (!target) throw new Error(`No URL for subgraph ${name}`);
        return new SubgraphSource({ name, url: target, timeoutMs, dedupeRepresentations: options.dedupeRepresentations ?? true, onFetch });
      },
    });
  };
  const hiveEngine = async (supergraphSdl: string) => {
    const { hiveRouterEngine } = await import("./hive-router-engine.ts");
    return hiveRouterEngine({ supergraphSdl, subgraphUrls: options.subgraphUrls, timeoutMs, onFetch });
  };
  const engine = async (sdl: string) => ((options.engine ?? DEFAULT_GATEWAY_ENGINE) === "apollo" ? await apolloEngine(sdl) : await hiveEngine(sdl));
  const gateway = await engine(supergraphSdl);
  const trusted = TrustedDocuments.load(options.trustedDocumentFiles);
  // One notification stream per subgraph for the process: live subscriptions and the cache's invalidation.
  const hub = options.liveChanges === false ? undefined : new ChangeHub({ subgraphUrls: options.subgraphUrls, internalAuthSecret: options.internalAuthSecret });
  const responseCache = options.responseCacheTtlSeconds
    ? new ResponseCache({ ttlSeconds: options.responseCacheTtlSeconds, ...(options.responseCacheMaxBytes ? { maxBytes: options.responseCacheMaxBytes } : {}) })
    : undefined;
  if (hub && responseCache) responseCache.follow(hub);
  const limiter = options.clientBudget ? new ClientLimiter(options.clientBudget) : undefined;
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Registered documents by id, and automatic persisted queries in front of them (trusted-documents.ts).
    persistedQueries: { cache: persistedQueryCache(trusted) },
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    formatError: options.fieldSuggestions === false ? withoutSuggestions(formatError) : formatError,
    validationRules: [...operationLimitRules(limits), noSubscriptionsRule],
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      trustedDocumentsPlugin<GatewayContext>({ trusted, registeredOnly: options.registeredDocumentsOnly ?? false }),
      databaseUnavailableStatusPlugin(),
      tracingPlugin(),
      knownAtQueriesOnlyPlugin(),
      inputGuardsPlugin(),
      clientLimitsPlugin<GatewayContext>(limits, limiter),
      operationLogPlugin<GatewayContext>((context) => clientLogFields(context.client)),
      // The explorer at `/` is ours (packages/web), served from local files.
      ApolloServerPluginLandingPageDisabled(),
      ...(responseCache ? [responseCache.plugin<GatewayContext>()] : []),
    ],
  });
  await apollo.start();
  const publicApollo = options.publicSupergraphPath ? await startPublicContract(await engine(await readFile(options.publicSupergraphPath, "utf8")), options, limits, limiter) : undefined;
  const verify = createUserTokenVerifier(options.auth);

  // The committed views' operations keep a metrics label of their own however many other names callers send.
  registerKnownOperations(VIEW_NAMES.flatMap((view) => viewOperationNames(viewDocument(view))));
  // A subgraph's /ready answers within READY_TIMEOUT_MS (503 when its database
  // does not); the gateway waits a little longer for that answer, and a little
  // longer again for all of them.
  const subgraphReadyTimeoutMs = READY_TIMEOUT_MS + 500;
  const checks = Object.fromEntries(
    Object.entries(options.subgraphUrls).map(([name, url]) => [
      name,
      async () => {
        const response = await fetch(new URL("ready", url), { signal: AbortSignal.timeout(subgraphReadyTimeoutMs) });
        return response.ok ? "ok" : `status ${response.status}`;
      },
    ]),
  );

  const server = await serveApollo({
    apollo,
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    maxBodyBytes: options.maxBodyBytes ?? GATEWAY_MAX_BODY_BYTES,
    ...(publicApollo ? { apolloByPath: { [PUBLIC_GRAPHQL_PATH]: publicApollo } } : {}),
    documentIdPath: "/graphql/",
    getWithoutPreflight: true,
    routes: {
      ...platformRoutes({ service: "gateway", checks, readyTimeoutMs: subgraphReadyTimeoutMs + 500 }),
      ...exportRoutes({ verify }), ...calendarRoutes({ verify }), ...changeFeedRoutes({ verify }), ...personalDataRoutes({ verify }),
      ...(hub ? subscriptionRoutes({ verify, hub }) : {}),
      ...importRoutes({ verify, subgraphUrls: options.subgraphUrls, internalAuthSecret: options.internalAuthSecret }),
    },
    pages: webPages(),
    context: async (req) => {
      let viewer: Viewer = anonymousViewer;
      if (publicApollo && new URL(req.url ?? "/", "http://localhost").pathname === PUBLIC_GRAPHQL_PATH) {
        // The public contract answers everyone alike: a token is neither needed nor read.
        const requestId = currentRequestId();
        return { viewer, viewerToken: viewerSigner(viewer, options.internalAuthSecret), subgraphsFetched: new Set<string>(), client: clientOf(req, viewer, options.internalAuthSecret), ...(requestId ? { requestId } : {}) };
      }
      if (options.allowAnonymous === false && !req.headers.authorization) {
        throw new GraphQLError("This API needs a bearer token", { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
      }
      try {
        viewer = await verify(req.headers.authorization);
      } catch (error) {
        throw new GraphQLError(`Invalid bearer token: ${error instanceof Error ? error.message : "verification failed"}`, {
          extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
        });
      }
      const requestId = currentRequestId();
      const knownAt = knownAtOfRequest(req);
      return {
        viewer,
        viewerToken: viewerSigner(viewer, options.internalAuthSecret),
        subgraphsFetched: new Set<string>(),
        client: clientOf(req, viewer, options.internalAuthSecret),
        ...(requestId ? { requestId } : {}),
        ...(knownAt ? { knownAt } : {}),
      };
    },
  });
  hub?.start();
  // With the cache on, the first answers are cached only once the subgraphs' commits are heard (a bounded wait: a subgraph that is down does not hold the gateway up).
  if (hub && responseCache) await hub.ready(5_000).catch(() => undefined);
  return {
    ...server,
    async stop() {
      await hub?.stop();
      await server.stop();
      await limiter?.close();
    },
  };
}

/**
 * Refuses anything but a query. The contract has no Mutation type, but
 * graphql-js leaves a mutation against a schema without one to the executor,
 * which would answer 500.
 */
const readOnlyRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation !== "query") context.reportError(new GraphQLError(`The public contract is read only: it answers queries, not a ${node.operation}.`, { nodes: [node] }));
  },
});

/** Where the gateway serves the public contract (see `GatewayOptions.publicSupergraphPath`). */
export const PUBLIC_GRAPHQL_PATH = "/public/graphql";

/**
 * The public contract's server: the contract's own supergraph (its API schema
 * has no personal or internal field and no mutations, so neither validation
 * nor introspection knows them), the same limits, error format and logging,
 * no trusted-documents rule (nothing in it needs guarding, and the views'
 * registered documents select personal fields) and no response cache.
 */
async function startPublicContract(
  gateway: ApolloServerOptionsWithGateway<GatewayContext>["gateway"],
  options: GatewayOptions,
  limits: OperationLimits,
  limiter: ClientLimiter | undefined,
): Promise<ApolloServer<GatewayContext>> {
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    formatError: options.fieldSuggestions === false ? withoutSuggestions(formatError) : formatError,
    validationRules: [...operationLimitRules(limits), noSubscriptionsRule, readOnlyRule],
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      inputGuardsPlugin(),
      clientLimitsPlugin<GatewayContext>(limits, limiter),
      operationLogPlugin<GatewayContext>((context) => clientLogFields(context.client)),
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();
  return apollo;
}

function viewOperationNames(document: string): string[] {
  return parse(document).definitions.flatMap((d) => (d.kind === "OperationDefinition" && d.name ? [d.name.value] : []));
}

/** `knownAt` reads the past: a mutation (or subscription) asked with one is refused before any subgraph is asked. */
function knownAtQueriesOnlyPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      if (!contextValue.knownAt) return;
      return {
        async didResolveOperation({ operation }) {
          if (!operation || operation.operation === "query") return;
          throw new GraphQLError(`Invalid value for "knownAt": applies to queries only, not to a ${operation.operation}`, {
            extensions: { code: "BAD_USER_INPUT", field: "knownAt", reason: "applies to queries only", http: { status: 400 } },
          });
        },
      };
    },
  };
}

/**
 * The instant a request reads the register as known at: the `Known-At`
 * header or the `knownAt` URL parameter (an ISO 8601 instant, not in the
 * future); undefined when neither is given. The subgraphs answer from the
 * audit trail (packages/core/src/audit/known-at.ts); queries only.
 */
function knownAtOfRequest(req: IncomingMessage): string | undefined {
  const header = req.headers["known-at"];
  const value = (Array.isArray(header) ? header[0] : header) ?? new URL(req.url ?? "/", "http://localhost").searchParams.get("knownAt") ?? undefined;
  if (value === undefined || value === "") return undefined;
  try {
    return parseKnownAt(value);
  } catch (error) {
    const reason = error instanceof GraphQLError ? String(error.extensions["reason"] ?? error.message) : "is not a valid instant";
    throw new GraphQLError(`Invalid value for "knownAt": ${reason}`, { extensions: { code: "BAD_USER_INPUT", field: "knownAt", reason, http: { status: 400 } } });
  }
}
