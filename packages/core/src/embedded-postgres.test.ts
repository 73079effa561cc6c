import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { freePort } from "./embedded-postgres.ts";

const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const core = fileURLToPath(new URL("./index.ts", import.meta.url));

describe("embedded PostgreSQL", () => {
  it("leaves a process's exit code alone after starting and stopping a server", () => {
    // A test runner or command that failed sets process.exitCode and lets the
    // event loop drain; the server library must not turn that into exit 0.
    const script = `
      const { makeTempDir, startEmbeddedPostgres } = await import(${JSON.stringify(core)});
      const dir = await makeTempDir("yhdyspinta-exitcode-");
      const server = await startEmbeddedPostgres({ dataDir: dir + "/data", persistent: false, fast: true });
      await server.stop();
      process.exitCode = 3;
    `;
    const result = spawnSync(tsx, ["--conditions=development", "--eval", script, "--input-type=module"], { encoding: "utf8", timeout: 60_000 });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(3);
  });
});

describe("freePort", () => {
  it("never hands out a port twice before its holder listens", async () => {
    // 600 draws of 12,000 numbers: without the memory of handed-out ports a repeat is all but certain (p ≈ 0.9999).
    const ports: number[] = [];
    for (let i = 0; i < 600; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    expect(ports.every((port) => port >= 20_000 && port < 32_000)).toBe(true);
  });
});
