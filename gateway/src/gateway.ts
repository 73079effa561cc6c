import type { IncomingMessage, ServerResponse } from "node:http";
import { readFile } from "node:fs/promises";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { GraphQLError } from "graphql";
import {
  anonymousViewer,
  createUserTokenVerifier,
  formatError,
  sendJson,
  serveApollo,
  signViewer,
  VIEWER_HEADER,
  type RunningHttpServer,
  type UserTokenVerifierOptions,
  type Viewer,
} from "@yhdyspinta/core";
import { calendarRoutes } from "./calendar/routes.ts";
import { exportRoutes } from "./exports/routes.ts";
import { webPages } from "@yhdyspinta/web";
import { ResponseCache } from "./response-cache.ts";

export interface GatewayOptions {
  /** Path of the composed supergraph SDL (the checked-in `schema/supergraph.graphql`). */
  supergraphPath: string;
  /** Subgraph URL by subgraph name; overrides the URLs in the supergraph file. */
  subgraphUrls: Record<string, string>;
  port: number;
  host?: string;
  auth: UserTokenVerifierOptions;
  /** Secret shared with the subgraphs for the forwarded viewer. */
  internalAuthSecret: string;
  /** Response cache for queries (see response-cache.ts); off when absent or 0. */
  responseCacheTtlSeconds?: number;
}

interface GatewayContext {
  viewer: Viewer;
  viewerToken: string;
  subgraphsFetched: Set<string>;
}

/**
 * The supergraph's single entry point: verifies the caller's token, plans each
 * operation over the subgraphs from the static supergraph file, and forwards
 * only a signed statement of who the caller is, never the caller's headers.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningHttpServer> {
  const supergraphSdl = await readFile(options.supergraphPath, "utf8");
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService({ name, url }) {
      const target = options.subgraphUrls[name] ?? url;
      if (!target) throw new Error(`No URL for subgraph ${name}`);
      return new RemoteGraphQLDataSource<GatewayContext>({
        url: target,
        willSendRequest({ request, context }) {
          context.subgraphsFetched?.add(name);
          if (context.viewerToken) request.http?.headers.set(VIEWER_HEADER, context.viewerToken);
        },
      });
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError,
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      // The explorer at `/` is ours (packages/web), served from local files.
      ApolloServerPluginLandingPageDisabled(),
      ...(options.responseCacheTtlSeconds ? [new ResponseCache({ ttlSeconds: options.responseCacheTtlSeconds }).plugin<GatewayContext>()] : []),
    ],
  });
  await apollo.start();
  const verify = createUserTokenVerifier(options.auth);

  const health = async (_req: IncomingMessage, res: ServerResponse) => {
    const checks = await Promise.all(
      Object.entries(options.subgraphUrls).map(async ([name, url]) => {
        try {
          const response = await fetch(new URL("health", url), { signal: AbortSignal.timeout(2000) });
          return [name, response.ok ? "ok" : `status ${response.status}`] as const;
        } catch {
          return [name, "unreachable"] as const;
        }
      }),
    );
    const ok = checks.every(([, status]) => status === "ok");
    sendJson(res, ok ? 200 : 503, { status: ok ? "ok" : "degraded", subgraphs: Object.fromEntries(checks) });
  };

  return await serveApollo({
    apollo,
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    routes: { "/health": health, ...exportRoutes({ verify }), ...calendarRoutes({ verify }) },
    pages: webPages(),
    context: async (req) => {
      let viewer: Viewer = anonymousViewer;
      try {
        viewer = await verify(req.headers.authorization);
      } catch (error) {
        throw new GraphQLError(`Invalid bearer token: ${error instanceof Error ? error.message : "verification failed"}`, {
          extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
        });
      }
      return { viewer, viewerToken: await signViewer(viewer, options.internalAuthSecret), subgraphsFetched: new Set<string>() };
    },
  });
}
