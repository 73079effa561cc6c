import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, totalStatements, type TestStack } from "./support.ts";

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack("e2e");
});

afterAll(async () => {
  await stack?.stop();
});

describe("supergraph through the gateway", () => {
  it("answers a query that crosses all three subgraphs", async () => {
    const res = await stack.query<{
      municipality: { nameFi: string; county: { code: string; nameFi: string }; cooperationGroups: { name: string }[]; wellbeingPlans: { id: string }[] };
    }>('{ municipality(code:"167"){ nameFi county{ code nameFi } cooperationGroups{ name } wellbeingPlans{ id } } }');
    expect(res.errors).toBeUndefined();
    const m = res.data!.municipality;
    expect(m.nameFi).toBe("Joensuu");
    expect(m.county).toEqual({ code: "14", nameFi: "Pohjois-Karjalan hyvinvointialue" });
    expect(m.cooperationGroups.map((g) => g.name).join(" ")).toContain("KESKINEN");
    expect(Array.isArray(m.wellbeingPlans)).toBe(true);
  });

  it("reports the readiness of every subgraph", async () => {
    const res = await fetch(new URL("ready", stack.gatewayUrl));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready", service: "gateway", checks: { organisations: "ok", groups: "ok", planning: "ok" } });
  });

  it("keeps SQL statements constant however many municipalities a county has", async () => {
    const query = `query($code: ID!) { county(code: $code) { municipalities { code cooperationGroups { name } } } }`;
    const counts: Record<string, { municipalities: number; statements: number }> = {};
    // Uusimaa's Vantaa–Kerava has 2 municipalities, Pohjois-Karjala 13, Pohjois-Pohjanmaa 30.
    for (const code of ["04", "14", "19"]) {
      await stack.resetStats();
      const res = await stack.query<{ county: { municipalities: { cooperationGroups: unknown[] }[] } }>(query, { code });
      expect(res.errors).toBeUndefined();
      counts[code] = {
        municipalities: res.data!.county.municipalities.length,
        statements: totalStatements(await stack.stats()),
      };
    }
    expect(counts["04"]!.municipalities).toBe(2);
    expect(counts["19"]!.municipalities).toBe(30);
    expect(counts["14"]!.statements).toBeGreaterThan(0);
    expect(counts["04"]!.statements).toBe(counts["14"]!.statements);
    expect(counts["19"]!.statements).toBe(counts["14"]!.statements);
  });

  it("rejects an invalid bearer token with a clear error", async () => {
    const res = await stack.query("{ counties { code } }", {}, { authorization: "Bearer not-a-token" });
    expect(res.errors?.[0]?.extensions?.["code"]).toBe("UNAUTHENTICATED");
    expect(res.errors?.[0]?.message).toMatch(/Invalid bearer token/);
  });
});
