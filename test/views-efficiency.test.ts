import { afterAll, describe, expect, it } from "vitest";
import { serviceDatabaseUrl } from "@yhdyspinta/core";
import { generateDataset } from "../bench/src/generate.ts";
import { VIEW_NAMES, type ViewName, viewDocument } from "../views/index.ts";
import { startTestStack, type TestStack } from "./support.ts";

// The cost of each dashboard view must not grow with the data beyond the
// rows it returns: the same number of SQL statements in every subgraph and
// the same number of subgraph fetches (operations the subgraphs serve) on a
// synthetic Pohjois-Karjala of scale 1 and of scale 10. Both datasets come
// from the generator with the same seed; scale 1 already fills every branch
// the views select (members, themes, nominations, meetings, measures), so
// that the gateway's plan runs every fetch on both.

const COUNTY = "14";
const VARIABLES: Record<ViewName, Record<string, unknown>> = {
  "partnership-groups-by-municipality": { countyCodes: [COUNTY], activeOn: "2026-03-01" },
  "coverage-matrix": { countyCode: COUNTY },
  "nomination-status": { countyCode: COUNTY, closedSince: "2020-01-01" },
  "meeting-calendar": { countyCode: COUNTY, from: "2024-01-01", to: "2026-12-31" },
  representation: { countyCode: COUNTY, activeOn: "2026-03-01" },
  "plan-follow-up": { countyCode: COUNTY },
};

interface Measured {
  cost: Record<string, { statements: number; operations: number }>;
  bytes: number;
}

const stacks: TestStack[] = [];

async function measureAtScale(scale: number): Promise<Record<ViewName, Measured>> {
  const stack = await startTestStack(`scale${scale}`);
  stacks.push(stack);
  const env = { DATABASE_URL: stack.databaseUrl };
  await generateDataset(
    {
      organisations: serviceDatabaseUrl("organisations", env)!,
      groups: serviceDatabaseUrl("groups", env)!,
      planning: serviceDatabaseUrl("planning", env)!,
    },
    { seed: 7, scale, countyCodes: [COUNTY] },
  );
  const measured = {} as Record<ViewName, Measured>;
  for (const view of VIEW_NAMES) {
    const document = viewDocument(view);
    await stack.query(document, VARIABLES[view]); // warm-up: first-request work is not the view's cost
    await stack.resetStats();
    const res = await stack.query(document, VARIABLES[view]);
    expect(res.errors, view).toBeUndefined();
    measured[view] = { cost: await stack.stats(), bytes: JSON.stringify(res.data).length };
  }
  await stack.stop();
  stacks.splice(stacks.indexOf(stack), 1);
  return measured;
}

afterAll(async () => {
  for (const stack of stacks) await stack.stop();
});

describe("dashboard views cost the same at 1× and 10× data", () => {
  it("runs every view with equal SQL statements and subgraph fetches per subgraph", { timeout: 300_000 }, async () => {
    const small = await measureAtScale(1);
    const large = await measureAtScale(10);
    for (const view of VIEW_NAMES) {
      // The larger dataset really answers with more (some views: far more) rows…
      expect(large[view].bytes, view).toBeGreaterThan(small[view].bytes);
      // …for exactly the same work.
      expect(large[view].cost, view).toEqual(small[view].cost);
      const total = Object.values(small[view].cost).reduce((n, s) => n + s.statements, 0);
      expect(total, view).toBeGreaterThan(0);
    }
    console.log(
      "statements/fetches per view (organisations, groups, planning):\n" +
        VIEW_NAMES.map(
          (v) => `  ${v}: ${Object.entries(small[v].cost).map(([s, c]) => `${s} ${c.statements}/${c.operations}`).join(", ")} — ${small[v].bytes} vs ${large[v].bytes} bytes`,
        ).join("\n"),
    );
  });
});
