import { spawn, spawnSync } from "node:child_process";
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

  it("never hands two processes the same port", async () => {
    // Two processes drawing 300 ports each at the same time (as two test
    // workers starting stacks do), each alive until both have drawn (a
    // process's reservations end with it): without a reservation across
    // processes about 7 numbers would be drawn by both (p of none ≈ 0.0006).
    const script = `
      const { freePort } = await import(${JSON.stringify(new URL("./embedded-postgres.ts", import.meta.url).pathname)});
      const ports = [];
      for (let i = 0; i < 300; i++) ports.push(await freePort());
      console.log(JSON.stringify(ports));
      process.stdin.resume();
    `;
    const children = [0, 1].map(() => spawn(tsx, ["--conditions=development", "--eval", script, "--input-type=module"], { stdio: ["pipe", "pipe", "inherit"] }));
    try {
      const drawn = await Promise.all(
        children.map(
          (child) =>
            new Promise<number[]>((resolve, reject) => {
              let out = "";
              child.stdout!.on("data", (chunk: Buffer) => {
                out += chunk.toString();
                if (out.includes("\n")) resolve(JSON.parse(out) as number[]);
              });
              child.once("exit", (code) => reject(new Error(`drawing process exited with ${code} before answering`)));
            }),
        ),
      );
      expect(drawn[0]).toHaveLength(300);
      expect(drawn[1]).toHaveLength(300);
      expect(drawn[0]!.filter((port) => drawn[1]!.includes(port))).toEqual([]);
    } finally {
      await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once("exit", resolve), child.stdin!.end())))));
    }
  }, 90_000);
});
