import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startEmbeddedPostgres, withDatabase } from "@yhdyspinta/core";
import { numberOption } from "./cli.ts";

/**
 * PostgreSQL's CPU per statement for a loader batch by key sent as new text
 * each time (as MikroORM sends it: values written into the text) against a
 * named prepared statement with bound values, on the kept full-Finland
 * dataset of `profile-subgraphs.ts` (`.data/bench-profile/`, made by it).
 * One connection, the backend's CPU from `/proc`, three rounds per case, the
 * last printed.
 *
 *   tsx --conditions=development bench/src/prepared-probe.ts [--statements 3000] [--keys 20]
 */

const statements = numberOption("statements", 3000);
const keyCount = numberOption("keys", 20);
const root = fileURLToPath(new URL("../../", import.meta.url));

const postgres = await startEmbeddedPostgres({ dataDir: `${root}.data/bench-profile`, persistent: true, fast: true });
const client = new pg.Client({ connectionString: withDatabase(postgres.url, "bench") });
await client.connect();
try {
  const pid = (await client.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
  // utime + stime of the backend, in ms (USER_HZ 100).
  const backendCpuMs = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  const ids = (await client.query<{ id: string }>("select id from organisation order by id limit $1", [keyCount])).rows.map((r) => r.id);
  if (ids.length === 0) throw new Error("no organisations: run profile-subgraphs.ts once to generate the dataset");
  // Each statement asks a slightly different batch, as loaders do.
  const batch = (i: number) => ids.map((id, k) => (k === 0 ? ids[i % ids.length]! : id));
  const literal = (values: string[]) => values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ");
  const cases: Record<string, (i: number) => Promise<unknown>> = {
    "values in the text (the ORM)": (i) => client.query(`select * from "organisation" where "id" in (${literal(batch(i))})`),
    "bound, unnamed": (i) => client.query(`select * from "organisation" where "id" = any($1)`, [batch(i)]),
    "bound, named (prepared)": (i) => client.query({ name: "probe", text: `select * from "organisation" where "id" = any($1)`, values: [batch(i)] }),
  };
  for (let round = 0; round < 3; round += 1) {
    for (const [name, run] of Object.entries(cases)) {
      const cpuBefore = backendCpuMs();
      const started = performance.now();
      for (let i = 0; i < statements; i += 1) await run(i);
      if (round === 2) {
        console.log(`${name}: PostgreSQL ${((1000 * (backendCpuMs() - cpuBefore)) / statements).toFixed(1)} µs of CPU per statement, ${((1000 * (performance.now() - started)) / statements).toFixed(0)} µs wall`);
      }
    }
  }
} finally {
  await client.end();
  await postgres.stop();
}
