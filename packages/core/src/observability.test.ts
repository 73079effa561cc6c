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

describe("JSON log", () => {
  it("writes one JSON object per line with the request id and drops fields that may hold personal data", async () => {
    const { configureLogger, logger } = await import("./logger.ts");
    const { withRequestId } = await import("./request-id.ts");
    const lines: string[] = [];
    configureLogger("probe", { write: (line: string) => void lines.push(line) });
    withRequestId("req-7", () => logger().info({ operation: "Q", email: "a@b.fi", variables: { phone: "040 123" } }, "operation"));
    logger().info("outside a request");
    expect(lines).toHaveLength(2);
    const [inside, outside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(inside).toMatchObject({ level: "info", service: "probe", requestId: "req-7", operation: "Q", msg: "operation" });
    expect(lines[0]).not.toMatch(/a@b\.fi|040 123/);
    expect(outside).not.toHaveProperty("requestId");
  });
});
