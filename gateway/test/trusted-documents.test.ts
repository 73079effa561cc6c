import { createHash } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { manifestOperations, persistedQueryCache, registeredForm, TrustedDocuments } from "../src/trusted-documents.ts";

const op = (body: string, name = "Q") => ({ id: createHash("sha256").update(body).digest("hex"), name, type: "query", body });

describe("trusted documents", () => {
  it("compares documents without layout, comments or __typename", () => {
    const a = registeredForm(parse("query Q { county(code: \"14\") { code __typename } }"));
    const b = registeredForm(parse("# a comment\nquery Q {\n  county(code: \"14\") {\n    code\n  }\n}"));
    expect(a).toBe(b);
    // An aliased __typename is part of the answer's shape: kept.
    expect(registeredForm(parse("query Q { county(code: \"14\") { code t: __typename } }"))).not.toBe(b);
    expect(registeredForm(parse("query Q { county(code: \"08\") { code } }"))).not.toBe(b);
  });

  it("loads the project's manifest and clients' manifests registered at deploy time", async () => {
    const own = TrustedDocuments.load();
    const extra = op("query ClientReport { counties { code } }", "ClientReport");
    const dir = await mkdtemp(join(tmpdir(), "trusted-"));
    const file = join(dir, "client.json");
    await writeFile(file, JSON.stringify({ format: "apollo-persisted-query-manifest", version: 1, operations: [extra] }));
    const withClient = TrustedDocuments.load([file]);
    expect(withClient.size).toBe(own.size + 1);
    expect(withClient.body(extra.id)).toBe(extra.body);
    expect(withClient.has(undefined, parse("query ClientReport { counties { code __typename } }"))).toBe(true);
    expect(own.has(extra.id, parse(extra.body))).toBe(false);
    await writeFile(file, JSON.stringify({ operations: [] }));
    expect(() => TrustedDocuments.load([file])).toThrow(/not an apollo-persisted-query-manifest/);
    expect(() => manifestOperations("{}", "x.json")).toThrow(/x\.json/);
  });

  it("serves registered documents by id before the learned ones, which are bounded by size", async () => {
    const registered = op("query R { counties { code } }", "R");
    const cache = persistedQueryCache(new TrustedDocuments([registered]), 100);
    expect(await cache.get(`apq:${registered.id}`)).toBe(registered.body);
    await cache.set(`apq:${registered.id}`, "query Other { x }");
    expect(await cache.get(`apq:${registered.id}`)).toBe(registered.body);
    await cache.set("apq:a", "a".repeat(60));
    await cache.set("apq:b", "b".repeat(60));
    // 120 bytes > 100: the least recently used one is dropped.
    expect(await cache.get("apq:a")).toBeUndefined();
    expect(await cache.get("apq:b")).toBe("b".repeat(60));
    await cache.set("apq:huge", "h".repeat(101));
    expect(await cache.get("apq:huge")).toBeUndefined();
    expect(await cache.delete("apq:b")).toBe(true);
    expect(await cache.get("apq:b")).toBeUndefined();
  });
});
