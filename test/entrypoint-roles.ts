import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The container's entry point, run by tests as the image runs it (each role from the compiled build). */
export const entrypoint = fileURLToPath(new URL("../deploy/docker-entrypoint.sh", import.meta.url));

/**
 * Starts a role of the entry point and resolves with its URL once it prints
 * `ready at`; the child joins `children` so the test's afterAll stops it.
 */
export function startRole(role: string, env: NodeJS.ProcessEnv, children: ChildProcess[]): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(entrypoint, [role], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = /ready at (https?:\/\/[^\s"]+)/.exec(output);
      if (match) resolve({ child, url: match[1]! });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${role} exited (${code}):\n${output}`)));
  });
}

/** Sends SIGTERM to every child still running and waits until each has exited. */
export async function stopChildren(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    ),
  );
}
