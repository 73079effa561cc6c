import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { answeredCode } from "./errors-format.ts";
import { logger } from "./logger.ts";
import { operationDuration, operationLabel, operationsTotal } from "./metrics.ts";
import { currentSubgraphFetches } from "./request-id.ts";

/** ok: no errors; rejected: refused before execution (parse, validation, limits); error: executed with errors. */
export type OperationOutcome = "ok" | "error" | "rejected";

/**
 * One log line and the metrics of every GraphQL operation: its name, type,
 * duration, outcome and error codes, and at the gateway the subgraph fetches
 * it made. Never its variables or its result: both may hold personal data.
 */
export function operationLogPlugin<TContext extends BaseContext>(
  /** Further fields of the line from the request's context (the gateway's client and its usage). */
  extraFields?: (contextValue: TContext) => Record<string, unknown>,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse(context) {
          const seconds = (performance.now() - started) / 1000;
          const errors = context.errors ?? [];
          const outcome: OperationOutcome = errors.length === 0 ? "ok" : context.operation ? "error" : "rejected";
          const name = context.operationName ?? context.request.operationName ?? null;
          const label = operationLabel(name);
          operationsTotal().inc({ operation: label, outcome });
          operationDuration().observe({ operation: label, outcome }, seconds);
          // The codes the caller was answered with (formatError ran before this hook), not the raw errors'.
          const codes = [...new Set(errors.map((e) => answeredCode(e) ?? String(e.extensions?.["code"] ?? "INTERNAL_SERVER_ERROR")))];
          const fetches = currentSubgraphFetches();
          const line = {
            operation: name ?? "anonymous",
            ...(context.operation ? { operationType: context.operation.operation } : {}),
            durationMs: Math.round(seconds * 10_000) / 10,
            outcome,
            ...(codes.length > 0 ? { errorCodes: codes } : {}),
            ...(fetches.length > 0
              ? { subgraphFetches: fetches.map((f) => ({ service: f.service, ms: Math.round(f.ms * 10) / 10, outcome: f.outcome })) }
              : {}),
            ...extraFields?.(contextValue),
          };
          if (outcome === "ok") logger().info(line, "operation");
          else logger().warn(line, "operation");
        },
      };
    },
  };
}
