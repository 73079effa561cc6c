import { execFileSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { makeTempDir, startEmbeddedPostgres, type RunningPostgres } from "@yhdyspinta/core";
import { ensureWebBuilt } from "@yhdyspinta/web/build";

let server: RunningPostgres | undefined;
let tempDir: string | undefined;

/**
 * One PostgreSQL server for the whole test run: `TEST_DATABASE_URL` if set,
 * otherwise an embedded one in a temporary directory, removed afterwards.
 * Each test file then creates its own databases on it.
 */
export async function setup(project: TestProject): Promise<void> {
  // The test stacks run the compiled packages with plain node: build them
  // (incremental, a few seconds when nothing changed).
  execFileSync("pnpm", ["--silent", "run", "build"], { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: "inherit" });
  // The gateway serves the explorer and dashboard from this bundle (built when missing or stale).
  await ensureWebBuilt();
  const external = process.env["TEST_DATABASE_URL"];
  if (external) {
    project.provide("postgresUrl", external);
    return;
  }
  tempDir = await makeTempDir("yhdyspinta-test-pg-");
  server = await startEmbeddedPostgres({ dataDir: join(tempDir, "data"), persistent: false, fast: true });
  project.provide("postgresUrl", server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
}
