import { describe, expect, it } from "vitest";
import { groupByKeys, indexOnce, orderByKeys } from "./loaders.ts";

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

  it("indexes a batch once per array and key function", () => {
    const first = indexOnce(rows, groupOf);
    expect(first.get("g1")?.map((r) => r.id)).toEqual(["a", "c"]);
    expect(indexOnce(rows, groupOf)).toBe(first);
    expect(indexOnce([...rows], groupOf)).not.toBe(first);
    expect(indexOnce(rows, (r) => r.id).get("b")).toEqual([rows[1]]);
  });
});
