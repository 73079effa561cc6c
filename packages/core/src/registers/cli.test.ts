import { describe, expect, it } from "vitest";
import { parseSyncArgs } from "./cli.ts";

describe("parseSyncArgs", () => {
  it("reads the register, --dry-run, --year and --since", () => {
    expect(parseSyncArgs(["sotkanet"], ["sotkanet", "ytj"])).toEqual({ register: "sotkanet", dryRun: false, year: null, since: null });
    expect(parseSyncArgs(["--", "ytj", "--dry-run"], ["sotkanet", "ytj"])).toEqual({ register: "ytj", dryRun: true, year: null, since: null });
    expect(parseSyncArgs(["statfi", "--year=2027"], ["statfi"])).toEqual({ register: "statfi", dryRun: false, year: 2027, since: null });
    expect(parseSyncArgs(["ptv", "--since=2026-11-01", "--dry-run"], ["ptv"])).toEqual({ register: "ptv", dryRun: true, year: null, since: "2026-11-01" });
  });
  it("refuses an unknown register, a second one, a bad year or a bad day with the usage line", () => {
    expect(() => parseSyncArgs(["ptv"], ["sotkanet"])).toThrow(/^Usage: pnpm sync <sotkanet> \[--dry-run\]/);
    expect(() => parseSyncArgs(["sotkanet", "ytj"], ["sotkanet", "ytj"])).toThrow(/^Usage/);
    expect(() => parseSyncArgs(["statfi", "--year=27"], ["statfi"])).toThrow(/^Usage/);
    expect(() => parseSyncArgs(["ptv", "--since=1.11.2026"], ["ptv"])).toThrow(/^Usage/);
  });
});
