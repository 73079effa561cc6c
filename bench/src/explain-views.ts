import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startEmbeddedPostgres, withDatabase } from "@yhdyspinta/core";
import { startStack } from "../../packages/stack/src/index.ts";
import { VIEW_NAMES, type ViewName, viewDocument } from "../../views/index.ts";
import { variableSets } from "./view-variables.ts";

/**
 * EXPLAIN (ANALYZE, BUFFERS) of every SQL statement the subgraphs send for a
 * view, on the full-Finland dataset `profile-subgraphs.ts` keeps in
 * `.data/bench-profile/` (run that once first; `pnpm build` before).
 * PostgreSQL logs each statement with its parameters while one request per
 * view goes through the gateway; each is then explained with the same
 * parameters. Prints the plan's top line, its sequential scans and sorts.
 *
 *   tsx --conditions=development bench/src/explain-views.ts [--views representation,…] [--full]
 */
const args = process.argv.slice(2);
const at = args.indexOf("--views");
const views = (at >= 0 ? args[at + 1]!.split(",") : VIEW_NAMES) as ViewName[];
const full = args.includes("--full");
const root = fileURLToPath(new URL("../../", import.meta.url));

interface Logged {
  sql: string;
  params: string[];
}

/** `$1 = '14', $2 = NULL, …` → values (text, as PostgreSQL printed them). */
function parseParameters(detail: string): (string | null)[] {
  const values: (string | null)[] = [];
  const re = /\$(\d+) = (NULL|'((?:[^']|'')*)')/g;
  for (let m = re.exec(detail); m; m = re.exec(detail)) values[Number(m[1]) - 1] = m[2] === "NULL" ? null : m[3]!.replaceAll("''", "'");
  return values;
}

async function main(): Promise<void> {
  const lines: string[] = [];
  const postgres = await startEmbeddedPostgres({
    dataDir: `${root}.data/bench-profile`,
    persistent: true,
    fast: true,
    onLog: (message) => lines.push(message),
  });
  const database = withDatabase(postgres.url, "bench");
  const admin = new pg.Client({ connectionString: database });
  await admin.connect();
  const stack = await startStack({
    databaseUrl: database,
    internalAuthSecret: randomBytes(32).toString("hex"),
    log: () => {},
    env: { ORGANISATIONS_DATABASE_URL: database, GROUPS_DATABASE_URL: database, PLANNING_DATABASE_URL: database },
  });
  try {
    for (const view of views) {
      const variables = variableSets(view)[13]!; // county 14 (Pohjois-Karjala) for most views
      lines.length = 0;
      // Every session, the pools' open ones included, logs its statements from the reload on.
      await admin.query("alter system set log_min_duration_statement = 0");
      await admin.query("select pg_reload_conf()");
      const body = JSON.stringify({ query: viewDocument(view), variables });
      const res = await fetch(stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
      const json = (await res.json()) as { errors?: unknown };
      await admin.query("alter system reset log_min_duration_statement");
      await admin.query("select pg_reload_conf()");
      if (json.errors) throw new Error(`${view}: ${JSON.stringify(json.errors)}`);
      // "LOG:  duration: 0.5 ms  execute <unnamed>: select …", then "DETAIL:  Parameters: $1 = '14', …".
      const logged: Logged[] = [];
      // A statement written over several lines continues on lines without a log prefix (blank
      // lines between chunks are dropped, so that a DETAIL line follows its statement).
      const all: string[] = [];
      for (const line of lines.flatMap((chunk) => chunk.split("\n")).filter((l) => l.trim() !== "")) {
        if (all.length > 0 && !/^\d{4}-\d\d-\d\d |^\s*[A-Z]+:\s/.test(line)) all[all.length - 1] += `\n${line}`;
        else all.push(line);
      }
      all.forEach((line, i) => {
        const m = /duration: [\d.]+ ms\s+(?:execute [^:]*|statement): ([\s\S]*)$/.exec(line);
        if (!m || !/^\s*(?:\/\*[\s\S]*?\*\/\s*)?select/i.test(m[1]!) || /pg_reload_conf/.test(m[1]!)) return;
        const detail = /DETAIL:\s+Parameters: (.*)$/.exec(all[i + 1] ?? "");
        logged.push({ sql: m[1]!.trim(), params: parseParameters(detail?.[1] ?? "") as string[] });
      });
      const distinct = [...new Map(logged.map((l) => [l.sql, l])).values()];
      console.log(`\n## ${view} ${JSON.stringify(variables)}: ${distinct.length} distinct statements`);
      for (const statement of distinct) {
        let planLines: string[];
        try {
          const plan = await admin.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${statement.sql}`, statement.params);
          planLines = plan.rows.map((r) => r["QUERY PLAN"]);
        } catch (error) {
          planLines = [`(not explained: ${error instanceof Error ? error.message : String(error)})`];
        }
        console.log(`\n- ${statement.sql.slice(0, 240)}${statement.sql.length > 240 ? "…" : ""}`);
        const key = full ? planLines : planLines.filter((l, i) => i === 0 || /Seq Scan|Sort Method|Sort  |Execution Time|Planning Time|Buffers: shared/.test(l) && (i === 1 || !/Buffers/.test(l)));
        for (const line of key) console.log(`    ${line}`);
      }
    }
  } finally {
    await admin.end();
    await stack.stop();
    await postgres.stop();
  }
}

await main();
