import type { IncomingMessage, ServerResponse } from "node:http";
import { buildSchema, GraphQLScalarType, type GraphQLSchema } from "graphql";
import { createHandler } from "graphql-sse/lib/use/http";
import { BadUserInputError, feedCounties, sendJson, type Routes, type Viewer } from "@yhdyspinta/core";
import { HttpRouteError, viewerOf, type HttpRouteOptions } from "../http-routes.ts";
import type { ChangeHub, LiveEvent } from "./live.ts";

/**
 * Live changes of a county: a GraphQL subscription over Server-Sent Events
 * (the graphql-sse protocol, https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md)
 * at `/subscriptions`. The gateway's engines (Apollo Server over Hive Router
 * or @apollo/gateway) answer queries and mutations only, so the subscription
 * has a small schema of its own here, fed by the process's ChangeHub (one
 * notification stream per subgraph, one feed reader): no client makes the
 * gateway or a database poll.
 *
 * Anyone may follow a county's changes as signals (record type, operation,
 * commit time), enough for a dashboard to redraw what a change touches; the
 * record's id and its values (`recordId`, `change`, contact values masked)
 * go only to callers who may read that county's change feed (an admin, or a
 * coordinator of the county), like `GET /changes`.
 */

export const SUBSCRIPTIONS_PATH = "/subscriptions";

/** Events a slow subscriber may have waiting before its subscription is ended. */
const MAX_QUEUED = 1_000;

const JSONScalar = new GraphQLScalarType({ name: "JSON", description: "A JSON value.", serialize: (value) => value });

const SDL = `
scalar JSON

type Query {
  "The subscriptions are the point of this endpoint; a schema needs a query type."
  liveChangesPath: String!
}

type Subscription {
  """
  Every change committed from now on to a record of the county, in each
  subgraph's commit order. Resume after a disconnection with GET /changes
  from the last event's cursor (an admin or the county's coordinator).
  """
  countyChanges(countyCode: ID!, types: [String!]): LiveChange!
}

"One committed change of a county's records."
type LiveChange {
  "A GET /changes cursor just after this change."
  cursor: String!
  "Subgraph that committed it: groups, organisations or planning."
  subgraph: String!
  committedAt: String!
  countyCode: ID!
  "Record type, e.g. GroupMembership."
  recordType: String!
  "CREATE, UPDATE or DELETE (a removal or erasure)."
  operation: String!
  "The record's id: only for callers who may read the county's change feed, null for others."
  recordId: ID
  "The change as GET /changes has it (values before and after, contact values masked): only for callers who may read the county's change feed."
  change: JSON
}
`;

interface SubscriptionContext extends Record<PropertyKey, unknown> {
  viewer: Viewer;
}

/** A queue the hub pushes into and the subscription reads from; `return` unsubscribes. */
function liveIterator(hub: ChangeHub, accept: (event: LiveEvent) => unknown | undefined): AsyncIterableIterator<unknown> {
  const queue: unknown[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  let overflow = false;
  const unsubscribe = hub.subscribe((event) => {
    const value = accept(event);
    if (value === undefined || done) return;
    if (queue.length >= MAX_QUEUED) overflow = true;
    else queue.push(value);
    wake?.();
  });
  const finish = () => {
    done = true;
    unsubscribe();
    wake?.();
  };
  const iterator: AsyncIterableIterator<unknown> = {
    async next() {
      for (;;) {
        if (overflow) {
          finish();
          throw new Error("This subscriber fell too far behind; subscribe again and read what was missed from GET /changes");
        }
        if (queue.length > 0) return { value: queue.shift(), done: false };
        if (done) return { value: undefined, done: true };
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    },
    async return() {
      finish();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

export function subscriptionSchema(hub: ChangeHub): GraphQLSchema {
  const schema = buildSchema(SDL);
  const json = schema.getType("JSON") as GraphQLScalarType;
  Object.assign(json, { serialize: JSONScalar.serialize, parseValue: JSONScalar.parseValue, parseLiteral: JSONScalar.parseLiteral });
  const query = schema.getQueryType()!.getFields();
  query["liveChangesPath"]!.resolve = () => SUBSCRIPTIONS_PATH;
  const field = schema.getSubscriptionType()!.getFields()["countyChanges"]!;
  field.subscribe = async (_source, args: { countyCode: string; types?: string[] | null }, context: SubscriptionContext) => {
    if (!/^\d{2}$/.test(args.countyCode)) throw new BadUserInputError("countyCode", "is not a county code (two digits)");
    for (const type of args.types ?? []) if (!/^[A-Z][A-Za-z]{0,63}$/.test(type)) throw new BadUserInputError("types", `"${type.slice(0, 40)}" is not a record type name`);
    let readsFeed = false;
    try {
      readsFeed = feedCounties(context.viewer, [args.countyCode]) !== null;
    } catch {
      readsFeed = false;
    }
    const types = args.types && args.types.length > 0 ? new Set(args.types) : null;
    // The answer's headers go out once the subscription is in place: every change committed after them is delivered.
    await hub.ready();
    return liveIterator(hub, ({ cursor, event }) => {
      if (event.countyCode !== args.countyCode) return undefined;
      const recordType = String(event.change["entityType"]);
      if (types && !types.has(recordType)) return undefined;
      return {
        countyChanges: {
          cursor,
          subgraph: event.subgraph,
          committedAt: event.committedAt,
          countyCode: event.countyCode,
          recordType,
          operation: String(event.change["operation"]),
          recordId: readsFeed ? String(event.change["entityId"]) : null,
          change: readsFeed ? event.change : null,
        },
      };
    });
  };
  field.resolve = (payload: unknown) => (payload as { countyChanges: unknown }).countyChanges;
  return schema;
}

/** The `/subscriptions` route: the caller's token as for /graphql, then the graphql-sse handler. */
export function subscriptionRoutes(options: HttpRouteOptions & { hub: ChangeHub }): Routes {
  const viewers = new WeakMap<IncomingMessage, Viewer>();
  const handler = createHandler<SubscriptionContext>({
    schema: subscriptionSchema(options.hub),
    context: (req) => ({ viewer: viewers.get(req.raw)! }),
  });
  return {
    [SUBSCRIPTIONS_PATH]: async (req: IncomingMessage, res: ServerResponse) => {
      try {
        viewers.set(req, await viewerOf(options, req));
      } catch (error) {
        const status = error instanceof HttpRouteError ? error.status : 401;
        sendJson(res, status, { errors: [{ message: error instanceof Error ? error.message : "Invalid bearer token", extensions: { code: "UNAUTHENTICATED" } }] });
        return;
      }
      try {
        await handler(req, res);
      } catch {
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "Internal server error" }] });
        else res.end();
      }
    },
  };
}
