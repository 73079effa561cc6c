import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { VIEWER_HEADER } from "@yhdyspinta/core";
import { dedupeRepresentations, fanOutEntities } from "./representations.ts";

export interface SubgraphSourceContext {
  /** The caller's signature for a subgraph fetch (fresh: long operations outlive one signature). */
  viewerToken: () => Promise<string>;
  requestId?: string;
  /** Subgraphs this operation asked (the response cache keys on them). */
  subgraphsFetched?: Set<string>;
}

export interface SubgraphSourceOptions {
  name: string;
  url: string;
  /** Longest wait for one subgraph fetch, in milliseconds. */
  timeoutMs: number;
  /** Send each distinct `_entities` representation once (default true; see representations.ts). */
  dedupeRepresentations?: boolean;
  /** Called after every fetch (metrics, the operation's log line). */
  onFetch?: (event: { service: string; ms: number; outcome: "ok" | "error" | "unavailable" | "timeout" }) => void;
}

type Outcome = "ok" | "error" | "unavailable" | "timeout";

function hasGraphQLErrors(body: unknown): boolean {
  if (typeof body !== "object" || body === null) return false;
  const errors = (body as { errors?: unknown }).errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => typeof (e as { message?: unknown })?.message === "string");
}

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });

/**
 * One subgraph as the gateway sees it: signs the caller, bounds every fetch
 * by a timeout, and turns failures into GraphQL errors of that subgraph, so the
 * query planner nulls only its fields and names it (`extensions.serviceName`):
 * a subgraph's 4xx (e.g. an invalid `Date` variable) keeps its message and
 * code; an unreachable or slow subgraph is `SUBGRAPH_UNAVAILABLE`.
 */
export class SubgraphSource extends RemoteGraphQLDataSource<SubgraphSourceContext> {
  readonly #name: string;
  readonly #dedupe: boolean;

  constructor(options: SubgraphSourceOptions) {
    const report = (outcome: Outcome, started: number) =>
      options.onFetch?.({ service: options.name, ms: performance.now() - started, outcome});
    super({
      url: options.url,
      fetcher: async (url, init) => {
        const started = performance.now();
        let response: Response;
        try {
          response = await fetch(url, { ...init, body: init?.body?.toString(), signal: AbortSignal.timeout(options.timeoutMs) });
        } catch (error) {
          const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
          report(timedOut ? "timeout" : "unavailable", started);
          const message = timedOut
            ? `The ${options.name} service did not answer within ${options.timeoutMs} ms`
            : `The ${options.name} service is unavailable`;
          return json({ data: null, errors: [{ message, extensions: { code: "SUBGRAPH_UNAVAILABLE" } }] });
        }
        if (response.ok) {
          report("ok", started);
          return response;
        }
        const text = await response.text();
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: a proxy's or a crashed process's page
        }
        if (response.status < 500 && hasGraphQLErrors(body)) {
          report("error", started);
          return json(body);
        }
        report("unavailable", started);
        return json({
          data: null,
          errors: [{ message: `The ${options.name} service is unavailable (status ${response.status})`, extensions: { code: "SUBGRAPH_UNAVAILABLE" } }],
        });
      },
    });
    this.#name = options.name;
    this.#dedupe = options.dedupeRepresentations ?? true;
  }

  override async process(options: GraphQLDataSourceProcessOptions<SubgraphSourceContext>) {
    const variables = options.request.variables;
    const representations = variables?.["representations"];
    if (!this.#dedupe || !Array.isArray(representations) || representations.length < 2) return await super.process(options);
    const deduped = dedupeRepresentations(representations);
    if (deduped.unique.length === representations.length) return await super.process(options);
    options.request.variables = { ...variables, representations: deduped.unique };
    return fanOutEntities(await super.process(options), deduped);
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<SubgraphSourceContext>): Promise<void> {
    context.subgraphsFetched?.add(this.#name);
    if (context.viewerToken) request.http?.headers.set(VIEWER_HEADER, await context.viewerToken());
    if (context.requestId) request.http?.headers.set("x-request-id", context.requestId);
  }
}
