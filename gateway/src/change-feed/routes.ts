import type { IncomingMessage, ServerResponse } from "node:http";
import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, sendJson, type Routes } from "@yhdyspinta/core";
import { dataOrThrow, loopbackExecutor } from "../loopback-graphql.ts";
import { HttpRouteError, sendHttpError, viewerOf, type HttpRouteOptions } from "../http-routes.ts";
import { decodeFeedCursor, mergeFeedPages, START, type FeedPage, type FeedSubgraph } from "./merge.ts";

const PAGE_FIELDS = `position hasMore events { position subgraph committedAt countyCode change { id changedAt actorSubject actorRole entityType entityId operation before after changedFields } }`;

/**
 * One operation asks the three subgraphs' feeds; the query planner fetches
 * them in parallel. Written out (only `${PAGE_FIELDS}` substituted) so that
 * `pnpm schema` registers it as a trusted document (production mode runs
 * only registered documents for callers without the analyst role).
 */
const FEED_QUERY = `query ChangeFeed($groups: String, $organisations: String, $planning: String, $first: Int, $types: [String!], $countyCodes: [ID!]) {
  groups: groupsChangeFeed(after: $groups, first: $first, types: $types, countyCodes: $countyCodes) { ${PAGE_FIELDS} }
  organisations: organisationsChangeFeed(after: $organisations, first: $first, types: $types, countyCodes: $countyCodes) { ${PAGE_FIELDS} }
  planning: planningChangeFeed(after: $planning, first: $first, types: $types, countyCodes: $countyCodes) { ${PAGE_FIELDS} }
}`;

/** A list parameter: repeated (`types=A&types=B`) or comma-separated. */
function listParameter(url: URL, name: string): string[] | null {
  const values = url.searchParams.getAll(name).flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
  return values.length > 0 ? values : null;
}

/**
 * `GET /changes?after=<cursor>&first=<n>&types=<A,B>&countyCodes=<14,06>`:
 * the change feed of every subgraph merged into one resumable stream,
 * `{ edges: [{ cursor, node: { subgraph, position, committedAt, countyCode,
 * change } }], pageInfo: { endCursor, hasNextPage } }`. Read through the
 * public GraphQL endpoint as the caller, so the subgraphs' rules apply: an
 * admin reads every change, a coordinator those of its counties; contact
 * values are masked in the audit trail itself.
 */
export function changeFeedRoutes(options: HttpRouteOptions): Routes {
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method !== "GET") throw new HttpRouteError(405, "The change feed is read with GET");
      await viewerOf(options, req);
      const url = new URL(req.url ?? "/", "http://localhost");
      const after = url.searchParams.get("after");
      const from = after ? decodeFeedCursor(after) : START;
      if (!from) throw new HttpRouteError(400, `Invalid value for "after": is not a cursor issued by this feed`, "after");
      const firstText = url.searchParams.get("first");
      const first = firstText === null ? DEFAULT_PAGE_SIZE : Number(firstText);
      if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
        throw new HttpRouteError(400, `Invalid value for "first": must be an integer from 1 to ${MAX_PAGE_SIZE}`, "first");
      }
      const execute = loopbackExecutor(req, req.headers.authorization);
      const variables = { ...from, first, types: listParameter(url, "types"), countyCodes: listParameter(url, "countyCodes") };
      const data = dataOrThrow(await execute<Record<FeedSubgraph, FeedPage>>(FEED_QUERY, variables), variables);
      sendJson(res, 200, mergeFeedPages(from, data, first));
    } catch (error) {
      sendHttpError(res, error, "change feed");
    }
  };
  return { "/changes": handler };
}
