/**
 * Measures the generator on a throw-away stack: starts an ephemeral embedded
 * PostgreSQL with the three subgraphs and the gateway (migrations and demo
 * data), generates, then times the dashboard's county query through the
 * gateway. `tsx src/measure-generate.ts [--scale finland|<n>] [--seed 42] [--county 19]`
 */
import { parseArgs } from "node:util";
import { graphqlRequest } from "@yhdyspinta/core/testing";
import { startStack } from "../../packages/stack/src/index.ts";
import { databaseName, withDatabase } from "@yhdyspinta/core";
import { generateDataset } from "./generate.ts";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== "--"),
  options: {
    scale: { type: "string", default: "finland" },
    seed: { type: "string", default: "42" },
    county: { type: "string", default: "19" },
  },
});
const scale = values.scale === "finland" ? "finland" : Number(values.scale);

/** The question every dashboard starts from (DESIGN.md), for one county. */
export const COUNTY_DASHBOARD_QUERY = /* GraphQL */ `
  query PartnershipGroupsByMunicipality($code: ID!) {
    county(code: $code) {
      nameFi
      municipalities {
        code nameFi
        cooperationGroups(kind: PARTNERSHIP_GROUP) {
          name area { name }
          memberships { role person { name } organisation { name kind } }
          themes { name }
        }
      }
    }
  }
`;

const stack = await startStack({ ephemeral: true, ports: { gateway: 0, organisations: 0, groups: 0, planning: 0 }, log: () => undefined });
try {
  const db = (name: string) => withDatabase(stack.databaseUrl, `${databaseName(stack.databaseUrl)}_${name}`);
  const targets = { organisations: db("organisations"), groups: db("groups"), planning: db("planning") };
  const result = await generateDataset(targets, { seed: Number(values.seed), scale });
  console.log(JSON.stringify(result.counts, null, 2));
  const total = Object.values(result.counts).reduce((sum, t) => sum + Object.values(t).reduce((a, b) => a + b, 0), 0);
  console.log(`generated ${total} rows in ${(result.millis / 1000).toFixed(1)} s (counties ${result.counties.join(" ")})`);

  const timings: number[] = [];
  let summary = "";
  for (let i = 0; i < 6; i++) {
    const started = performance.now();
    const response = await graphqlRequest<{
      county: { municipalities: { cooperationGroups: { memberships: unknown[] }[] }[] } | null;
    }>(stack.gatewayUrl, COUNTY_DASHBOARD_QUERY, { code: values.county });
    timings.push(performance.now() - started);
    if (response.errors?.length) throw new Error(JSON.stringify(response.errors.slice(0, 3)));
    const municipalities = response.data?.county?.municipalities ?? [];
    const groups = municipalities.reduce((n, m) => n + m.cooperationGroups.length, 0);
    const memberships = municipalities.reduce((n, m) => n + m.cooperationGroups.reduce((k, g) => k + g.memberships.length, 0), 0);
    summary = `${municipalities.length} municipalities, ${groups} municipality × partnership-group pairs, ${memberships} memberships`;
  }
  console.log(`county ${values.county} dashboard query: ${summary}`);
  console.log(`latency ms: first ${timings[0]!.toFixed(0)}, then ${timings.slice(1).map((t) => t.toFixed(0)).join(", ")}`);
} finally {
  await stack.stop();
}
