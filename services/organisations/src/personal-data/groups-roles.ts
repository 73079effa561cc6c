import { GraphQLError } from "graphql";
import { signViewer, VIEWER_HEADER, ViewerRole } from "@yhdyspinta/core";

/** A person's roles in the groups subgraph on a day (its `DataSubject.roles`). */
export interface GroupRoles {
  hasRoles: boolean;
  ongoing: boolean;
  lastRoleEndedOn: string | null;
  lastNotAppointedRoundClosedOn: string | null;
  appointedSeat: string | null;
}

/** Where the groups subgraph is and how to sign for it. */
export interface GroupsConnection {
  url: string | undefined;
  internalSecret: string | undefined;
  /** Longest wait for one answer (default 30 s). */
  timeoutMs?: number;
}

/** Representations asked per request. */
const BATCH = 200;

/**
 * The roles of each person on `asOf`, asked from the groups subgraph's
 * `DataSubject.roles` through `_entities` with the internal signature (as
 * the service, in the admin role), a batch of people per request. Throws
 * SUBGRAPH_UNAVAILABLE when groups cannot answer: without its answer nothing
 * may be anonymised or erased.
 */
export async function groupRoles(connection: GroupsConnection, personIds: readonly string[], asOf: string): Promise<Map<string, GroupRoles>> {
  const unavailable = (why: string) =>
    new GraphQLError(`The groups service could not be asked for the person's roles (${why}); nothing was changed. Try again later.`, {
      extensions: { code: "SUBGRAPH_UNAVAILABLE", referencedService: "groups" },
    });
  if (!connection.url) throw unavailable("its URL is not configured");
  const found = new Map<string, GroupRoles>();
  for (let i = 0; i < personIds.length; i += BATCH) {
    const batch = personIds.slice(i, i + BATCH);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (connection.internalSecret) {
      headers[VIEWER_HEADER] = await signViewer({ subject: "service:organisations", role: ViewerRole.Admin, scopes: new Set(), counties: new Set() }, connection.internalSecret);
    }
    let body: { data?: { _entities?: ({ personId?: string; roles?: GroupRoles } | null)[] } | null; errors?: { extensions?: Record<string, unknown> }[] };
    try {
      const res = await fetch(connection.url, {
        method: "POST",
        headers,
        body: JSON.stringify({
          query: "query($r: [_Any!]!, $asOf: Date) { _entities(representations: $r) { ... on DataSubject { personId roles(activeOn: $asOf) { hasRoles ongoing lastRoleEndedOn lastNotAppointedRoundClosedOn appointedSeat } } } }",
          variables: { r: batch.map((personId) => ({ __typename: "DataSubject", personId })), asOf },
        }),
        signal: AbortSignal.timeout(connection.timeoutMs ?? 30_000),
      });
      if (!res.ok) throw unavailable(`HTTP ${res.status}`);
      body = (await res.json()) as typeof body;
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      throw unavailable(error instanceof Error && error.name === "TimeoutError" ? "no answer in time" : "no connection");
    }
    if (body.errors?.length) throw unavailable(`it answered with errors: ${[...new Set(body.errors.map((e) => String(e.extensions?.["code"] ?? "error")))].join(", ")}`);
    const entities = body.data?._entities;
    if (!entities || entities.length !== batch.length) throw unavailable("no _entities in its answer");
    entities.forEach((entity, j) => {
      if (!entity?.roles) throw unavailable("an answer without roles");
      found.set(batch[j]!, entity.roles);
    });
  }
  return found;
}
