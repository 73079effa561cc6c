import { describe, expect, it } from "vitest";
import { decodeFeedCursor, encodeFeedCursor, mergeFeedPages, START, type FeedEvent, type FeedPage, type FeedSubgraph } from "../src/change-feed/merge.ts";

const event = (subgraph: FeedSubgraph, position: number, second: number): FeedEvent => ({
  subgraph,
  position: String(position),
  committedAt: new Date(Date.UTC(2026, 11, 4, 12, 0, second)).toISOString(),
  countyCode: "14",
  change: { id: `${subgraph}-${position}` },
});

const page = (events: FeedEvent[], hasMore = false): FeedPage => ({ events, position: events.at(-1)?.position ?? "0", hasMore });

describe("merging the subgraphs' feeds", () => {
  it("interleaves by commit time, keeps each subgraph's order, and moves each position only past what it returns", () => {
    const pages = {
      groups: page([event("groups", 3, 1), event("groups", 4, 5)], true),
      organisations: page([event("organisations", 10, 2)]),
      planning: page([event("planning", 7, 0), event("planning", 8, 6)]),
    };
    const merged = mergeFeedPages(START, pages, 3);
    expect(merged.edges.map((e) => e.node.change["id"])).toEqual(["planning-7", "groups-3", "organisations-10"]);
    expect(decodeFeedCursor(merged.pageInfo.endCursor)).toEqual({ groups: "3", organisations: "10", planning: "7" });
    expect(decodeFeedCursor(merged.edges[0]!.cursor)).toEqual({ groups: "0", organisations: "0", planning: "7" });
    expect(merged.pageInfo.hasNextPage).toBe(true);
  });

  it("an empty page keeps the cursor it was asked from, and has no next page when no subgraph has more", () => {
    const from = { groups: "5", organisations: "2", planning: "9" };
    const merged = mergeFeedPages(from, { groups: page([]), organisations: page([]), planning: page([]) }, 10);
    expect(merged.edges).toEqual([]);
    expect(decodeFeedCursor(merged.pageInfo.endCursor)).toEqual(from);
    expect(merged.pageInfo.hasNextPage).toBe(false);
  });

  it("refuses cursors it did not issue", () => {
    expect(decodeFeedCursor(encodeFeedCursor({ groups: "1", organisations: "2", planning: "3" }))).toEqual({ groups: "1", organisations: "2", planning: "3" });
    for (const bad of ["", "not a cursor", Buffer.from("[]").toString("base64url"), Buffer.from(`{"v":2,"p":{}}`).toString("base64url"), Buffer.from(`{"v":1,"p":{"groups":"-1"}}`).toString("base64url"), Buffer.from(`{"v":1,"p":{"groups":3}}`).toString("base64url")]) {
      expect(decodeFeedCursor(bad)).toBeNull();
    }
  });
});
