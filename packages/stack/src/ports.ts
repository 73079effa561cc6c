import { createServer } from "node:net";

/** A port the launcher is about to listen on, and the variable that moves it. */
export interface PortClaim {
  port: number;
  /** What listens there, e.g. "the gateway". */
  what: string;
  /** The environment variable that sets the port, e.g. `GATEWAY_PORT`. */
  variable: string;
  /** Address listened on, when not the launcher's `HOST` (the embedded PostgreSQL listens on 127.0.0.1). */
  host?: string;
}

/** The error code of listening on `port` at `host` (`EADDRINUSE`, `EACCES` …), or null when it can be listened on. */
function listenProblem(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/**
 * Why the launcher could not listen on its ports, one sentence each naming
 * the port and the variable that moves it; empty when every port is free.
 * Checked before anything is started, so a taken port fails `pnpm start` at
 * once instead of after the database and the migrations (port 0: any free
 * port, nothing to check).
 */
export async function portProblems(host: string, claims: readonly PortClaim[]): Promise<string[]> {
  const problems: string[] = [];
  const seen = new Map<number, PortClaim>();
  for (const claim of claims) {
    if (claim.port === 0) continue;
    const other = seen.get(claim.port);
    if (other) {
      problems.push(`Port ${claim.port} is set for both ${other.what} (${other.variable}) and ${claim.what} (${claim.variable}): give one of them another port`);
      continue;
    }
    seen.set(claim.port, claim);
    const address = claim.host ?? host;
    const code = await listenProblem(address, claim.port);
    if (code === null) continue;
    const where = `Port ${claim.port} on ${address} (${claim.what})`;
    if (code === "EADDRINUSE") {
      problems.push(`${where} is already in use by another process: stop that process, or set ${claim.variable} to a free port (0 picks any free port)`);
    } else if (code === "EACCES") {
      problems.push(`${where} may not be listened on by this user: set ${claim.variable} to a port above 1023`);
    } else if (code === "EADDRNOTAVAIL") {
      problems.push(`${where} cannot be listened on: this machine has no address ${address}; set HOST to one of its addresses`);
    } else {
      problems.push(`${where} cannot be listened on (${code}): set ${claim.variable} to another port`);
    }
  }
  return problems;
}
