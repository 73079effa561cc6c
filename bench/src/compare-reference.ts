import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import pg from "pg";
import { startEmbeddedPostgres, withDatabase } from "@yhdyspinta/core";
import { startStack } from "../../packages/stack/src/index.ts";
import { VIEW_NAMES, type ViewName, viewDocument } from "../../views/index.ts";
import { REFERENCE_QUERIES } from "./reference-queries.ts";
import { variableSets } from "./view-variables.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const views = (process.argv[2]?.split(",") ?? VIEW_NAMES) as ViewName[];

function firstDifference(a: unknown, b: unknown, path = "data"): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (a && b && typeof a === "object" && typeof b === "object") {
    if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
    if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) return `${path}: length ${a.length} vs ${b.length}`;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      if (!(k in a)) return `${path}.${k}: missing in ours`;
      if (!(k in b)) return `${path}.${k}: missing in the reference`;
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
}

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
      if (d) diffs.push(`${JSON.stringify(variables)}: ${d}`);
      const dump = process.env["COMPARE_DUMP"];
      if (d && dump && diffs.length === 1) {
        mkdirSync(dump, { recursive: true });
        writeFileSync(`${dump}/${view}.ours.json`, JSON.stringify(ours.data, null, 1));
        writeFileSync(`${dump}/${view}.reference.json`, JSON.stringify(ref, null, 1));
      }
      else same++;
    }
    console.log(`${view}: ${same} equal, ${diffs.length} differ`);
    for (const d of diffs.slice(0, 3)) console.log(`  ${d}`);
  }
} finally {
  await pool.end();
  await stack?.stop();
  await postgres?.stop();
}
