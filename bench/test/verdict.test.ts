import { describe, expect, it } from "vitest";
import { parseDatasetSpec, parseDatasetSpecs } from "../src/dataset-spec.ts";
import { countItems, formatSpread, quantile, spread } from "../src/stats.ts";
import { flatness, flatnessGoal, formatGoals, marginalUsPerItem, type Round, summarise, type TargetKind, type TargetRounds, viewGoals } from "../src/verdict.ts";
import { variableSets } from "../src/view-variables.ts";

describe("statistics", () => {
  it("median, range and quartiles of an odd and an even sample, in any order", () => {
    expect(spread([5, 1, 3])).toEqual({ n: 3, median: 3, min: 1, max: 5, q1: 2, q3: 4 });
    const even = spread([40, 10, 30, 20]);
    expect(even.median).toBe(25);
    expect([even.min, even.max]).toEqual([10, 40]);
    expect(even.q1).toBeCloseTo(17.5);
    expect(even.q3).toBeCloseTo(32.5);
  });

  it("a single outlier moves the median not at all where the best or mean would", () => {
    const rounds = [100, 102, 98, 101, 190];
    expect(spread(rounds).median).toBe(101);
    expect(spread(rounds).max).toBe(190);
  });

  it("ignores values that are not finite and is NaN for none", () => {
    expect(spread([Number.NaN, 4, Number.POSITIVE_INFINITY, 2]).median).toBe(3);
    expect(spread([]).median).toBeNaN();
    expect(quantile([], 0.5)).toBeNaN();
    expect(quantile([7], 0.9)).toBe(7);
  });

  it("formats the median with its range, or alone for one round", () => {
    expect(formatSpread(spread([3.14159, 2, 5]))).toBe("3.1 (2.0–5.0)");
    expect(formatSpread(spread([42]), 0)).toBe("42");
  });

  it("counts every object of an answer, list elements included, not the root", () => {
    expect(countItems({ county: { name: "x", municipalities: [{ id: 1, groups: [{ id: "a" }, { id: "b" }] }, { id: 2, groups: [] }] } })).toBe(5);
    expect(countItems({ list: [null, { a: null }], scalar: 3 })).toBe(1);
    expect(countItems(null)).toBe(0);
  });
});

const round = (rps: number, p95: number, cpu: Record<string, number>, requests = 100): Round => ({ rps, p95, requests, cpuMsPerRequest: cpu });
const target = (name: string, kind: TargetKind, rounds: Round[]): TargetRounds => ({ name, kind, rounds });

describe("summarise", () => {
  it("takes medians over the rounds, sums CPU over the processes per round, adds up the requests", () => {
    const s = summarise(
      target("ours", "ours", [
        round(10, 100, { gateway: 50, groups: 30, postgres: 20 }, 60),
        round(30, 300, { gateway: 10, groups: 10, postgres: 10 }, 180),
        round(20, 200, { gateway: 20, groups: 20, postgres: 5 }, 120),
      ]),
    );
    expect(s.rps.median).toBe(20);
    expect(s.p95.median).toBe(200);
    // per round 100, 30, 45 → median 45 (not the sum of per-process medians, 20 + 20 + 10)
    expect(s.cpu.median).toBe(45);
    expect(s.cpuByProcess).toEqual({ gateway: 20, groups: 20, postgres: 10 });
    expect(s.requests).toBe(360);
  });
});

describe("view goals", () => {
  const reference = target("SQL", "reference", [round(100, 50, { gateway: 3, postgres: 7 }), round(80, 60, { gateway: 3, postgres: 7 }), round(120, 40, { gateway: 3, postgres: 7 })]);
  const oursAt = (rps: number[], p95: number, cpu: number) => target("ours", "ours", rps.map((r) => round(r, p95, { gateway: cpu / 2, groups: cpu / 2 })));

  it("hold when ours is at half the reference and within the bounds, from medians", () => {
    // The best round (120) would make 60 look short of half; the median (100) makes 50 exactly half.
    const goals = viewGoals("v", [reference, oursAt([50, 10, 55], 100, 20)].map(summarise));
    expect(goals.map((g) => [g.goal, g.holds])).toEqual([
      ["req/s ÷ reference", true],
      ["CPU/request: reference's ÷ ours", true],
      ["p95 ≤ 2 × reference's", true],
    ]);
    expect(goals[0]!.value).toBe("0.50");
  });

  it("fail each on its own bound", () => {
    const [rps, cpu, p95] = viewGoals("v", [reference, oursAt([49, 49, 49], 101, 21)].map(summarise));
    expect(rps!.holds).toBe(false);
    expect(cpu!.holds).toBe(false);
    expect(cpu!.value).toBe("0.48 (10 / 21 ms)");
    expect(p95!.holds).toBe(false);
    expect(p95!.bound).toBe("≤ 100 ms");
  });

  it("compare ours with every other gateway and every cached row with the reference", () => {
    const goals = viewGoals(
      "v",
      [
        reference,
        oursAt([60, 60, 60], 50, 10),
        target("Hive", "other-gateway", [round(59, 50, {}), round(80, 50, {}), round(10, 50, {})]),
        target("Rust", "other-gateway", [round(61, 50, {}), round(61, 50, {}), round(61, 50, {})]),
        target("cached", "cached", [round(100, 5, {}), round(101, 5, {}), round(5, 5, {})]),
        target("tuned", "extra", [round(1000, 1, {})]),
      ].map(summarise),
    );
    const byGoal = Object.fromEntries(goals.map((g) => [g.goal, g.holds]));
    expect(byGoal).toEqual({
      "req/s ÷ reference": true,
      "CPU/request: reference's ÷ ours": true,
      "p95 ≤ 2 × reference's": true,
      "ahead of Hive": true,
      "ahead of Rust": false,
      "cached ≥ reference": true,
    });
  });

  it("do not hold without figures", () => {
    const goals = viewGoals("v", [reference, target("ours", "ours", [round(Number.NaN, Number.NaN, {})])].map(summarise));
    expect(goals.every((g) => !g.holds)).toBe(true);
    expect(viewGoals("v", [summarise(reference)])[0]!.holds).toBe(false);
  });
});

describe("CPU per item across data sizes", () => {
  it("holds while no size's CPU per item is more than 25 % above a smaller size's, and names the highest rise", () => {
    const flat = flatnessGoal("v", [
      { size: "a", cpuMsPerRequest: 10, itemsPerRequest: 1000 },
      { size: "b", cpuMsPerRequest: 40, itemsPerRequest: 4000 },
      { size: "c", cpuMsPerRequest: 150, itemsPerRequest: 12000 },
    ]);
    expect(flat.holds).toBe(true);
    expect(flat.value).toContain("highest +25 %");
    expect(flat.bound).toBe("≤ +25 % over a size with fewer items");
  });

  it("fails on a quadratic step, just above the bound, and with fewer than two sizes", () => {
    const quadratic = flatnessGoal("v", [
      { size: "a", cpuMsPerRequest: 10, itemsPerRequest: 1000 },
      { size: "b", cpuMsPerRequest: 40, itemsPerRequest: 4000 },
      { size: "c", cpuMsPerRequest: 160, itemsPerRequest: 8000 },
    ]);
    expect(quadratic.holds).toBe(false);
    expect(quadratic.value).toContain("highest +100 %");
    // The items of the points, not their order, say which size is the larger.
    const reversed = flatness([
      { size: "c", cpuMsPerRequest: 160, itemsPerRequest: 8000 },
      { size: "a", cpuMsPerRequest: 10, itemsPerRequest: 1000 },
    ]);
    expect(reversed.rise).toBeCloseTo(1, 6);
    const justAbove = flatness([
      { size: "a", cpuMsPerRequest: 10, itemsPerRequest: 1000 },
      { size: "b", cpuMsPerRequest: 40, itemsPerRequest: 4000 },
      { size: "c", cpuMsPerRequest: 151, itemsPerRequest: 12000 },
    ]);
    expect(justAbove.rise).toBeCloseTo(151 / 12000 / 0.01 - 1, 6);
    expect(justAbove.holds).toBe(false);
    expect(flatnessGoal("v", [{ size: "a", cpuMsPerRequest: 10, itemsPerRequest: 1000 }]).holds).toBe(false);
  });

  it("gives the CPU each size's added items cost, in the points' own order, fixed costs cancelled", () => {
    // 5 ms per request fixed, 10 µs per item: CPU per item falls with size, the marginal stays at 10.
    const points = [
      { size: "whole", cpuMsPerRequest: 5 + 0.01 * 4000, itemsPerRequest: 4000 },
      { size: "quarter", cpuMsPerRequest: 5 + 0.01 * 1000, itemsPerRequest: 1000 },
      { size: "four times", cpuMsPerRequest: 5 + 0.01 * 16000, itemsPerRequest: 16000 },
    ];
    const marginal = marginalUsPerItem(points);
    expect(marginal[1]).toBeNaN();
    expect(marginal[0]).toBeCloseTo(10, 6);
    expect(marginal[2]).toBeCloseTo(10, 6);
    // Falling CPU per item is a fixed cost spread over more items: it fails the two-sided
    // bound (the quarter is +33 % of the median) but not the goal, which bounds growth.
    const flat = flatness(points);
    expect(flat.worst).toBeCloseTo(15 / 1000 / (45 / 4000) - 1, 6);
    expect(flat.twoSided).toBe(false);
    expect(flat.rise).toBe(0);
    expect(flat.holds).toBe(true);
  });

  it("measures a rise against the lowest CPU per item of the smaller sizes, not the nearest", () => {
    // Falls from a to b, then rises at c above a's level too: the rise counts from b.
    const flat = flatness([
      { size: "a", cpuMsPerRequest: 20, itemsPerRequest: 1000 },
      { size: "b", cpuMsPerRequest: 40, itemsPerRequest: 4000 },
      { size: "c", cpuMsPerRequest: 260, itemsPerRequest: 16000 },
    ]);
    expect(flat.rise).toBeCloseTo(260 / 16000 / (40 / 4000) - 1, 6);
    expect(flat.holds).toBe(false);
  });

  it("the goal table counts the goals that hold", () => {
    const table = formatGoals([
      { view: "v", goal: "g1", value: "1", bound: "≥ 1", holds: true },
      { view: "v", goal: "g2", value: "0", bound: "≥ 1", holds: false },
    ]);
    expect(table.held).toBe(1);
    expect(table.text).toContain("1 of 2 goals hold");
    expect(table.markdown.split("\n")[3]).toBe("| v | g2 | 0 | ≥ 1 | NO |");
  });
});

describe("dataset names", () => {
  it("parses the whole country, a fraction of it, a numeric scale and chosen counties", () => {
    expect(parseDatasetSpec("finland").options).toEqual({ scale: "finland" });
    expect(parseDatasetSpec("finland*0.25").options).toEqual({ scale: "finland", factor: 0.25 });
    expect(parseDatasetSpec("3")).toEqual({ text: "3", options: { scale: 3 } });
    expect(parseDatasetSpec("14:finland*4")).toEqual({ text: "14:finland*4", options: { scale: "finland", factor: 4, countyCodes: ["14"] }, counties: ["14"] });
    expect(parseDatasetSpec("14+19:2").counties).toEqual(["14", "19"]);
    expect(parseDatasetSpecs(" finland*0.25, finland ,").map((s) => s.text)).toEqual(["finland*0.25", "finland"]);
    expect(parseDatasetSpecs("")).toEqual([]);
  });

  it("refuses what it does not know", () => {
    for (const bad of ["finland*0", "0", "1.5", "all", "14:", "1:finland", "finland*-1"]) expect(() => parseDatasetSpec(bad), bad).toThrow(/dataset/);
  });

  it("the views' variables stay within the chosen counties, and vary by day", () => {
    const sets = variableSets("representation", ["14"]);
    expect(sets.map((s) => s["countyCode"])).toEqual(["14", "14", "14", "14", "14"]);
    expect(new Set(sets.map((s) => s["activeOn"])).size).toBe(5);
    expect(variableSets("partnership-groups-by-municipality", ["14", "19"]).map((s) => s["countyCodes"])).toEqual([["14", "19"], ["19", "14"], ["14", "19"], ["19", "14"], ["14", "19"]]);
    expect(variableSets("coverage-matrix")).toHaveLength(22);
  });
});

describe("a fraction of Finland", () => {
  it("scales the national totals in every county and is refused with a numeric scale", async () => {
    const { finlandCounts, generateDataset } = await import("../src/generate.ts");
    const whole = finlandCounts(13, 418);
    const quarter = finlandCounts(13, 418, 0.25);
    const four = finlandCounts(13, 418, 4);
    // w = 18 / 418 of the national totals, times the factor, rounded
    expect(quarter.organisations).toBe(Math.round((20000 * 18 * 0.25) / 418));
    expect(four.people).toBe(Math.round((60000 * 18 * 4) / 418));
    expect(Math.abs(four.people / whole.people - 4)).toBeLessThan(0.01);
    expect(four.membershipBlocksPerGroup).toBe(whole.membershipBlocksPerGroup);
    const nowhere = "postgres://nobody@127.0.0.1:1/none";
    const targets = { organisations: nowhere, groups: nowhere, planning: nowhere };
    await expect(generateDataset(targets, { seed: 1, scale: 2, factor: 0.5 })).rejects.toThrow(/factor/);
    await expect(generateDataset(targets, { seed: 1, scale: "finland", factor: 0 })).rejects.toThrow(/factor/);
  });
});

describe("the reference's answers against ours", () => {
  it("finds nothing in equal answers and names the first place two answers part", async () => {
    const { firstDifference } = await import("../src/answers.ts");
    const answer = { county: { code: "14", measures: [{ id: "a", status: "DONE" }, { id: "b", status: "PLANNED" }] } };
    expect(firstDifference(answer, structuredClone(answer))).toBeUndefined();
    const reordered = { county: { code: "14", measures: [answer.county.measures[1], answer.county.measures[0]] } };
    expect(firstDifference(answer, reordered)).toBe('data.county.measures.0.id: "a" in ours, "b" in the reference');
    const shorter = { county: { code: "14", measures: [answer.county.measures[0]] } };
    expect(firstDifference(answer, shorter)).toBe("data.county.measures: 2 elements in ours, 1 in the reference");
    const withoutStatus = { county: { code: "14", measures: [{ id: "a" }, answer.county.measures[1]] } };
    expect(firstDifference(answer, withoutStatus)).toBe("data.county.measures.0.status: missing in the reference");
    expect(firstDifference({ startsAt: "2025-10-15T13:00:00+03:00" }, { startsAt: "2025-10-15T13:00:00" })).toContain("data.startsAt:");
  });
});
