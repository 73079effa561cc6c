/**
 * The merged change feed: the three subgraphs' feeds (each in its own commit
 * order, numbered by its own database) interleaved into one stream by commit
 * time. The cursor is the position reached in each subgraph's feed, so it
 * stays valid across gateway restarts and replicas, and resuming from it
 * gives every later change exactly once, in commit order per subgraph (and so
 * per record: a record lives in one subgraph).
 */

/** The subgraphs whose feeds are merged, in the order ties of commit time are broken. */
export const FEED_SUBGRAPHS = ["groups", "organisations", "planning"] as const;
export type FeedSubgraph = (typeof FEED_SUBGRAPHS)[number];

export type FeedPositions = Record<FeedSubgraph, string>;

export interface FeedEvent {
  position: string;
  subgraph: string;
  committedAt: string;
  countyCode: string | null;
  change: Record<string, unknown>;
}

export interface FeedPage {
  events: FeedEvent[];
  position: string;
  hasMore: boolean;
}

export const START: FeedPositions = { groups: "0", organisations: "0", planning: "0" };

/** A cursor: base64url of `{"v":1,"p":{subgraph: position}}`, opaque to clients. */
export function encodeFeedCursor(positions: FeedPositions): string {
  return Buffer.from(JSON.stringify({ v: 1, p: positions }), "utf8").toString("base64url");
}

/** The positions of a cursor, or null when it is not one this feed issued. */
export function decodeFeedCursor(cursor: string): FeedPositions | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { v?: unknown; p?: Record<string, unknown> };
    if (parsed.v !== 1 || typeof parsed.p !== "object" || parsed.p === null) return null;
    const positions = { ...START };
    for (const name of FEED_SUBGRAPHS) {
      const value = parsed.p[name];
      if (value === undefined) continue;
      if (typeof value !== "string" || !/^\d{1,18}$/.test(value)) return null;
      positions[name] = value;
    }
    return positions;
  } catch {
    return null;
  }
}

export interface MergedEdge {
  cursor: string;
  node: FeedEvent;
}

export interface MergedPage {
  edges: MergedEdge[];
  pageInfo: { endCursor: string; hasNextPage: boolean };
}

/**
 * Merges one page of each subgraph (each asked for `first` events after its
 * position) into the first `first` events by commit time. An event left out
 * is after every event taken from its own subgraph, so the next page, asked
 * from the returned positions, starts with it.
 */
export function mergeFeedPages(from: FeedPositions, pages: Record<FeedSubgraph, FeedPage>, first: number): MergedPage {
  const heads: Record<FeedSubgraph, number> = { groups: 0, organisations: 0, planning: 0 };
  const positions: FeedPositions = { ...from };
  const edges: MergedEdge[] = [];
  while (edges.length < first) {
    let next: FeedSubgraph | null = null;
    for (const name of FEED_SUBGRAPHS) {
      const event = pages[name].events[heads[name]];
      if (!event) continue;
      const best = next ? pages[next].events[heads[next]]! : null;
      if (!best || Date.parse(event.committedAt) < Date.parse(best.committedAt)) next = name;
    }
    if (!next) break;
    const event = pages[next].events[heads[next]++]!;
    positions[next] = event.position;
    edges.push({ cursor: encodeFeedCursor(positions), node: event });
  }
  const hasNextPage = FEED_SUBGRAPHS.some((name) => heads[name] < pages[name].events.length || pages[name].hasMore);
  return { edges, pageInfo: { endCursor: edges.at(-1)?.cursor ?? encodeFeedCursor(from), hasNextPage } };
}
