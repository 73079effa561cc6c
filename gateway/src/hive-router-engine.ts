import type { ApolloServerOptionsWithGateway } from "@apollo/server";
import { unifiedGraphHandler } from "@graphql-hive/router-runtime";
import { answerRaw, passedThroughTotal } from "@yhdyspinta/core";
import { UnifiedGraphManager } from "@graphql-mesh/fusion-runtime";
import { type DocumentNode, type ExecutionResult, getVariableValues, GraphQLError, type GraphQLFormattedError, print } from "graphql";
import { nameOperation, type Prefetched, PassThroughs } from "./pass-through.ts";
import { type FetchOutcome, type SubgraphResponse, type SubgraphSourceContext, type SubgraphTransport, subgraphTransport } from "./subgraph-source.ts";

type GatewayInterface = ApolloServerOptionsWithGateway<Record<string, unknown>>["gateway"];

export interface HiveRouterEngineOptions {
  supergraphSdl: string;
  /** Subgraph URL by subgraph name. */
  subgraphUrls: Record<string, string>;
  timeoutMs: number;
  /** Called after every subgraph fetch (metrics, the operation's log line). */
  onFetch?: (event: { service: string; ms: number; outcome: FetchOutcome }) => void;
}

/** The operation a subgraph fetch serves, and how many fetches it has made (names the fetches). */
interface SubgraphOperation {
  name: string | undefined;
  fetches: number;
}

/** What the executor passes to a subgraph executor (a subset of @graphql-tools' `ExecutionRequest`); its context is ours. */
interface SubgraphExecutionRequest {
  document: DocumentNode;
  variables?: Record<string, unknown>;
  operationName?: string;
  context?: Partial<SubgraphSourceContext> & { subgraphOperation?: SubgraphOperation; prefetched?: Prefetched };
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

/** The executor merges errors as GraphQLError instances (path and extensions kept). */
const asGraphQLError = (error: GraphQLFormattedError) =>
  new GraphQLError(error.message, { ...(error.path ? { path: error.path } : {}), ...(error.extensions ? { extensions: error.extensions } : {}) });

/**
 * A subgraph's answer as the executor's result. Executors are generic in the
 * type of `data` (their caller names it); what a subgraph sent is JSON of the
 * shape the plan asked for, which is that type.
 */
function executionResult<TReturn>(response: SubgraphResponse): ExecutionResult<TReturn> {
  return {
    ...(response.data !== undefined ? { data: response.data as TReturn | null } : {}),
    ...(response.errors ? { errors: response.errors.map(asGraphQLError) } : {}),
    ...(response.extensions ? { extensions: response.extensions } : {}),
  };
}

/**
 * Hive Router's query planner (a native addon) and its executor behind our
 * Apollo Server, as an Apollo `GatewayInterface`: Apollo Server keeps parsing,
 * validating (operation limits), its plugins (response cache, input guards,
 * error formatting); only planning and executing over the subgraphs move.
 * Subgraph calls carry the signed viewer and the request id, are bounded by
 * the timeout, and fail as `SUBGRAPH_UNAVAILABLE` naming the subgraph.
 */
export function hiveRouterEngine(options: HiveRouterEngineOptions): GatewayInterface {
  const transports = new Map<string, SubgraphTransport>();
  const transportOf = (name: string) => {
    let transport = transports.get(name);
    if (!transport) {
      const url = options.subgraphUrls[name];
      if (!url) throw new Error(`No URL for subgraph ${name}`);
      transport = subgraphTransport({ name, url, timeoutMs: options.timeoutMs, ...(options.onFetch ? { onFetch: options.onFetch } : {}) });
      transports.set(name, transport);
    }
    return transport;
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
        transports: {
          http: {
            getSubgraphExecutor({ subgraphName }) {
              const send = transportOf(subgraphName);
              return async <TReturn>({ document, variables, operationName, context = {} }: SubgraphExecutionRequest) => {
                const operation = context.subgraphOperation;
                const prefetched = context.prefetched;
                if (prefetched && prefetched.subgraph === subgraphName && operation?.fetches === 0) {
                  // The pass-through fetch already asked this; its answer needed the executor's handling.
                  operation.fetches += 1;
                  context.prefetched = undefined;
                  return executionResult<TReturn>(prefetched.response);
                }
                let query = printOnce(document);
                if (!operationName && operation?.name) {
                  // Named like @apollo/gateway's fetches (`<operation>__<subgraph>__<n>`): subgraph logs and metrics tell them apart.
                  operationName = `${operation.name}__${subgraphName}__${operation.fetches++}`;
                  query = nameOperation(query, operationName);
                }
                return executionResult<TReturn>(await send({ query, variables, operationName }, context));
              };
            },
          },
        },
        batch: false,
      });
      const apiSchema = await manager.getUnifiedGraph();
      const passThroughs = new PassThroughs();
      for (const listener of listeners) listener({ apiSchema, coreSupergraphSdl: options.supergraphSdl });
      const current = manager;
      return {
        async executor(requestContext) {
          // Variables are checked against the operation first, as @apollo/gateway does: a missing or
          // ill-typed variable is the caller's error (Apollo Server answers it as BAD_USER_INPUT, 400),
          // which this executor would otherwise pass to the subgraphs or fail on.
          const variableDefinitions = requestContext.operation.variableDefinitions ?? [];
          // Coerced (defaults applied), as the executor sends them to subgraphs.
          let coerced: Record<string, unknown> = {};
          if (variableDefinitions.length > 0) {
            const values = getVariableValues(apiSchema, variableDefinitions, requestContext.request.variables ?? {});
            if (values.errors) return { errors: values.errors };
            coerced = values.coerced;
          }
          const executor = await current.getExecutor();
          if (!executor) throw new Error("The query planner is not ready");
          const subgraphOperation: SubgraphOperation = { name: requestContext.operationName ?? undefined, fetches: 0 };
          const context: Record<string, unknown> & { prefetched?: Prefetched } = await current.getContext({ ...requestContext.context, subgraphOperation });
          const pass = passThroughs.get(requestContext.document, requestContext.operationName);
          if (pass) {
            const name = subgraphOperation.name ? `${subgraphOperation.name}__${pass.subgraph}__0` : undefined;
            const response = await transportOf(pass.subgraph)(
              {
                query: name ? nameOperation(pass.query, name) : pass.query,
                variables: Object.fromEntries(pass.variableUsages.filter((v) => v in coerced).map((v) => [v, coerced[v]])),
                operationName: name,
              },
              context as Partial<SubgraphSourceContext>,
              { raw: true },
            );
            if ("rawData" in response) {
              passedThroughTotal().inc({ subgraph: pass.subgraph });
              // Sent as the subgraph wrote it (see answerRaw).
              return { data: answerRaw(requestContext.context, response.rawData) };
            }
            // Errors or a failure: the executor handles the answer as it would its own fetch's.
            context.prefetched = { subgraph: pass.subgraph, response };
          }
          const result = await executor({
            document: requestContext.document,
            variables: requestContext.request.variables ?? {},
            ...(requestContext.operationName ? { operationName: requestContext.operationName } : {}),
            context,
          });
          if (Symbol.asyncIterator in (result as object)) throw new Error("Streaming results are not supported");
          const single = result as ExecutionResult<Record<string, unknown>>;
          if (pass === undefined && !single.errors?.length) passThroughs.decide(requestContext.document, requestContext.operation, requestContext.operationName, context);
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
