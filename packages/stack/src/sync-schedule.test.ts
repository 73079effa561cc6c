import { describe, expect, it } from "vitest";
import { nextSyncAt } from "./sync-schedule.ts";

describe("nextSyncAt", () => {
  it("runs hourly on the next full hour", () => {
    expect(nextSyncAt("hourly", new Date("2026-12-04T14:20:00Z")).toISOString()).toBe("2026-12-04T15:00:00.000Z");
  });
  it("runs nightly at 03:00 UTC, tomorrow once today's has passed", () => {
    expect(nextSyncAt("nightly", new Date("2026-12-04T02:59:00Z")).toISOString()).toBe("2026-12-04T03:00:00.000Z");
    expect(nextSyncAt("nightly", new Date("2026-12-04T03:00:00Z")).toISOString()).toBe("2026-12-05T03:00:00.000Z");
  });
  it("runs weekly on Sunday at 03:00 UTC", () => {
    // 4 December 2026 is a Friday.
    expect(nextSyncAt("weekly", new Date("2026-12-04T14:20:00Z")).toISOString()).toBe("2026-12-06T03:00:00.000Z");
    expect(nextSyncAt("weekly", new Date("2026-12-06T03:00:01Z")).toISOString()).toBe("2026-12-13T03:00:00.000Z");
  });
});
