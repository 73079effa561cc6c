import { readFileSync } from "node:fs";
import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from "@apollo/server";
import { GraphQLError, parse, print, visit, type DocumentNode } from "graphql";
import { ViewerRole, type Viewer } from "@yhdyspinta/core";
import { trustedDocumentsText } from "@yhdyspinta/views";

/** One operation of a manifest in Apollo's persisted query manifest format (`id` is the sha256 of `body`). */
export interface ManifestOperation {
  id: string;
  name: string;
  type: string;
  body: string;
}

/** Error code of a document refused because it is not registered (403). */
export const NOT_REGISTERED = "PERSISTED_QUERY_NOT_REGISTERED";

/** `Cache-Control` max-age of a registered query's answer read with GET by id. */
export const TRUSTED_GET_MAX_AGE_SECONDS = 60;

/** `Cache-Control` of a registered query's answer to a GET by id: shared caches only for callers without a token. */
export function trustedGetCacheControl(authorized: boolean): string {
  return `${authorized ? "private" : "public"}, max-age=${TRUSTED_GET_MAX_AGE_SECONDS}`;
}

/** The operations of a manifest file's text; throws naming the file when it is not one. */
export function manifestOperations(text: string, file: string): ManifestOperation[] {
  const parsed = JSON.parse(text) as { format?: unknown; operations?: unknown };
  if (parsed.format !== "apollo-persisted-query-manifest" || !Array.isArray(parsed.operations)) {
    throw new Error(`${file} is not an apollo-persisted-query-manifest`);
  }
  return parsed.operations as ManifestOperation[];
}

/**
 * The form two documents are compared in: graphql-js `print` (no comments,
 * one layout) without `__typename` selections (which clients add: Apollo
 * Client's cache and urql do). The same operation written by another client's
 * printer, with or without `__typename`, has the same form.
 */
export function registeredForm(document: DocumentNode): string {
  return print(
    visit(document, {
      Field: (node) => (node.name.value === "__typename" && !node.alias ? null : undefined),
    }),
  );
}

/** The registered operations: by id for requests that send only a hash, by form for those that send the text. */
export class TrustedDocuments {
  private readonly byId = new Map<string, string>();
  private readonly forms = new Set<string>();

  /** Whether a document text (by its sha256) is registered; bounded, so that callers' other documents cannot grow it without end. */
  private readonly known = new Map<string, boolean>();

  constructor(operations: Iterable<ManifestOperation>) {
    for (const op of operations) {
      this.byId.set(op.id, op.body);
      this.forms.add(registeredForm(parse(op.body)));
    }
  }

  /** The project's manifest (views/trusted-documents.json) plus the manifests in `extraFiles` (clients' own, registered at deploy time). */
  static load(extraFiles: readonly string[] = []): TrustedDocuments {
    const operations = manifestOperations(trustedDocumentsText(), "views/trusted-documents.json");
    for (const file of extraFiles) operations.push(...manifestOperations(readFileSync(file, "utf8"), file));
    return new TrustedDocuments(operations);
  }

  get size(): number {
    return this.byId.size;
  }

  body(id: string): string | undefined {
    return this.byId.get(id);
  }

  /** Whether the document of this text hash (Apollo Server's `queryHash`) is registered: by id, or in its comparison form. */
  has(id: string | undefined, document: DocumentNode): boolean {
    if (id === undefined) return this.forms.has(registeredForm(document));
    if (this.byId.has(id)) return true;
    let registered = this.known.get(id);
    if (registered === undefined) {
      registered = this.forms.has(registeredForm(document));
      if (this.known.size >= 1000) this.known.delete(this.known.keys().next().value!);
      this.known.set(id, registered);
    }
    return registered;
  }
}

type PersistedQueryCache = NonNullable<Exclude<ApolloServerOptions<BaseContext>["persistedQueries"], false | undefined>["cache"]>;

/**
 * Apollo Server's persisted query store: the registered documents, always
 * found by their id, and in front of them the automatic persisted queries
 * (APQ) callers register, in this process's memory (least recently used
 * dropped past `maxBytes`). Apollo Server prefixes its keys with `apq:`.
 */
export function persistedQueryCache(trusted: TrustedDocuments, maxBytes = 8 * 1024 * 1024): PersistedQueryCache {
  const learned = new Map<string, string>();
  let bytes = 0;
  const idOf = (key: string) => key.replace(/^apq:/, "");
  return {
    async get(key) {
      const registered = trusted.body(idOf(key));
      if (registered !== undefined) return registered;
      const value = learned.get(key);
      if (value !== undefined) {
        learned.delete(key);
        learned.set(key, value);
      }
      return value;
    },
    async set(key, value) {
      if (trusted.body(idOf(key)) !== undefined || learned.has(key) || value.length > maxBytes) return;
      learned.set(key, value);
      bytes += value.length;
      for (const [oldKey, oldValue] of learned) {
        if (bytes <= maxBytes) break;
        learned.delete(oldKey);
        bytes -= oldValue.length;
      }
    },
    async delete(key) {
      const value = learned.get(key);
      if (value === undefined) return false;
      learned.delete(key);
      bytes -= value.length;
      return true;
    },
  };
}

export interface TrustedDocumentsPluginOptions {
  trusted: TrustedDocuments;
  /** Refuse documents that are not registered from callers without the analyst role (production mode). */
  registeredOnly: boolean;
}

const cacheableGets = new WeakSet<object>();

/**
 * In production mode (`registeredOnly`), a caller without the analyst role
 * runs only registered documents, by id or by text: anything else is refused
 * with 403 `PERSISTED_QUERY_NOT_REGISTERED` before it is planned or cached.
 * A registered query read with GET by its id gets a `Cache-Control` that
 * lets HTTP caches keep the answer (shared ones only for callers without a token).
 */
export function trustedDocumentsPlugin<TContext extends BaseContext & { viewer: Viewer }>(
  options: TrustedDocumentsPluginOptions,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(requestContext) {
          const { request, document, queryHash, contextValue } = requestContext;
          const restricted = options.registeredOnly && contextValue.viewer.role !== ViewerRole.Analyst;
          const byId = request.query === undefined && request.extensions?.["persistedQuery"] !== undefined;
          const cacheable = byId && request.http?.method === "GET" && requestContext.operation?.operation === "query";
          if (!restricted && !cacheable) return;
          const registered = options.trusted.has(queryHash, document);
          if (!registered && restricted) {
            throw new GraphQLError(
              "This operation is not registered: in production only the registered documents (views/trusted-documents.json) are run for callers without the analyst role",
              { extensions: { code: NOT_REGISTERED, http: { status: 403 } } },
            );
          }
          if (registered && cacheable) cacheableGets.add(request);
        },
        async willSendResponse(requestContext) {
          const { request, response } = requestContext;
          if (!cacheableGets.has(request)) return;
          if (response.body.kind !== "single" || response.body.singleResult.errors?.length) return;
          response.http.headers.set("cache-control", trustedGetCacheControl(Boolean(request.http?.headers.get("authorization"))));
          const vary = response.http.headers.get("vary");
          response.http.headers.set("vary", vary ? `${vary}, authorization` : "authorization");
        },
      };
    },
  };
}

