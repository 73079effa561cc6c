import { ApolloServer } from "@apollo/server";
import { buildSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { anonymousViewer, type Viewer, ViewerRole } from "@yhdyspinta/core";
import { ResponseCache, type ResponseCacheContext } from "../src/response-cache.ts";

/** A server whose `text(id, size)` answers `size` bytes and counts how often it was executed. */
async function serve(cache: ResponseCache) {
  const schema = buildSchema("type Query { text(id: ID!, size: Int!): String! }");
  let executed = 0;
  schema.getQueryType()!.getFields()["text"]!.resolve = (_root, { id, size }: { id: string; size: number }) => {
    executed += 1;
    return id.padEnd(size, ".");
  };
  const server = new ApolloServer<ResponseCacheContext>({ schema, plugins: [cache.plugin()] });
  await server.start();
  return {
    async ask(id: string, size: number, viewer: Viewer = anonymousViewer) {
      const response = await server.executeOperation(
        { query: "query T($id: ID!, $size: Int!) { text(id: $id, size: $size) }", variables: { id, size } },
        // As the gateway's context: the caller, and the subgraphs the answer was read from.
        { contextValue: { viewer, subgraphsFetched: new Set(["groups"]) } },
      );
      if (response.body.kind !== "single") throw new Error("expected a single result");
      return response.body.singleResult.data?.["text"];
    },
    executed: () => executed,
    stop: () => server.stop(),
  };
}

describe("ResponseCache", () => {
  it("keeps at most maxBytes of answers, dropping the least recently used, and never caches an answer larger than that", async () => {
    const cache = new ResponseCache({ ttlSeconds: 300, maxBytes: 10_000 });
    const server = await serve(cache);
    try {
      for (const id of ["a", "b", "c", "d"]) expect(await server.ask(id, 3_000)).toHaveLength(3_000);
      // JSON text of each answer: {"text":"…"} = 3,011 bytes; three fit in 10,000, the fourth pushed out "a".
      expect(cache.size).toEqual({ entries: 3, bytes: 3 * 3_011 });
      const before = server.executed();
      await server.ask("b", 3_000);
      await server.ask("d", 3_000);
      expect(server.executed()).toBe(before);
      await server.ask("a", 3_000);
      expect(server.executed()).toBe(before + 1);
      // Larger than the whole budget: answered, not cached, nothing else dropped.
      expect(await server.ask("big", 20_000)).toHaveLength(20_000);
      expect(await server.ask("big", 20_000)).toHaveLength(20_000);
      expect(server.executed()).toBe(before + 3);
      expect(cache.size.bytes).toBeLessThanOrEqual(10_000);
      expect(cache.size.entries).toBe(3);
    } finally {
      await server.stop();
    }
  });

  it("keys answers on the caller's role and counties: a coordinator never gets another county's answer", async () => {
    const cache = new ResponseCache({ ttlSeconds: 300 });
    const server = await serve(cache);
    const coordinator = (county: string): Viewer => ({ subject: `coord-${county}`, scopes: new Set(["data:write"]), role: ViewerRole.Coordinator, counties: new Set([county]) });
    try {
      await server.ask("feed", 10, coordinator("14"));
      await server.ask("feed", 10, coordinator("14"));
      expect(server.executed()).toBe(1);
      await server.ask("feed", 10, coordinator("08"));
      await server.ask("feed", 10, { ...coordinator("14"), role: ViewerRole.Admin });
      expect(server.executed()).toBe(3);
    } finally {
      await server.stop();
    }
  });
});
