import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startEmbeddedPostgres, withDatabase } from "@yhdyspinta/core";
import { startStack } from "../../packages/stack/src/index.ts";
import { VIEW_NAMES, type ViewName, viewDocument } from "../../views/index.ts";
import { compareWithReference } from "./answers.ts";
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
  const ask = async (view: ViewName, variables: Record<string, unknown>) => {
    const res = await fetch(gatewayUrl ?? stack!.gatewayUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: viewDocument(view), variables }) });
    const answer = (await res.json()) as { data: unknown; errors?: unknown };
    if (answer.errors) throw new Error(`${view}: ${JSON.stringify(answer.errors)}`);
    return answer.data;
  };
  for (const view of views) {
    const compared = await compareWithReference(view, variableSets(view), (variables) => ask(view, variables), pool);
    const differing = compared.filter((c) => c.difference);
    const dump = process.env["COMPARE_DUMP"];
    if (dump && differing[0]) {
      mkdirSync(dump, { recursive: true });
      writeFileSync(`${dump}/${view}.ours.json`, JSON.stringify(differing[0].ours, null, 1));
      writeFileSync(`${dump}/${view}.reference.json`, JSON.stringify(differing[0].reference, null, 1));
    }
    console.log(`${view}: ${compared.length - differing.length} equal, ${differing.length} differ`);
    for (const c of differing.slice(0, 3)) console.log(`  ${JSON.stringify(c.variables)}: ${c.difference}`);
  }
} finally {
  await pool.end();
  await stack?.stop();
  await postgres?.stop();
}
