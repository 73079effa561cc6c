import { GraphQLError } from "graphql";
import { anonymousViewer, signViewer, VIEWER_HEADER } from "./auth.ts";
import { BadUserInputError } from "./errors.ts";

/** Longest wait for the owning service when checking references (a paused service must not hold the write). */
const REFERENCE_CHECK_TIMEOUT_MS = 10_000;

/** Which subgraph owns an entity type, and the field of its `@key`. */
const OWNERS = {
  Person: { service: "organisations", key: "id" },
  Organisation: { service: "organisations", key: "id" },
  OrganisationCategory: { service: "organisations", key: "id" },
  Municipality: { service: "organisations", key: "code" },
  CooperationGroup: { service: "groups", key: "id" },
  Theme: { service: "planning", key: "id" },
} as const;
export type ReferencedType = keyof typeof OWNERS;

/** One input field holding keys of another service's entity. */
export interface ReferenceCheck {
  /** The input field named in the error, e.g. `personId`. */
  field: string;
  type: ReferencedType;
  keys: readonly (string | null | undefined)[];
}

export interface ReferenceChecker {
  /**
   * Asks each owning service whether the keys exist (one `_entities` request
   * per service, every key of every field in it) and throws
   * `BAD_USER_INPUT` naming the first field with an unknown key. Call it
   * before the transaction writes anything.
   */
  assertExist(checks: readonly ReferenceCheck[]): Promise<void>;
}

/**
 * A client asking the owning subgraph's `_entities` over its internal URL,
 * with an internal token signed like the gateway's. Types whose owner has no
 * URL configured (a subgraph started alone, e.g. in its own tests) are not
 * checked; the stack always passes every URL.
 */
export function createReferenceChecker(options: {
  urls: Readonly<Record<string, string>>;
  internalSecret: string | undefined;
  /** This service; its own types are checked in its own transaction instead. */
  self: string;
  /** Longest wait for an owning service's answer (default 10 s). */
  timeoutMs?: number;
}): ReferenceChecker {
  return {
    async assertExist(checks) {
      const byService = new Map<string, { type: ReferencedType; key: string }[]>();
      for (const check of checks) {
        const owner = OWNERS[check.type];
        if (owner.service === options.self || !options.urls[owner.service]) continue;
        const list = byService.get(owner.service) ?? [];
        for (const key of new Set(check.keys)) if (key) list.push({ type: check.type, key });
        byService.set(owner.service, list);
      }
      const found = new Set<string>();
      await Promise.all(
        [...byService].map(async ([service, refs]) => {
          if (refs.length === 0) return;
          const types = [...new Set(refs.map((r) => r.type))];
          const query = `query($r: [_Any!]!) { _entities(representations: $r) { __typename ${types
            .map((t) => `... on ${t} { ${OWNERS[t].key} }`)
            .join(" ")} } }`;
          const representations = refs.map((r) => ({ __typename: r.type, [OWNERS[r.type].key]: r.key }));
          const headers: Record<string, string> = { "content-type": "application/json" };
          if (options.internalSecret) {
            headers[VIEWER_HEADER] = await signViewer({ ...anonymousViewer, subject: `service:${options.self}` }, options.internalSecret);
          }
          const fields = [...new Set(checks.filter((c) => OWNERS[c.type].service === service).map((c) => c.field))];
          const unavailable = (why: string) =>
            new GraphQLError(
              `The ${service} service could not be reached to check ${fields.join(", ")} (${why}); nothing was written. Try again later.`,
              { extensions: { code: "SUBGRAPH_UNAVAILABLE", referencedService: service, fields } },
            );
          let body: {
            data?: { _entities?: (Record<string, unknown> | null)[] } | null;
            errors?: { message?: string; extensions?: Record<string, unknown> }[];
          };
          try {
            const res = await fetch(options.urls[service]!, {
              method: "POST",
              headers,
              body: JSON.stringify({ query, variables: { r: representations } }),
              signal: AbortSignal.timeout(options.timeoutMs ?? REFERENCE_CHECK_TIMEOUT_MS),
            });
            if (!res.ok) throw unavailable(`HTTP ${res.status}`);
            body = (await res.json()) as typeof body;
          } catch (error) {
            if (error instanceof GraphQLError) throw error;
            throw unavailable(error instanceof Error && error.name === "TimeoutError" ? "no answer in time" : "no connection");
          }
          // A key the owner could not look up (its database down, an internal error) is not
          // an unknown key: the caller is not told that its reference does not exist.
          // A key the owner refused as malformed (BAD_USER_INPUT) is the caller's, as an unknown key is.
          const failures = (body.errors ?? []).filter((e) => e.extensions?.["code"] !== "BAD_USER_INPUT");
          if (failures.some((e) => e.extensions?.["code"] === "DATABASE_UNAVAILABLE")) {
            throw new GraphQLError(
              `The ${service} service's database is unavailable, so ${fields.join(", ")} could not be checked; nothing was written. Try again later.`,
              { extensions: { code: "DATABASE_UNAVAILABLE", serviceName: service, referencedService: service, fields } },
            );
          }
          if (failures.some((e) => e.extensions?.["code"] === "DATABASE_TIMEOUT")) throw unavailable("its database did not answer in time");
          if (failures.length > 0) throw unavailable(`it answered with errors: ${failures.map((e) => e.extensions?.["code"] ?? "error").join(", ")}`);
          const entities = body.data?._entities;
          if (!entities) throw unavailable("no _entities in its answer");
          entities.forEach((entity, i) => {
            if (entity) found.add(`${refs[i]!.type}:${refs[i]!.key}`);
          });
        }),
      );
      for (const check of checks) {
        const owner = OWNERS[check.type];
        if (owner.service === options.self || !options.urls[owner.service]) continue;
        const missing = check.keys.find((key) => key && !found.has(`${check.type}:${key}`));
        if (missing) throw new BadUserInputError(check.field, `no ${check.type} "${missing}"`);
      }
    },
  };
}

/** A checker that checks nothing (no other subgraph known). */
export const noReferenceChecks: ReferenceChecker = { assertExist: async () => {} };
