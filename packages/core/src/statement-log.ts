import { statementsTotal } from "./metrics.ts";
import { queryStats } from "./stats.ts";
import { recordFinishedSpan, tracingOn } from "./tracing.ts";

/**
 * One SQL statement sent, by the ORM or by a prepared loader read: counted
 * (`/debug/stats`, the N+1 guards of the tests, `yhdyspinta_db_statements_total`)
 * and, with tracing on, a span with the statement's text. The text has
 * placeholders; parameters may hold personal data and are never recorded.
 */
export function recordStatement(text: string, tookMs: number, failed: boolean): void {
  queryStats.recordStatement(text);
  statementsTotal().inc();
  if (tracingOn()) {
    const statement = text.replace(/\s+/g, " ").trim();
    const verb = /^(?:\/\*.*?\*\/\s*)?(\w+)/.exec(statement)?.[1]?.toLowerCase() ?? "statement";
    recordFinishedSpan(`sql ${verb}`, tookMs, { "db.system.name": "postgresql", "db.query.text": statement.slice(0, 2000) }, failed);
  }
}
