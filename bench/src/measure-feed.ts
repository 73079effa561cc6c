/**
 * Change feed throughput on a throw-away stack: writes `--changes` audit rows
 * (default 100,000) into the organisations database the way the write paths
 * do (rows of `change_record`, numbered into `change_outbox` by its trigger
 * at commit, in batches of 10,000 per transaction), then pages the whole feed
 * through the gateway's `GET /changes` as an admin, `--page` changes at a time
 * (default 500, the most a page takes), and reports changes per second and
 * the memory of the client, the gateway and the subgraph: each page is read
 * with a limit in the outbox's key order, so memory stays that of one page
 * however long the feed.
 *
 * `pnpm --filter @yhdyspinta/bench measure:feed -- [--changes 100000] [--page 500]`
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { databaseName, mintUserToken, withDatabase } from "@yhdyspinta/core";
import { startStack } from "../../packages/stack/src/index.ts";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: { changes: { type: "string", default: "100000" }, page: { type: "string", default: "500" } },
});
const total = Number(values.changes);
const pageSize = Number(values.page);
const BATCH = 10_000;

/** Resident set size now and at its peak (VmHWM) of a process, in MiB (Linux /proc). */
function memoryOf(pid: number | undefined): { rss: number; peak: number } | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
  } catch {
    return null;
  }
}
/** V8 heap in use of a service, in MiB, from its /metrics (prom-client's default metrics). */
async function heapOf(url: string): Promise<string> {
  try {
    const text = await (await fetch(new URL("metrics", url))).text();
    const bytes = Number(/^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1]);
    return Number.isFinite(bytes) ? `heap ${(bytes / 1024 / 1024).toFixed(0)} MiB` : "heap n/a";
  } catch {
    return "heap n/a";
  }
}
const mib = (m: { rss: number; peak: number } | null) => (m ? `RSS ${m.rss.toFixed(0)} MiB (peak ${m.peak.toFixed(0)} MiB)` : "n/a");

const jwtSecret = randomBytes(32).toString("hex");
const stack = await startStack({ ephemeral: true, ports: { gateway: 0, organisations: 0, groups: 0, planning: 0 }, auth: { jwtSecret }, log: () => undefined });
try {
  const token = await mintUserToken(jwtSecret, { sub: "feed-bench", scope: "", role: "admin" });
  const client = new pg.Client({ connectionString: withDatabase(stack.databaseUrl, `${databaseName(stack.databaseUrl)}_organisations`) });
  await client.connect();
  const writeStarted = performance.now();
  for (let done = 0; done < total; done += BATCH) {
    const n = Math.min(BATCH, total - done);
    // One organisation's edit per row, in county 14: the same shape as a write path's UPDATE change.
    await client.query(
      `insert into change_record (id, changed_at, actor_subject, actor_role, entity_type, entity_id, operation, before, after, changed_fields)
       select 'bench-change-' || ($1::int + i), now(), 'bench', 'admin', 'Organisation', 'bench-org-' || (($1::int + i) % 5000), 'UPDATE',
              jsonb_build_object('name', 'Vertailuyhdistys ' || ($1::int + i - 1), 'countyCode', '14'),
              jsonb_build_object('name', 'Vertailuyhdistys ' || ($1::int + i), 'countyCode', '14'), '["name"]'::jsonb
       from generate_series(1, $2::int) as i`,
      [done, n],
    );
  }
  const writeMs = performance.now() - writeStarted;
  const outbox = (await client.query<{ n: string }>(`select count(*)::text as n from change_outbox`)).rows[0]!.n;
  await client.end();
  console.log(`wrote ${total} changes (${outbox} outbox rows) in ${(writeMs / 1000).toFixed(1)} s (${Math.round(total / (writeMs / 1000))}/s, batches of ${BATCH})`);

  const pids = stack.pids();
  const before = { gateway: memoryOf(pids["gateway"]), organisations: memoryOf(pids["organisations"]) };
  let cursor: string | null = null;
  let read = 0;
  let pages = 0;
  let clientPeak = 0;
  const slowest: number[] = [];
  const quarters: string[] = [];
  const started = performance.now();
  for (;;) {
    const url = new URL("changes", stack.gatewayUrl);
    url.searchParams.set("first", String(pageSize));
    if (cursor) url.searchParams.set("after", cursor);
    const pageStarted = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET /changes answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { edges: unknown[]; pageInfo: { endCursor: string; hasNextPage: boolean } };
    slowest.push(performance.now() - pageStarted);
    read += body.edges.length;
    pages += 1;
    cursor = body.pageInfo.endCursor;
    clientPeak = Math.max(clientPeak, process.memoryUsage().heapUsed);
    // Memory at each quarter of the feed: flat from quarter to quarter is memory bounded by the page, not the feed.
    if (Math.floor((read * 4) / total) > Math.floor(((read - body.edges.length) * 4) / total)) {
      quarters.push(
        `${Math.round((read * 100) / total)} %: gateway ${mib(memoryOf(pids["gateway"]))}, ${await heapOf(stack.gatewayUrl)}; ` +
          `organisations ${mib(memoryOf(pids["organisations"]))}, ${await heapOf(stack.subgraphUrls.organisations)}`,
      );
    }
    if (!body.pageInfo.hasNextPage) break;
  }
  const ms = performance.now() - started;
  slowest.sort((a, b) => a - b);
  const after = { gateway: memoryOf(pids["gateway"]), organisations: memoryOf(pids["organisations"]) };
  console.log(`paged ${read} changes in ${pages} pages of ${pageSize} in ${(ms / 1000).toFixed(1)} s: ${Math.round(read / (ms / 1000))} changes/s`);
  console.log(`page latency ms: p50 ${slowest[Math.floor(slowest.length / 2)]!.toFixed(0)}, p95 ${slowest[Math.floor(slowest.length * 0.95)]!.toFixed(0)}, max ${slowest.at(-1)!.toFixed(0)}`);
  console.log(`client heap peak ${(clientPeak / 1024 / 1024).toFixed(0)} MiB`);
  console.log(`gateway: before ${mib(before.gateway)}, after ${mib(after.gateway)}`);
  console.log(`organisations subgraph: before ${mib(before.organisations)}, after ${mib(after.organisations)}`);
  for (const line of quarters) console.log(`  after ${line}`);
} finally {
  await stack.stop();
}
