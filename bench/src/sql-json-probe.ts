import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { anonymousViewer, signViewer, startEmbeddedPostgres, VIEWER_HEADER, withDatabase } from "@yhdyspinta/core";
import { startStack } from "../../packages/stack/src/index.ts";
import { numberOption } from "./cli.ts";
import { cpuByRole, cpuDelta, stackRole } from "./cpu.ts";
import { median } from "./stats.ts";

/**
 * Issue 33's question before compiling selections to SQL: what would one
 * statement that builds a subgraph's part of a view as JSON cost, against the
 * subgraph answering the same part through its resolvers and loaders today?
 * Plan follow-up's two heavy subgraph fetches, on the kept full-Finland
 * dataset of `profile-subgraphs.ts` (`.data/bench-profile/`, made by it):
 *
 * - planning: `_entities` of one county with `measureFollowUp` (cells,
 *   measures, references to organisations and groups), as the gateway asks it;
 * - organisations: `_entities` of the county's responsible organisations.
 *
 * Side A sends the subgraph operation to the subgraph (signed as the gateway
 * signs it) and counts the subgraph's and PostgreSQL's CPU per request; side B
 * runs one statement building the same JSON (returned as text, as a subgraph
 * would pass it through) and counts PostgreSQL's and this process's CPU. The
 * sides alternate in rounds; medians are printed.
 *
 *   tsx --conditions=development bench/src/sql-json-probe.ts [--requests 100] [--rounds 5]
 */

const requests = numberOption("requests", 100);
const rounds = numberOption("rounds", 5);
const root = fileURLToPath(new URL("../../", import.meta.url));


const PLANNING_OPERATION = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on WellbeingServicesCounty {
  measureFollowUp { status count theme { id name } municipality { __typename code }
    measures { id title status responsibleOrganisations { __typename id } responsibleGroups { __typename id } } } } } }`;

const PLANNING_SQL = `select coalesce(json_agg(json_build_object(
    'status', upper(cell.status), 'count', cell.n,
    'theme', (select json_build_object('id', t.id, 'name', t.name) from theme t where t.id = cell.theme_id),
    'municipality', case when cell.municipality_code is null then null else json_build_object('__typename', 'Municipality', 'code', cell.municipality_code) end,
    'measures', cell.measures
  ) order by cell.theme_id, cell.municipality_code, cell.status), '[]'::json)::text as data
  from (
    select g.theme_id, p.municipality_code, ms.status, count(*) as n,
      json_agg(json_build_object('id', ms.id, 'title', ms.title, 'status', upper(ms.status),
        'responsibleOrganisations', (select coalesce(json_agg(json_build_object('__typename', 'Organisation', 'id', o)), '[]'::json) from unnest(ms.organisation_ids) o),
        'responsibleGroups', (select coalesce(json_agg(json_build_object('__typename', 'CooperationGroup', 'id', cg)), '[]'::json) from unnest(ms.group_ids) cg)
      ) order by ms.title, ms.id) as measures
    from measure ms
    left join wellbeing_goal g on g.id = ms.goal_id
    left join wellbeing_plan p on p.id = g.plan_id
    where ms.county_code = $1
    group by g.theme_id, p.municipality_code, ms.status) cell`;

const ORGANISATIONS_OPERATION = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organisation { id allIds name kind } } }`;

const ORGANISATIONS_SQL = `select coalesce(json_agg(json_build_object('__typename', 'Organisation', 'id', o.id,
    'allIds', array_prepend(o.id, coalesce((select array_agg(m.id order by m.id) from organisation m where m.merged_into = o.id), '{}')),
    'name', o.name, 'kind', upper(o.kind)) order by array_position($1::varchar[], o.id)), '[]'::json)::text as data
  from organisation o where o.id = any($1::varchar[])`;


async function main(): Promise<void> {
  const postgres = await startEmbeddedPostgres({ dataDir: `${root}.data/bench-profile`, persistent: true, fast: true });
  const database = withDatabase(postgres.url, "bench");
  const secret = randomBytes(32).toString("hex");
  const stack = await startStack({
    databaseUrl: database,
    internalAuthSecret: secret,
    log: () => {},
    env: { ORGANISATIONS_DATABASE_URL: database, GROUPS_DATABASE_URL: database, PLANNING_DATABASE_URL: database },
  });
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    const counties = (await client.query<{ code: string }>("select distinct county_code as code from measure order by 1")).rows.map((r) => r.code);
    if (counties.length === 0) throw new Error("no measures: run profile-subgraphs.ts once to generate the dataset");
    const orgIds = new Map<string, string[]>();
    for (const code of counties) {
      const ids = (await client.query<{ id: string }>("select distinct o as id from measure m, unnest(m.organisation_ids) o where m.county_code = $1 order by 1", [code])).rows.map((r) => r.id);
      orgIds.set(code, ids);
    }
    const viewer = await signViewer(anonymousViewer, secret);
    const post = async (service: string, query: string, variables: unknown): Promise<number> => {
      const response = await fetch(stack.subgraphUrls[service as "planning"]!, {
        method: "POST",
        headers: { "content-type": "application/json", [VIEWER_HEADER]: viewer },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      if (!response.ok || text.includes('"errors"')) throw new Error(`${service}: ${response.status} ${text.slice(0, 300)}`);
      return text.length;
    };
    const parts = [
      {
        name: "planning: measureFollowUp of a county",
        service: "planning",
        a: (code: string) => post("planning", PLANNING_OPERATION, { representations: [{ __typename: "WellbeingServicesCounty", code }] }),
        b: async (code: string) => (await client.query<{ data: string }>(PLANNING_SQL, [code])).rows[0]!.data.length,
      },
      {
        name: "organisations: the county's responsible organisations",
        service: "organisations",
        a: (code: string) => post("organisations", ORGANISATIONS_OPERATION, { representations: orgIds.get(code)!.map((id) => ({ __typename: "Organisation", id })) }),
        b: async (code: string) => (await client.query<{ data: string }>(ORGANISATIONS_SQL, [orgIds.get(code)!])).rows[0]!.data.length,
      },
    ];
    for (const part of parts) {
      const a: number[] = [];
      const b: number[] = [];
      let bytesA = 0;
      let bytesB = 0;
      for (let i = 0; i < 20; i += 1) {
        await part.a(counties[i % counties.length]!);
        await part.b(counties[i % counties.length]!);
      }
      for (let round = 0; round < rounds; round += 1) {
        for (const side of ["a", "b"] as const) {
          const before = cpuByRole(stackRole);
          const self = process.cpuUsage();
          let bytes = 0;
          for (let i = 0; i < requests; i += 1) bytes += await part[side](counties[i % counties.length]!);
          const used = process.cpuUsage(self);
          const delta = cpuDelta(before, cpuByRole(stackRole));
          const ms = (seconds: number) => (1000 * seconds) / requests;
          const total = side === "a" ? ms((delta.get(part.service) ?? 0) + (delta.get("postgres") ?? 0)) : ms(delta.get("postgres") ?? 0) + (used.user + used.system) / 1000 / requests;
          (side === "a" ? a : b).push(total);
          if (side === "a") bytesA = bytes / requests;
          else bytesB = bytes / requests;
        }
      }
      console.log(
        `${part.name}: resolvers ${median(a).toFixed(2)} ms (${a.map((x) => x.toFixed(1)).join(", ")}), one SQL statement ${median(b).toFixed(2)} ms (${b.map((x) => x.toFixed(1)).join(", ")}) of CPU per request; ` +
          `${(median(a) / median(b)).toFixed(2)}×; ${Math.round(bytesA)} / ${Math.round(bytesB)} bytes`,
      );
    }
  } finally {
    await client.end();
    await stack.stop();
    await postgres.stop();
  }
}

await main();
