import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GraphQLFormattedError } from "graphql";
import { injectTraceHeaders, inSpan, KNOWN_AT_HEADER, rawDataOf, VIEWER_HEADER } from "@yhdyspinta/core";
import { Agent, request as undiciRequest } from "undici";
import { dedupeRepresentations, fanOutEntities } from "./representations.ts";

/**
 * Connections to the subgraphs, kept alive and pooled per origin. undici's
 * `request` rather than the global `fetch` (undici's WHATWG layer on the same
 * client): `fetch` builds Request/Response objects and web streams per call,
 * about 170 µs of CPU per subgraph fetch more (bench/README.md), paid on every
 * fetch of every view.
 */
const subgraphAgent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });

export interface SubgraphSourceContext {
  /** The caller's signature for a subgraph fetch (fresh: long operations outlive one signature). */
  viewerToken: () => Promise<string>;
  requestId?: string;
  /** The instant the request reads the register as known at (audit/known-at.ts), if any. */
  knownAt?: string;
  /** Subgraphs this operation asked (the response cache keys on them). */
  subgraphsFetched?: Set<string>;
}

export type FetchOutcome = "ok" | "error" | "unavailable" | "timeout";

export interface SubgraphTransportOptions {
  name: string;
  url: string;
  /** Longest wait for one subgraph fetch (headers and body), in milliseconds. */
  timeoutMs: number;
  /** Called after every fetch (metrics, the operation's log line). */
  onFetch?: (event: { service: string; ms: number; outcome: FetchOutcome }) => void;
}

export interface SubgraphRequest {
  query: string;
  variables?: Record<string, unknown> | undefined;
  operationName?: string | undefined;
}

export interface SubgraphResponse {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/** A response whose body was `{"data":…}` alone: `rawData` is the JSON bytes of its `data`, unparsed. */
export interface RawSubgraphResponse {
  rawData: Buffer;
}

/**
 * A subgraph fetch as both engines make it: one request in, one GraphQL
 * response out, never a throw. With `{ raw: true }`, a successful answer that
 * is only data comes back as its bytes (`RawSubgraphResponse`); anything else
 * (errors, extensions, a failure) as the parsed response.
 */
export interface SubgraphTransport {
  (request: SubgraphRequest, context: Partial<SubgraphSourceContext>): Promise<SubgraphResponse>;
  (request: SubgraphRequest, context: Partial<SubgraphSourceContext>, options: { raw: true }): Promise<SubgraphResponse | RawSubgraphResponse>;
}

function graphQLErrors(body: unknown): GraphQLFormattedError[] | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const errors = (body as { errors?: unknown }).errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => typeof (e as { message?: unknown })?.message === "string")
    ? (errors as GraphQLFormattedError[])
    : undefined;
}

/**
 * One subgraph as the gateway sees it, for either engine: signs the caller
 * (`x-yhdyspinta-viewer`) and passes the request id, bounds every fetch (headers
 * and body) by the timeout, and turns failures into GraphQL errors of that
 * subgraph, each naming it (`extensions.serviceName`), so that only its fields
 * are nulled: a subgraph's 4xx with GraphQL errors (e.g. an invalid `Date`
 * variable) keeps its message and code; an unreachable, slow or crashed
 * subgraph is `SUBGRAPH_UNAVAILABLE`.
 */
export function subgraphTransport(options: SubgraphTransportOptions): SubgraphTransport {
  const { name, url, timeoutMs } = options;
  const unavailable = (message: string): SubgraphResponse => ({
    data: null,
    errors: [{ message, extensions: { code: "SUBGRAPH_UNAVAILABLE", serviceName: name } }],
  });
  const send = async (request: SubgraphRequest, context: Partial<SubgraphSourceContext>, fetchOptions?: { raw: true }): Promise<SubgraphResponse | RawSubgraphResponse> =>
    // One client span per fetch; its traceparent goes with the request.
    await inSpan(`subgraph ${name}`, async () => await sendOnce(request, context, fetchOptions), "client");
  const sendOnce = async (request: SubgraphRequest, context: Partial<SubgraphSourceContext>, fetchOptions?: { raw: true }): Promise<SubgraphResponse | RawSubgraphResponse> => {
    context.subgraphsFetched?.add(name);
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (context.viewerToken) headers[VIEWER_HEADER] = await context.viewerToken();
    if (context.requestId) headers["x-request-id"] = context.requestId;
    if (context.knownAt) headers[KNOWN_AT_HEADER] = context.knownAt;
    injectTraceHeaders(headers);
    const started = performance.now();
    const report = (outcome: FetchOutcome) => options.onFetch?.({ service: name, ms: performance.now() - started, outcome });
    let status: number;
    let bytes: Buffer;
    try {
      const response = await undiciRequest(url, {
        method: "POST",
        headers,
        body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }),
        signal: AbortSignal.timeout(timeoutMs),
        dispatcher: subgraphAgent,
      });
      status = response.statusCode;
      // Inside the bound too: a body still streaming at the deadline is a timeout, not a hung operation.
      bytes = Buffer.from(await response.body.arrayBuffer());
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      report(timedOut ? "timeout" : "unavailable");
      return unavailable(timedOut ? `The ${name} service did not answer within ${timeoutMs} ms` : `The ${name} service is unavailable`);
    }
    if (fetchOptions?.raw && status === 200) {
      const rawData = rawDataOf(bytes);
      if (rawData) {
        report("ok");
        return { rawData };
      }
    }
    let body: unknown;
    try {
      body = JSON.parse(bytes.toString("utf8"));
    } catch {
      // not JSON: a proxy's or a crashed process's page
    }
    const errors = graphQLErrors(body);
    const ok = status >= 200 && status < 300;
    if (typeof body !== "object" || body === null || status >= 500 || (!ok && !errors)) {
      report("unavailable");
      return unavailable(`The ${name} service is unavailable (status ${status})`);
    }
    report(ok ? "ok" : "error");
    const response = body as SubgraphResponse;
    if (!errors) return response;
    return { ...response, errors: errors.map((e) => ({ ...e, extensions: { ...e.extensions, serviceName: name } })) };
  };
  return send as SubgraphTransport;
}

export interface SubgraphSourceOptions extends SubgraphTransportOptions {
  /** Send each distinct `_entities` representation once (default true; see representations.ts). */
  dedupeRepresentations?: boolean;
}

/**
 * A subgraph for `@apollo/gateway`: the shared transport, plus each distinct
 * `_entities` representation sent once (the Hive Router executor deduplicates
 * on its own).
 */
export class SubgraphSource implements GraphQLDataSource<SubgraphSourceContext> {
  readonly #send: SubgraphTransport;
  readonly #dedupe: boolean;

  constructor(options: SubgraphSourceOptions) {
    this.#send = subgraphTransport(options);
    this.#dedupe = options.dedupeRepresentations ?? true;
  }

  async process({ request, context }: GraphQLDataSourceProcessOptions<SubgraphSourceContext>): Promise<SubgraphResponse> {
    if (!request.query) throw new Error("A subgraph request without a query");
    const variables = request.variables;
    const representations = variables?.["representations"];
    const send = (vars: Record<string, unknown> | undefined) =>
      this.#send({ query: request.query!, variables: vars, operationName: request.operationName }, context);
    if (!this.#dedupe || !Array.isArray(representations) || representations.length < 2) return await send(variables);
    const deduped = dedupeRepresentations(representations);
    if (deduped.unique.length === representations.length) return await send(variables);
    return fanOutEntities(await send({ ...variables, representations: deduped.unique }), deduped);
  }
}
