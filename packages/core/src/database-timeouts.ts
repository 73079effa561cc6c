/**
 * Whether `error` means the database did not answer in time: PostgreSQL
 * cancelled a statement at `statement_timeout` (SQLSTATE 57014), pg gave up
 * waiting for an answer (`query_timeout`), or no pooled connection could be
 * had within the acquire timeout (`connectionTimeoutMillis`). Such a request
 * is answered `DATABASE_TIMEOUT`, not as an internal error.
 */
export function isDatabaseTimeout(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    const message = e instanceof Error ? e.message : "";
    if (code === "57014" && /statement timeout/.test(message)) return true;
    if (/Query read timeout|timeout exceeded when trying to connect|Connection terminated due to connection timeout|canceling statement due to statement timeout/.test(message)) {
      return true;
    }
  }
  return false;
}

/**
 * Whether `error` means the database could not be reached or went away: no
 * connection (ECONNREFUSED and the like), a connection ended under a
 * statement, PostgreSQL shutting down or not yet accepting connections
 * (SQLSTATE class 08, 57P01–57P03). Such a request is answered
 * `DATABASE_UNAVAILABLE`, never as the caller's mistake or an internal error.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    const message = e instanceof Error ? e.message : "";
    if (typeof code === "string" && (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code))) return true;
    if (typeof code === "string" && ["ECONNREFUSED", "ECONNRESET", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"].includes(code)) return true;
    if (/Connection terminated unexpectedly|connect ECONNREFUSED|Client has encountered a connection error and is not queryable|the database system is (shutting down|starting up|in recovery mode)|terminating connection due to administrator command|server closed the connection unexpectedly/.test(message)) {
      return true;
    }
  }
  return false;
}
