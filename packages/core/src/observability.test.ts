import { describe, expect, it } from "vitest";
import { MAX_OPERATION_LABELS, operationLabel, registerKnownOperations } from "./metrics.ts";
import { runReadinessChecks } from "./platform-routes.ts";

describe("operation labels", () => {
  it("keeps the number of distinct labels bounded, known names included", () => {
    registerKnownOperations(["CommittedView"]);
    const labels = new Set<string>();
    for (let i = 0; i < MAX_OPERATION_LABELS * 3; i += 1) labels.add(operationLabel(`Generated${i}`));
    expect(labels.size).toBeLessThanOrEqual(MAX_OPERATION_LABELS + 1);
    expect(labels.has("other")).toBe(true);
    // A known name keeps its own label after the cap is reached; an early one too.
    expect(operationLabel("CommittedView")).toBe("CommittedView");
    expect(operationLabel("Generated0")).toBe("Generated0");
    expect(operationLabel(undefined)).toBe("anonymous");
    expect(operationLabel("not a name\n")).toBe("other");
  });
});

describe("readiness checks", () => {
  it("answers for a check that hangs once its timeout has passed", async () => {
    const checks = await runReadinessChecks(
      {
        database: () => new Promise<string>(() => {}),
        migrations: async () => "2 pending",
        cache: async () => "ok",
        broken: async () => {
          throw new Error("connect ECONNREFUSED");
        },
      },
      50,
    );
    expect(checks).toEqual({ database: "timed out", migrations: "2 pending", cache: "ok", broken: "unreachable" });
  });
});
