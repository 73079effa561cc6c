import { describe, expect, it } from "vitest";
import { exportRequest, usage } from "../src/exports/cli-args.ts";

/**
 * The arguments of `pnpm export`, checked in-process: each refusal's message
 * (cli.ts prints it and exits 2, before any request) and the request the
 * accepted ones make. test/exports.test.ts runs the command itself against a
 * gateway: exit codes, the files written, and that a refusal asks nothing.
 */
const BASE = "http://gateway.invalid/";

function refusal(args: string[]): string {
  const result = exportRequest(args, () => BASE);
  if (!("error" in result)) throw new Error(`not refused: ${args.join(" ")} asks ${result.path}`);
  return result.error;
}

function request(args: string[]) {
  const result = exportRequest(args, () => BASE);
  if ("error" in result) throw new Error(`refused: ${args.join(" ")}: ${result.error}`);
  return result;
}

describe("pnpm export's arguments", () => {
  it("refuse a misspelt variable or one only a view takes, naming it and the export's variables", () => {
    for (const [vars, variable] of [
      ['{"countycode":"14"}', "countycode"],
      ['{"countyCode":"14","from":"2024-01-01"}', "from"],
    ] as const) {
      const message = refusal(["alerts", "--vars", vars]);
      expect(message, vars).toContain(`Unknown parameter "${variable}"`);
      expect(message, vars).toContain("countyCode, activeOn, withinDays");
    }
    // Spelt right, it is asked.
    expect(request(["alerts", "--vars", '{"countyCode":"14"}'])).toEqual({ base: BASE, path: "exports/alerts.csv?countyCode=14", out: undefined });
  });

  it("refuse --excel with --format json, for the alerts and for a view", () => {
    for (const name of ["alerts", "meeting-calendar"]) {
      expect(refusal([name, "--vars", '{"countyCode":"14"}', "--format", "json", "--excel"]), name).toContain("--excel is a CSV variant");
    }
    expect(request(["alerts", "--vars", '{"countyCode":"14"}', "--excel"]).path).toBe("exports/alerts.csv?countyCode=14&excel=true");
  });

  it("refuse excel or knownAt inside --vars, pointing to the flag", () => {
    for (const [name, vars, key, flag] of [
      ["alerts", '{"countyCode":"14","excel":true}', "excel", "--excel"],
      ["coverage-matrix", '{"countyCode":"14","excel":"true"}', "excel", "--excel"],
      ["alerts", '{"countyCode":"14","knownAt":"2026-01-01T00:00:00Z"}', "knownAt", "--known-at"],
      ["coverage-matrix", '{"countyCode":"14","knownAt":"yesterday"}', "knownAt", "--known-at"],
    ] as const) {
      const message = refusal([name, "--vars", vars]);
      expect(message, vars).toContain(`"${key}" is not a variable`);
      expect(message, vars).toContain(`give ${flag}`);
    }
  });

  it("refuse a malformed or future --known-at by the gateway's rule, and ask a well-formed one as knownAt", () => {
    for (const [instant, reason] of [
      ["yesterday", "must be an ISO 8601 instant with its offset"],
      ["2026-03-01T12:00:00", "must be an ISO 8601 instant with its offset"],
      ["2999-01-01T00:00:00Z", "must not be in the future"],
    ] as const) {
      const message = refusal(["alerts", "--vars", '{"countyCode":"14"}', "--known-at", instant]);
      expect(message, instant).toContain(`Invalid value for "knownAt" (--known-at): ${reason}`);
      expect(message, instant).toContain(`got "${instant}"`);
    }
    expect(request(["alerts", "--vars", '{"countyCode":"14"}', "--known-at", "2026-01-01T00:00:00Z"]).path).toBe(
      "exports/alerts.csv?countyCode=14&knownAt=2026-01-01T00%3A00%3A00Z",
    );
  });

  it("refuse --known-at, --vars, --format and --excel for open-data, whose contents are fixed, and ask it with --out alone", () => {
    const out = "/tmp/never.zip";
    expect(refusal(["open-data", "--out", out, "--known-at", "2026-01-01T00:00:00Z"])).toContain("--known-at applies to a view or the alerts");
    for (const [flags, said] of [
      [["--vars", '{"countyCode":"14"}'], "--vars applies"],
      // Even the values the bundle has anyway: the flag is meaningless for it.
      [["--vars", "{}"], "--vars applies"],
      [["--format", "json"], "--format applies"],
      [["--format", "csv"], "--format applies"],
      [["--excel"], "--excel applies"],
      [["--vars", '{"countyCode":"14"}', "--format", "csv", "--excel"], "--vars, --format, --excel apply"],
    ] as const) {
      const message = refusal(["open-data", "--out", out, ...flags]);
      expect(message, flags.join(" ")).toContain(`${said} to a view or the alerts: the open-data bundle's contents are fixed`);
      expect(message, flags.join(" ")).toContain("every view and the alerts of every county");
    }
    expect(refusal(["open-data"])).toBe("open-data is a ZIP: give --out <file>.zip");
    expect(request(["open-data", "--out", out])).toEqual({ base: BASE, path: "exports/open-data.zip", out });
  });

  it("refuse no or several exports, an unknown one, a bad --format or --vars, with the usage where it helps", () => {
    expect(refusal([])).toBe(usage);
    expect(refusal(["--help"])).toBe(usage);
    expect(refusal(["alerts", "coverage-matrix"])).toBe(usage);
    expect(refusal(["no-such-view"])).toBe(`Unknown export "no-such-view".\n${usage}`);
    expect(refusal(["alerts", "--format", "xml"])).toBe('--format must be csv or json, got "xml"');
    expect(refusal(["alerts", "--vars", "{countyCode"])).toBe("--vars is not valid JSON: {countyCode");
    expect(refusal(["alerts", "--vars", '["14"]'])).toBe("--vars must be a JSON object");
    // Refused for the usage before the gateway's URL is read (cli.ts reads it from the environment, which may be bad).
    expect(exportRequest(["--help"], () => expect.unreachable("the gateway URL was read"))).toEqual({ error: usage });
    // An option nobody knows is parseArgs's error, thrown.
    expect(() => exportRequest(["alerts", "--colour", "red"], () => BASE)).toThrow(/--colour/);
  });

  it("take the arguments pnpm passes after --, and ask a list as repeated parameters", () => {
    expect(request(["--", "coverage-matrix", "--vars", '{"countyCode":"14"}', "--format", "json", "--out", "cm.json"])).toEqual({
      base: BASE,
      path: "exports/coverage-matrix.json?countyCode=14",
      out: "cm.json",
    });
    expect(request(["partnership-groups-by-municipality", "--vars", '{"countyCodes":["14","08"]}']).path).toBe(
      "exports/partnership-groups-by-municipality.csv?countyCodes=14&countyCodes=08",
    );
  });
});
