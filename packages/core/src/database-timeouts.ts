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
