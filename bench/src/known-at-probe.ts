import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startEmbeddedPostgres, withDatabase } from "@yhdyspinta/core";
import { startStack } from "../../packages/stack/src/index.ts";
import { VIEW_NAMES, viewDocument } from "../../views/index.ts";
import { numberOption } from "./cli.ts";
import { median } from "./stats.ts";
import { variableSets } from "./view-variables.ts";

/**
 * What `knownAt` costs with an audit trail of some age: each view answered
 * now, known at an hour ago (after every recorded change) and known at 300
 * days ago (before the last change of every record), on the kept
 * full-Finland dataset of `profile-subgraphs.ts` (`.data/bench-profile/`,
 * made by it). The generated dataset is written without an audit trail, so
 * this gives it one first, once (entries with ids `hist-…`): a CREATE of every
 * group, membership, seat, meeting, person, organisation and measure 400
 * days ago, and an UPDATE of each 200 days ago whose `before` is the row as
 * it is (keyed by property, as the recorder writes it), so the view read at
 * 300 days ago must equal the view now. Prints the median wall time of each
 * (sequential requests, first round left out) and checks the answers match.
 *
 *   tsx --conditions=development bench/src/known-at-probe.ts [--rounds 5]
 */

const rounds = numberOption("rounds", 5);
const root = fileURLToPath(new URL("../../", import.meta.url));

/** Tables and their GraphQL types: the large ones the views read. */
const HISTORY: [string, string][] = [
  ["membership", "GroupMembership"],
  ["group_seat", "GroupSeat"],
  ["meeting", "GroupMeeting"],
  ["cooperation_group", "CooperationGroup"],
  ["person", "Person"],
  ["organisation", "Organisation"],
  ["measure", "Measure"],
];

const HISTORY_SQL = `
create function pg_temp.by_property(row jsonb) returns jsonb language sql as $$
  select jsonb_object_agg(lower(left(replace(initcap(k), '_', ''), 1)) || substr(replace(initcap(k), '_', ''), 2), v) from jsonb_each(row) e(k, v) $$;
insert into change_record (id, changed_at, actor_subject, actor_role, entity_type, entity_id, operation, before, after, changed_fields)
select 'hist-c-' || x.type || '-' || x.id, now() - interval '400 days', 'import', 'admin', x.type, x.id, 'CREATE', null, x.row, '[]'::jsonb
  from (${HISTORY.map(([table, type]) => `select '${type}' as type, id::text as id, pg_temp.by_property(to_jsonb(t)) as row from ${table} t`).join(" union all ")}) x;
insert into change_record (id, changed_at, actor_subject, actor_role, entity_type, entity_id, operation, before, after, changed_fields)
select 'hist-u-' || id, now() - interval '200 days', actor_subject, actor_role, entity_type, entity_id, 'UPDATE', after, after, '[]'::jsonb
  from change_record where id like 'hist-c-%';
analyze change_record;`;

const postgres = await startEmbeddedPostgres({ dataDir: `${root}.data/bench-profile`, persistent: true, fast: true });
const database = withDatabase(postgres.url, "bench");
const stack = await startStack({
  databaseUrl: database,
  internalAuthSecret: randomBytes(32).toString("hex"),
  log: () => {},
  env: { ORGANISATIONS_DATABASE_URL: database, GROUPS_DATABASE_URL: database, PLANNING_DATABASE_URL: database },
});
try {
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    const groups = Number((await client.query<{ n: string }>("select count(*) as n from cooperation_group where id like 'syn-%'")).rows[0]!.n);
    if (groups === 0) throw new Error("no generated dataset in .data/bench-profile: run profile-subgraphs.ts once first");
    const history = Number((await client.query<{ n: string }>("select count(*) as n from change_record where id like 'hist-%'")).rows[0]!.n);
    if (history === 0) {
      console.log("writing the audit trail's history once…");
      await client.query(HISTORY_SQL);
    }
    const trail = (await client.query<{ n: string }>("select count(*) as n from change_record")).rows[0]!.n;
    console.log(`audit trail: ${trail} entries; load average ${(await import("node:os")).loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  } finally {
    await client.end();
  }
  const instants: [string, string | undefined][] = [
    ["now", undefined],
    ["an hour ago", new Date(Date.now() - 3_600_000).toISOString()],
    ["300 days ago", new Date(Date.now() - 300 * 86_400_000).toISOString()],
  ];
  console.log(`| view | ${instants.map(([label]) => label).join(" | ")} |\n|---|${instants.map(() => "---:").join("|")}|`);
  for (const view of VIEW_NAMES) {
    const body = JSON.stringify({ query: viewDocument(view), variables: variableSets(view)[0] });
    const times = instants.map((): number[] => []);
    const answers = new Set<string>();
    for (let round = 0; round <= rounds; round++) {
      for (const [i, [, knownAt]] of instants.entries()) {
        const began = performance.now();
        const response = await fetch(stack.gatewayUrl, { method: "POST", headers: { "content-type": "application/json", ...(knownAt ? { "known-at": knownAt } : {}) }, body });
        const text = await response.text();
        if (!response.ok || (JSON.parse(text) as { errors?: unknown }).errors) throw new Error(`${view} (${instants[i]![0]}): ${text.slice(0, 300)}`);
        if (round > 0) times[i]!.push(performance.now() - began);
        answers.add(text);
      }
    }
    if (answers.size !== 1) throw new Error(`${view}: the answers known at the three instants differ`);
    console.log(`| ${view} | ${times.map((t) => `${median(t).toFixed(0)} ms`).join(" | ")} |`);
  }
} finally {
  await stack.stop();
  await postgres.stop();
}
