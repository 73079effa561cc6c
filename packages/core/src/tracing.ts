import type { IncomingHttpHeaders } from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import { context, propagation, type Span, SpanKind, SpanStatusCode, trace, type Context as OtelContext } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

/**
 * Distributed traces (OpenTelemetry): one trace per request across the
 * gateway, the subgraphs it asks and their SQL, with W3C `traceparent`
 * propagated on every internal call, exported over OTLP/HTTP when an
 * endpoint is configured (`OTEL_EXPORTER_OTLP_ENDPOINT`). Off otherwise:
 * then no provider is registered, `tracingOn()` is false, and the hooks
 * below return before doing anything (the API's no-op tracer is not even
 * asked).
 *
 * Spans: `HTTP <method> <path>` (server, one per request, child of the
 * caller's `traceparent`), `graphql.parse`, `graphql.validate`,
 * `graphql.execute <operation>`, `subgraph <name>` (client, one per fetch
 * from the gateway), `loader <name>` (one per DataLoader batch) and `sql
 * <first word>` (one per statement, its text with placeholders: never a
 * parameter value).
 */

export interface TracingSettings {
  /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`, e.g. http://collector:4318); traces go to `<endpoint>/v1/traces`. Undefined: tracing off. */
  endpoint: string | undefined;
  /** Longest wait before a batch of finished spans is sent (`OTEL_BSP_SCHEDULE_DELAY`, default 5 s). */
  exportDelayMs: number;
}

let provider: TracerProvider | undefined;

/** Whether this process records and exports spans. */
export function tracingOn(): boolean {
  return provider !== undefined;
}

/**
 * Starts tracing for the process named `service` when `settings.endpoint`
 * is set; does nothing otherwise. Call once, before serving.
 */
export function startTracing(service: string, settings: TracingSettings): void {
  if (!settings.endpoint || provider) return;
  const url = `${settings.endpoint.replace(/\/+$/, "")}/v1/traces`;
  provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": `yhdyspinta-${service}`, "service.namespace": "yhdyspinta" }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }), scheduledDelayMillis: settings.exportDelayMs })],
  });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

/** Sends the spans still waiting (at shutdown). */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown();
}

const tracer = () => trace.getTracer("yhdyspinta");

/**
 * Runs `serve` (one HTTP request's handling) inside a server span that
 * continues the caller's trace (`traceparent`); with tracing off, just runs it.
 */
export async function withRequestSpan<T>(headers: IncomingHttpHeaders, name: string, serve: () => Promise<T>): Promise<T> {
  if (!provider) return await serve();
  const parent = propagation.extract(context.active(), headers);
  return await tracer().startActiveSpan(name, { kind: SpanKind.SERVER }, parent, async (span) => {
    try {
      return await serve();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Runs `work` in a child span of the active one; with tracing off, just runs it. */
export async function inSpan<T>(name: string, work: (span: Span | undefined) => Promise<T>, kind: "internal" | "client" = "internal"): Promise<T> {
  if (!provider) return await work(undefined);
  return await tracer().startActiveSpan(name, { kind: kind === "client" ? SpanKind.CLIENT : SpanKind.INTERNAL }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span for work already done (e.g. an SQL statement the ORM reports after it ran, `ms` long). */
export function recordFinishedSpan(name: string, ms: number, attributes: Record<string, string | number>, failed = false): void {
  if (!provider) return;
  const end = Date.now();
  const span = tracer().startSpan(name, { kind: SpanKind.CLIENT, startTime: end - ms, attributes });
  if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(end);
}

/** A span started now and ended by the caller (Apollo's phase hooks); undefined with tracing off. */
export function startSpan(name: string, parent?: OtelContext): Span | undefined {
  if (!provider) return undefined;
  return tracer().startSpan(name, {}, parent ?? context.active());
}

/** Adds the active trace's `traceparent` to outgoing headers (nothing with tracing off). */
export function injectTraceHeaders(headers: Record<string, string>): void {
  if (!provider) return;
  propagation.inject(context.active(), headers);
}

/** Ends a phase span, marking it failed when the phase reported errors. */
export function endSpan(span: Span | undefined, errors?: readonly unknown[]): void {
  if (!span) return;
  if (errors?.length) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/**
 * Spans of a GraphQL request's phases (parse, validate, execute) under its
 * request span; nothing with tracing off.
 */
export function tracingPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      if (!provider) return;
      return {
        async parsingDidStart() {
          const span = startSpan("graphql.parse");
          return async (error?: Error) => endSpan(span, error ? [error] : undefined);
        },
        async validationDidStart() {
          const span = startSpan("graphql.validate");
          return async (errors?: readonly Error[]) => endSpan(span, errors);
        },
        async executionDidStart({ operationName, operation }) {
          const span = startSpan(`graphql.execute ${operation.operation}${operationName ? ` ${operationName}` : ""}`);
          return { async executionDidEnd(error?: Error) { endSpan(span, error ? [error] : undefined); } };
        },
      };
    },
  };
}
