import type { ApolloServerOptionsWithGateway } from "@apollo/server";
import { unifiedGraphHandler } from "@graphql-hive/router-runtime";
import { UnifiedGraphManager } from "@graphql-mesh/fusion-runtime";
import { type DocumentNode, type ExecutionResult, GraphQLError, print } from "graphql";
import { VIEWER_HEADER } from "@yhdyspinta/core";
import type { SubgraphSourceContext } from "./subgraph-source.ts";

type GatewayInterface = ApolloServerOptionsWithGateway<Record<string, unknown>>["gateway"];

export interface HiveRouterEngineOptions {
  supergraphSdl: string;
  /** Subgraph URL by subgraph name. */
  subgraphUrls: Record<string, string>;
  timeoutMs: number;
  /** Called after every subgraph fetch (metrics, the operation's log line). */
  onFetch?: (event: { service: string; ms: number; outcome: "ok" | "error" | "unavailable" | "timeout" }) => void;
}

const printed = new WeakMap<DocumentNode, string>();
const printOnce = (document: DocumentNode) => {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
};

const unavailable = (message: string, serviceName: string) => ({
  data: null,
  errors: [new GraphQLError(message, { extensions: { code: "SUBGRAPH_UNAVAILABLE", serviceName } })],
});

/**
 * Hive Router's query planner (a native addon) and its executor behind our
 * Apollo Server, as an Apollo `GatewayInterface`: Apollo Server keeps parsing,
 * validating (operation limits), its plugins (response cache, input guards,
 * error formatting); only planning and executing over the subgraphs move.
 * Subgraph calls carry the signed viewer and the request id, are bounded by
 * the timeout, and fail as `SUBGRAPH_UNAVAILABLE` naming the subgraph.
 */
export function hiveRouterEngine(options: HiveRouterEngineOptions): GatewayInterface {
  const subgraphExecutor = (name: string) => {
    const url = options.subgraphUrls[name];
    if (!url) throw new Error(`No URL for subgraph ${name}`);
    return async (request: {
      document: DocumentNode;
      variables?: Record<string, unknown>;
      operationName?: string;
      context?: Partial<SubgraphSourceContext>;
    }): Promise<ExecutionResult> => {
      const context = request.context ?? {};
      context.subgraphsFetched?.add(name);
      const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
      if (context.viewerToken) headers[VIEWER_HEADER] = await context.viewerToken();
      if (context.requestId) headers["x-request-id"] = context.requestId;
      const started = performance.now();
      const report = (outcome: "ok" | "error" | "unavailable" | "timeout") =>
        options.onFetch?.({ service: name, ms: performance.now() - started, outcome });
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          method: "POST",
          headers,
          body: JSON.stringify({ query: printOnce(request.document), variables: request.variables, operationName: request.operationName }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        // Inside the bound too: a body still streaming at the deadline is a timeout, not a thrown operation.
        text = await response.text();
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        report(timedOut ? "timeout" : "unavailable");
        return unavailable(timedOut ? `The ${name} service did not answer within ${options.timeoutMs} ms` : `The ${name} service is unavailable`, name);
      }
      let body: ExecutionResult | undefined;
      try {
        body = JSON.parse(text) as ExecutionResult;
      } catch {
        // not JSON: a proxy's or a crashed process's page
      }
      if (!body || typeof body !== "object" || response.status >= 500 || (!response.ok && !body.errors)) {
        report("unavailable");
        return unavailable(`The ${name} service is unavailable (status ${response.status})`, name);
      }
      report(response.ok ? "ok" : "error");
      if (body.errors) {
        body = {
          ...body,
          errors: body.errors.map((e) => new GraphQLError(e.message, { ...(e.path ? { path: e.path } : {}), extensions: { ...e.extensions, serviceName: name } })),
        };
      }
      return body;
    };
  };

  let manager: UnifiedGraphManager<Record<string, unknown>> | undefined;
  const listeners = new Set<(schema: { apiSchema: import("graphql").GraphQLSchema; coreSupergraphSdl: string }) => void>();
  return {
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async load() {
      manager = new UnifiedGraphManager<Record<string, unknown>>({
        getUnifiedGraph: () => options.supergraphSdl,
        handleUnifiedGraph: unifiedGraphHandler,
        transports: { http: { getSubgraphExecutor: ({ subgraphName }) => subgraphExecutor(subgraphName) as never } },
        batch: false,
      });
      const apiSchema = await manager.getUnifiedGraph();
      for (const listener of listeners) listener({ apiSchema, coreSupergraphSdl: options.supergraphSdl });
      const current = manager;
      return {
        async executor(requestContext) {
          const executor = await current.getExecutor();
          if (!executor) throw new Error("The query planner is not ready");
          const context = await current.getContext(requestContext.context);
          const result = await executor({
            document: requestContext.document,
            variables: requestContext.request.variables ?? {},
            ...(requestContext.operationName ? { operationName: requestContext.operationName } : {}),
            context,
          });
          if (Symbol.asyncIterator in (result as object)) throw new Error("Streaming results are not supported");
          const single = result as ExecutionResult<Record<string, unknown>>;
          // A failed root fetch comes back without `data`, which Apollo Server would answer as a
          // 400 (a request error); it is an execution error: `data: null`, HTTP 200, as with @apollo/gateway.
          return single.errors?.length && single.data === undefined ? { ...single, data: null } : single;
        },
      };
    },
    async stop() {
      await manager?.[Symbol.asyncDispose]();
    },
  };
}
