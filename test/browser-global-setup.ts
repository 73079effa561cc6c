import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** Debian's Chromium, driven by playwright-core in the browser tests. */
export const CHROMIUM_PATH = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

/**
 * Installs Debian's `chromium` package once per test run when it is missing
 * (CI: a fresh Debian machine, as root, no terminal). Fails the run with the
 * reason when it cannot.
 */
export function setup(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const run = (args: string[]) => {
    const result = spawnSync("apt-get", args, { env, stdio: ["ignore", "inherit", "inherit"] });
    if (result.error || result.status !== 0) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM_PATH} and \`apt-get ${args.join(" ")}\` failed (${result.error?.message ?? `exit ${result.status}`}). ` +
          "Install it (as root: apt-get update && apt-get install -y chromium) or set CHROMIUM_PATH.",
      );
    }
  };
  console.log("Installing chromium for the browser tests (apt-get)…");
  run(["update", "-qq"]);
  run(["install", "-y", "-qq", "--no-install-recommends", "chromium"]);
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} does not exist`);
}
