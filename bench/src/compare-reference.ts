import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startEmbeddedPostgres, withDatabase } from "@yhdyspinta/core";
import { startStack } from "../../packages/stack/src/index.ts";
import { VIEW_NAMES, type ViewName, viewDocument } from "../../views/index.ts";
import { firstDifference } from "./answers.ts";
import { REFERENCE_QUERIES } from "./reference-queries.ts";
import { variableSets } from "./view-variables.ts";

/**
 * The reference's answers against ours: every view's variable sets through the gateway and
 * through the view's reference SQL (`reference-queries.ts`), on the kept full-Finland dataset
 * of `profile-subgraphs.ts` (`.data/bench-profile/`, generated there on first use), printing
 * the first difference per set. `pnpm bench` makes the same check before it measures a view
 * and stops at a difference; this finds them all without a run.
 *
 *   pnpm --filter @yhdyspinta/bench compare:reference [-- view,view]
 *
 * BENCH_DATABASE_URL and BENCH_GATEWAY_URL use a database and gateway already running instead;
 * COMPARE_DUMP=<dir> writes each view's first differing pair of answers there.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const viewArg = process.argv.slice(2).find((a) => a !== "--");
const views = (viewArg?.split(",") ?? VIEW_NAMES) as ViewName[];

const external = process.env["BENCH_DATABASE_URL"];
const postgres = external ? null : await startEmbeddedPostgres({ dataDir: `${root}.data/bench-profile`, persistent: true, fast: true });
const database = external ?? withDatabase(postgres!.url, "bench");
const gatewayUrl = process.env["BENCH_GATEWAY_URL"];
const stack = gatewayUrl ? null : await startStack({
  databaseUrl: database,
  internalAuthSecret: randomBytes(32).toString("hex"),
  log: () => {},
  env: { ORGANISATIONS_DATABASE_URL: database, GROUPS_DATABASE_URL: database, PLANNING_DATABASE_URL: database },
});
const pool = new pg.Pool({ connectionString: database, max: 2 });
try {
  const year = Number((await pool.query<{ y: number }>("select max(year) as y from municipality")).rows[0]!.y);
  const today = new Date().toISOString().slice(0, 10);
  for (const view of views) {
    let same = 0;
    const diffs: string[] = [];
    for (const variables of variableSets(view)) {
      const ours = (await (await fetch(gatewayUrl ?? stack!.gatewayUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: viewDocument(view), variables }) })).json()) as { data: unknown; errors?: unknown };
      if (ours.errors) throw new Error(`${view}: ${JSON.stringify(ours.errors)}`);
      const q = REFERENCE_QUERIES[view];
      const ref = (await pool.query<{ data: unknown }>(q.sql, q.params(variables, { year, today }))).rows[0]?.data;
      const d = firstDifference(ours.data, ref);
      if (!d) {
        same++;
        continue;
      }
      diffs.push(`${JSON.stringify(variables)}: ${d}`);
      const dump = process.env["COMPARE_DUMP"];
      if (dump && diffs.length === 1) {
        mkdirSync(dump, { recursive: true });
        writeFileSync(`${dump}/${view}.ours.json`, JSON.stringify(ours.data, null, 1));
        writeFileSync(`${dump}/${view}.reference.json`, JSON.stringify(ref, null, 1));
      }
    }
    console.log(`${view}: ${same} equal, ${diffs.length} differ`);
    for (const d of diffs.slice(0, 3)) console.log(`  ${d}`);
  }
} finally {
  await pool.end();
  await stack?.stop();
  await postgres?.stop();
}
