import { describe, expect, it } from "vitest";
import { parseKnownAt } from "./known-at.ts";

describe("parseKnownAt", () => {
  const now = new Date("2026-12-05T12:00:00Z");
  const refusal = (value: string) => {
    try {
      parseKnownAt(value, "knownAt", now);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  };

  it("reads an instant with its offset, normalised to UTC", () => {
    expect(parseKnownAt("2026-03-01T14:00:00+02:00", "knownAt", now)).toBe("2026-03-01T12:00:00.000Z");
    expect(parseKnownAt("2024-02-29T23:59:59.5Z", "knownAt", now)).toBe("2024-02-29T23:59:59.500Z");
    expect(parseKnownAt("2026-03-01T12:00Z", "knownAt", now)).toBe("2026-03-01T12:00:00.000Z");
    expect(parseKnownAt("0099-12-31T00:00:00Z", "knownAt", now)).toBe("0099-12-31T00:00:00.000Z");
  });

  it("refuses a day or time of day that does not exist, instead of rolling it over", () => {
    for (const value of ["2026-02-30T00:00:00Z", "2025-02-29T12:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T12:60:00Z", "2026-03-01T12:00:60Z", "2026-03-01T12:00:00+25:00"]) {
      expect(refusal(value), value).toMatch(/knownAt.*not a valid instant/);
    }
  });

  it("refuses a text without an offset and an instant in the future", () => {
    expect(refusal("2026-03-01T12:00:00")).toMatch(/knownAt.*ISO 8601 instant with its offset/);
    expect(refusal("2026-12-05T12:00:01Z")).toMatch(/knownAt.*must not be in the future/);
  });
});
