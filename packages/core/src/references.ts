import { GraphQLError } from "graphql";
import { anonymousViewer, canWriteCounty, Scope, signViewer, VIEWER_HEADER, type Viewer } from "./auth.ts";
import { BadUserInputError, ForbiddenError } from "./errors.ts";

/** Longest wait for the owning service when checking references (a paused service must not hold the write). */
const REFERENCE_CHECK_TIMEOUT_MS = 10_000;

/**
 * Which subgraph owns an entity type, the field of its `@key`, and for types
 * that belong to a county the selection that reads its county's code.
 */
const OWNERS = {
  Person: { service: "organisations", key: "id", county: null },
  Organisation: { service: "organisations", key: "id", county: "county { code }" },
  OrganisationCategory: { service: "organisations", key: "id", county: "county { code }" },
  Municipality: { service: "organisations", key: "code", county: "county { code }" },
  CooperationGroup: { service: "groups", key: "id", county: "county { code }" },
  Theme: { service: "planning", key: "id", county: null },
} as const;
export type ReferencedType = keyof typeof OWNERS;

/** One input field holding keys of another service's entity. */
export interface ReferenceCheck {
  /** The input field named in the error, e.g. `personId`. */
  field: string;
  type: ReferencedType;
  keys: readonly (string | null | undefined)[];
  /**
   * Also read the county each key belongs to (types that have one:
   * Organisation, OrganisationCategory, Municipality, CooperationGroup), for
   * `assertReferencesInCounties`. The answer's map holds it under `Type:key`.
   */
  withCounty?: boolean;
}

/**
 * Counties of the references read `withCounty`, by `Type:key`: the county's
 * code, or null for a record of no county (a national organisation, an Åland
 * municipality). A key missing from the map was not checked (its owning
 * service is this one, or not configured).
 */
export type ReferenceCounties = ReadonlyMap<string, string | null>;

export interface ReferenceChecker {
  /**
   * Asks each owning service whether the keys exist (one `_entities` request
   * per service, every key of every field in it) and throws
   * `BAD_USER_INPUT` naming the first field with an unknown key. Call it
   * before the transaction writes anything.
   */
  assertExist(checks: readonly ReferenceCheck[]): Promise<ReferenceCounties | void>;
  /**
   * Every id each organisation is known by (`Organisation.allIds` of the
   * organisations subgraph: the record that stays first, then the
   * duplicates merged into it), in the keys' order: one `_entities` request
   * for the batch. A key the subgraph does not know reads as itself. Throws
   * SUBGRAPH_UNAVAILABLE when the organisations subgraph cannot answer (a
   * list read under fewer ids would show a merge half done).
   */
  organisationIds?(ids: readonly string[]): Promise<string[][]>;
  /**
   * What `service` holds that names an entity of this subgraph: its answer
   * for `field` (a list of strings naming the referrers) on the entity
   * `type` with id `id`, read through its `_entities`. Empty when `service`
   * has no URL configured (a subgraph started alone). Throws
   * SUBGRAPH_UNAVAILABLE when it cannot answer, so nothing is removed
   * unchecked.
   */
  referrers?(service: string, type: string, id: string, field: string): Promise<string[]>;
  /**
   * The name, e-mail and phone the organisations subgraph holds of a person
   * now (`Person` through its `_entities`, read as this service with
   * `contacts:read`): what a data-subject access export searches this
   * subgraph's free text for. Call it only for a caller allowed such an
   * export. Empty for an unknown or anonymised person, or when the
   * organisations subgraph has no URL configured; throws
   * SUBGRAPH_UNAVAILABLE when it cannot answer, so no export misses them.
   */
  personValues?(personId: string): Promise<string[]>;
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
  /**
   * `_entities` of `representations` from the subgraph at `url`, asked as
   * this service (with `scopes`). An answer that does not come, or comes with
   * an error whose code is not `tolerated` (per item, e.g. NOT_FOUND), is the
   * error `unavailable` makes of why; `onFailures` may throw a more precise one
   * first.
   */
  async function entitiesOf<T>(
    url: string,
    query: string,
    representations: Record<string, unknown>[],
    unavailable: (why: string) => GraphQLError,
    {
      scopes = new Set<string>(),
      tolerated = [] as string[],
      onFailures = (_failures: { extensions?: Record<string, unknown> }[]): void => undefined,
    } = {},
  ): Promise<(T | null)[] | undefined> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.internalSecret) {
      headers[VIEWER_HEADER] = await signViewer({ ...anonymousViewer, subject: `service:${options.self}`, scopes }, options.internalSecret);
    }
    let body: { data?: { _entities?: (T | null)[] } | null; errors?: { extensions?: Record<string, unknown> }[] };
    try {
      const res = await fetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify({ query: `query($r: [_Any!]!) { _entities(representations: $r) { ${query} } }`, variables: { r: representations } }),
        signal: AbortSignal.timeout(options.timeoutMs ?? REFERENCE_CHECK_TIMEOUT_MS),
      });
      if (!res.ok) throw unavailable(`HTTP ${res.status}`);
      body = (await res.json()) as typeof body;
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      throw unavailable(error instanceof Error && error.name === "TimeoutError" ? "no answer in time" : "no connection");
    }
    const failures = (body.errors ?? []).filter((e) => !tolerated.includes(String(e.extensions?.["code"])));
    if (failures.length > 0) onFailures(failures);
    if (failures.length > 0) throw unavailable(`it answered with errors: ${failures.map((e) => e.extensions?.["code"] ?? "error").join(", ")}`);
    return body.data?._entities;
  }

  return {
    async referrers(service, type, id, field) {
      const url = options.urls[service];
      if (service === options.self || !url) return [];
      const unavailable = (why: string) =>
        new GraphQLError(`The ${service} service could not be reached to check what refers to ${type} "${id}" (${why}); nothing was changed. Try again later.`, {
          extensions: { code: "SUBGRAPH_UNAVAILABLE", referencedService: service },
        });
      const entities = await entitiesOf<Record<string, unknown>>(url, `... on ${type} { ${field} }`, [{ __typename: type, id }], unavailable);
      const list = entities?.[0]?.[field];
      if (!Array.isArray(list)) throw unavailable(`no ${field} in its answer`);
      return list.map(String);
    },

    async personValues(personId) {
      const url = options.urls["organisations"];
      if (options.self === "organisations" || !url) return [];
      const unavailable = (why: string) =>
        new GraphQLError(`The organisations service could not be reached to read the person's name, e-mail and phone to search for (${why}). Try again later.`, {
          extensions: { code: "SUBGRAPH_UNAVAILABLE", referencedService: "organisations" },
        });
      // An unknown person (NOT_FOUND) has nothing to search for; anything else is the subgraph failing.
      const entities = await entitiesOf<{ name?: unknown; email?: unknown; phone?: unknown }>(url, "... on Person { name email phone }", [{ __typename: "Person", id: personId }], unavailable, {
        scopes: new Set([Scope.ContactsRead]),
        tolerated: ["NOT_FOUND"],
      });
      const person = entities?.[0];
      return person ? [person.name, person.email, person.phone].filter((v): v is string => typeof v === "string") : [];
    },

    async organisationIds(ids) {
      const url = options.urls["organisations"];
      if (options.self === "organisations" || !url || ids.length === 0) return ids.map((id) => [id]);
      const unavailable = (why: string) =>
        new GraphQLError(`The organisations service could not be reached to read merged organisation ids (${why}). Try again later.`, {
          extensions: { code: "SUBGRAPH_UNAVAILABLE", referencedService: "organisations" },
        });
      // An unknown key (NOT_FOUND for that item) reads as itself; anything else is the subgraph failing.
      const entities = await entitiesOf<{ allIds?: unknown }>(
        url,
        "... on Organisation { allIds }",
        ids.map((id) => ({ __typename: "Organisation", id })),
        unavailable,
        { tolerated: ["NOT_FOUND"] },
      );
      if (!entities) throw unavailable("no _entities in its answer");
      return ids.map((id, i) => {
        const all = entities[i]?.allIds;
        return Array.isArray(all) && all.length > 0 ? [...new Set([id, ...all.map(String)])] : [id];
      });
    },

    async assertExist(checks) {
      const byService = new Map<string, { type: ReferencedType; key: string }[]>();
      const countyWanted = new Set(checks.filter((c) => c.withCounty && OWNERS[c.type].county).map((c) => c.type));
      const counties = new Map<string, string | null>();
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
          const selection = `__typename ${types
            .map((t) => `... on ${t} { ${OWNERS[t].key}${countyWanted.has(t) ? ` ${OWNERS[t].county}` : ""} }`)
            .join(" ")}`;
          const representations = refs.map((r) => ({ __typename: r.type, [OWNERS[r.type].key]: r.key }));
          const fields = [...new Set(checks.filter((c) => OWNERS[c.type].service === service).map((c) => c.field))];
          const unavailable = (why: string) =>
            new GraphQLError(
              `The ${service} service could not be reached to check ${fields.join(", ")} (${why}); nothing was written. Try again later.`,
              { extensions: { code: "SUBGRAPH_UNAVAILABLE", referencedService: service, fields } },
            );
          // A key the owner could not look up (its database down, an internal error) is not
          // an unknown key: the caller is not told that its reference does not exist.
          // A key the owner refused as malformed (BAD_USER_INPUT) or reported missing (NOT_FOUND,
          // its reference resolver's answer for an unknown key) is the caller's, as an unknown key is.
          const entities = await entitiesOf<Record<string, unknown>>(options.urls[service]!, selection, representations, unavailable, {
            tolerated: ["BAD_USER_INPUT", "NOT_FOUND"],
            onFailures(failures) {
              if (failures.some((e) => e.extensions?.["code"] === "DATABASE_UNAVAILABLE")) {
                throw new GraphQLError(
                  `The ${service} service's database is unavailable, so ${fields.join(", ")} could not be checked; nothing was written. Try again later.`,
                  { extensions: { code: "DATABASE_UNAVAILABLE", serviceName: service, referencedService: service, fields } },
                );
              }
              if (failures.some((e) => e.extensions?.["code"] === "DATABASE_TIMEOUT")) throw unavailable("its database did not answer in time");
            },
          });
          if (!entities) throw unavailable("no _entities in its answer");
          entities.forEach((entity, i) => {
            if (!entity) return;
            const ref = `${refs[i]!.type}:${refs[i]!.key}`;
            found.add(ref);
            if (countyWanted.has(refs[i]!.type)) {
              const county = entity["county"] as { code?: unknown } | null | undefined;
              counties.set(ref, typeof county?.code === "string" ? county.code : null);
            }
          });
        }),
      );
      for (const check of checks) {
        const owner = OWNERS[check.type];
        if (owner.service === options.self || !options.urls[owner.service]) continue;
        const missing = check.keys.find((key) => key && !found.has(`${check.type}:${key}`));
        if (missing) throw new BadUserInputError(check.field, `no ${check.type} "${missing}"`);
      }
      return counties;
    },
  };
}

/**
 * A write refers to records only in counties the caller may write: for each
 * reference whose county is known, `FORBIDDEN` naming the county, the field
 * and the key when the caller may not write that county (an admin may). A
 * reference of no county is refused too unless `noCounty` is "any" (a
 * national organisation any county may name as a partner); for types whose
 * records always have a county, "admin" keeps them to admins.
 */
export function assertReferencesInCounties(
  viewer: Viewer,
  refs: readonly { field: string; type: string; key: string | null | undefined; countyCode: string | null | undefined; noCounty?: "any" | "admin" }[],
): void {
  for (const ref of refs) {
    if (!ref.key || ref.countyCode === undefined) continue;
    if (ref.countyCode === null && (ref.noCounty ?? "admin") === "any") continue;
    if (canWriteCounty(viewer, ref.countyCode)) continue;
    const where = ref.countyCode === null ? "no county (admin only)" : `county ${ref.countyCode}`;
    const error = new ForbiddenError(
      `Not authorised to refer to ${where} in ${ref.field}: ${ref.type} "${ref.key}" belongs to ${where}, and a coordinator refers only to records of the counties they may change`,
    );
    error.extensions["county"] = ref.countyCode;
    error.extensions["field"] = ref.field;
    throw error;
  }
}

/** A checker that checks nothing (no other subgraph known). */
export const noReferenceChecks: ReferenceChecker = { assertExist: async () => {} };

/**
 * What a reference of no county means in the county scope: a national
 * organisation any county may name as a partner ("any"); a municipality
 * (Åland's have no wellbeing services county), a category or a group of no
 * county is for admins ("admin").
 */
export const REFERENCE_NO_COUNTY: Readonly<Partial<Record<ReferencedType, "any" | "admin">>> = {
  Organisation: "any",
  OrganisationCategory: "admin",
  Municipality: "admin",
  CooperationGroup: "admin",
};

/**
 * Checks that the keys exist (`assertExist`, BAD_USER_INPUT naming the
 * field) and that each one of a type with a county belongs to a county the
 * caller may write (`assertReferencesInCounties`, FORBIDDEN naming the
 * county and the field). An admin's references are not looked up for
 * counties. Types owned by the calling service are its own to check.
 */
export async function assertReferencesInScope(references: ReferenceChecker, viewer: Viewer, checks: readonly ReferenceCheck[]): Promise<void> {
  const scoped = !canWriteCounty(viewer, null);
  const counties = (await references.assertExist(scoped ? checks.map((c) => ({ ...c, withCounty: c.type in REFERENCE_NO_COUNTY })) : checks)) ?? new Map<string, string | null>();
  if (!scoped) return;
  assertReferencesInCounties(
    viewer,
    checks.flatMap((c) => {
      const noCounty = REFERENCE_NO_COUNTY[c.type];
      if (!noCounty) return [];
      return c.keys.map((key) => ({ field: c.field, type: c.type, key, countyCode: key ? counties.get(`${c.type}:${key}`) : undefined, noCounty }));
    }),
  );
}
