import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Every variable of the product is declared in the config module
 * (packages/core/src/config.ts, parsed by env.ts): one schema, every problem
 * printed at start. No other runtime file reads `process.env`, tests, the
 * benchmark and scripts aside, and the exceptions below, each with its reason.
 */
const root = fileURLToPath(new URL("..", import.meta.url));

/** Folders of runtime code. */
const SOURCES = ["gateway/src", "packages/core/src", "packages/stack/src", "packages/web/src", "services/organisations/src", "services/groups/src", "services/planning/src", "views"];

const CONFIG_MODULE = new Set(["packages/core/src/config.ts", "packages/core/src/env.ts"]);

/** Files that may touch `process.env`, and why it is not product configuration. */
const ENV_EXCEPTIONS: Readonly<Record<string, string>> = {
  "gateway/src/exports/cli.ts": "YHDYSPINTA_TOKEN: the caller's own token for the export CLI, a client credential",
  "gateway/src/import/cli.ts": "YHDYSPINTA_TOKEN: the caller's own token for the import CLI, a client credential",
  "packages/web/src/build.ts": "defines `process.env.NODE_ENV` text in the browser bundle; reads nothing",
  "packages/stack/src/index.ts": "passes its environment on to the processes it starts; reads no variable",
  "packages/stack/src/sync-schedule.ts": "passes its environment on to the sync it starts; reads no variable",
  "packages/web/src/statement.ts": "ACCESSIBILITY_FEEDBACK_EMAIL: fixed into the web pages when they are built (packages/web does not depend on core)",
  "services/planning/src/import-sotkanet.ts": "INIT_CWD: the directory pnpm was run in, to resolve the file argument",
  "packages/stack/src/mirror.ts": "MIRROR_*: settings of the mirror example, a client of the gateway (its token and its own database), not of the product",
};

interface Source {
  path: string;
  text: string;
}

function sources(): Source[] {
  const files: Source[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!["node_modules", "dist", "test"].includes(entry.name)) walk(full);
      } else if (/\.(ts|mts|js|mjs)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        files.push({ path: relative(root, full).split("\\").join("/"), text: readFileSync(full, "utf8") });
      }
    }
  };
  for (const dir of SOURCES) walk(join(root, dir));
  return files;
}

/** Files outside the config module that read `process.env` (or destructure it) and are not excepted. */
function envReaders(files: readonly Source[], exceptions: Readonly<Record<string, string>> = ENV_EXCEPTIONS): string[] {
  return files.filter((f) => !CONFIG_MODULE.has(f.path) && !exceptions[f.path] && /\bprocess\s*\.\s*env\b|\bprocess\s*\[\s*["']env["']\s*\]/.test(f.text)).map((f) => f.path);
}

describe("configuration", () => {
  it("is read from the environment only by the config module", () => {
    const files = sources();
    expect(files.some((f) => f.path === "gateway/src/main.ts")).toBe(true);
    expect(envReaders(files)).toEqual([]);
  });

  it("finds a planted read of a variable, and each exception still reads one", () => {
    const planted = { path: "gateway/src/planted.ts", text: `const ttl = Number(process.env["GATEWAY_TTL"] ?? 5);` };
    expect(envReaders([planted])).toEqual(["gateway/src/planted.ts"]);
    expect(envReaders([{ path: "packages/core/src/config.ts", text: planted.text }])).toEqual([]);
    // An exception whose file no longer touches process.env is stale: drop it.
    const byPath = new Map(sources().map((f) => [f.path, f.text]));
    for (const path of Object.keys(ENV_EXCEPTIONS)) expect(envReaders([{ path, text: byPath.get(path) ?? "" }], {}), path).toEqual([path]);
  });
});
