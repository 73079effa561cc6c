import { describe, expect, it } from "vitest";
import { parseSyncArgs } from "./cli.ts";

describe("parseSyncArgs", () => {
  it("reads the register, --dry-run and --year", () => {
    expect(parseSyncArgs(["sotkanet"], ["sotkanet", "ytj"])).toEqual({ register: "sotkanet", dryRun: false, year: null });
    expect(parseSyncArgs(["--", "ytj", "--dry-run"], ["sotkanet", "ytj"])).toEqual({ register: "ytj", dryRun: true, year: null });
    expect(parseSyncArgs(["statfi", "--year=2027"], ["statfi"])).toEqual({ register: "statfi", dryRun: false, year: 2027 });
  });
  it("refuses an unknown register, a second one or a bad year with the usage line", () => {
    expect(() => parseSyncArgs(["ptv"], ["sotkanet"])).toThrow(/^Usage: pnpm sync <sotkanet> \[--dry-run\]/);
    expect(() => parseSyncArgs(["sotkanet", "ytj"], ["sotkanet", "ytj"])).toThrow(/^Usage/);
    expect(() => parseSyncArgs(["statfi", "--year=27"], ["statfi"])).toThrow(/^Usage/);
  });
});
