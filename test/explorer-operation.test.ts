import { describe, expect, it } from "vitest";
import { operationToRun } from "../packages/web/browser/explorer/operation.ts";

describe("the explorer's operation to run", () => {
  it("runs a one-operation document whatever stale name GraphiQL passes, and keeps the chosen one among several", () => {
    expect(operationToRun("query CoverageMatrix { __typename }", "ReadmeExample")).toBe("CoverageMatrix");
    expect(operationToRun("# comment\n{ __typename }", "ReadmeExample")).toBeNull();
    expect(operationToRun("query A { __typename } query B { __typename }", "B")).toBe("B");
    expect(operationToRun("query A { __typename } query B { __typename }", "C")).toBe("C");
    expect(operationToRun("query A { __typename } fragment F on Query { __typename }", "X")).toBe("A");
    expect(operationToRun("query A {", "X")).toBe("X");
    expect(operationToRun("query A { __typename }", undefined)).toBeUndefined();
    expect(operationToRun("query A { __typename }", null)).toBeNull();
  });
});
