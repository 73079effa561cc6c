import { describe, expect, it } from "vitest";
import { cacheKey, groupByKeys, indexOnce, orderByKeys } from "./loaders.ts";

const rows = [
  { id: "a", group: "g1" },
  { id: "b", group: "g2" },
  { id: "c", group: "g1" },
];
const groupOf = (r: { group: string }) => r.group;

describe("loader helpers", () => {
  it("answers in key order with null or [] for missing keys", () => {
    expect(orderByKeys(["c", "x", "a"], rows, (r) => r.id).map((r) => r?.id ?? null)).toEqual(["c", null, "a"]);
    expect(groupByKeys(["g2", "g9", "g1"], rows, groupOf).map((l) => l.map((r) => r.id))).toEqual([["b"], [], ["a", "c"]]);
  });

  it("keys equal arguments alike whatever their property order, and different ones apart", () => {
    expect(cacheKey({ id: "g1", activeOn: "2026-02-01" })).toBe(cacheKey({ activeOn: "2026-02-01", id: "g1" }));
    expect(cacheKey({ id: "g1", activeOn: null })).toBe(cacheKey({ activeOn: null, id: "g1" }));
    // An absent property and one that is undefined are the same argument (as JSON has it).
    expect(cacheKey({ id: "g1", kind: undefined })).toBe(cacheKey({ id: "g1" }));
    expect(cacheKey({ id: "g1", filter: { b: 2, a: [1, { d: 1, c: 2 }] } })).toBe(cacheKey({ filter: { a: [1, { c: 2, d: 1 }], b: 2 }, id: "g1" }));
    const different = [
      { id: "g1" },
      { id: "g2" },
      { id: "g1", activeOn: null },
      { id: "g1", activeOn: "2026-02-01" },
      { id: 1 },
      { id: "1" },
      { id: ["a", "b"] },
      { id: ["b", "a"] },
      { id: "g1", since: new Date("2026-01-01T00:00:00Z") },
      { "id\",": "x" },
      { id: "\",\"x" },
    ];
    expect(new Set(different.map(cacheKey)).size).toBe(different.length);
  });

  it("indexes a batch once per array and key function", () => {
    const first = indexOnce(rows, groupOf);
    expect(first.get("g1")?.map((r) => r.id)).toEqual(["a", "c"]);
    expect(indexOnce(rows, groupOf)).toBe(first);
    expect(indexOnce([...rows], groupOf)).not.toBe(first);
    expect(indexOnce(rows, (r) => r.id).get("b")).toEqual([rows[1]]);
  });
});
