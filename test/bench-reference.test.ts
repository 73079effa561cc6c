import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { withDatabase } from "@yhdyspinta/core";
import { testPostgresUrl } from "@yhdyspinta/core/testing";
import { compareWithReference } from "../bench/src/answers.ts";
import { generateDataset, SYNTHETIC_PREFIX } from "../bench/src/generate.ts";
import { variableSets } from "../bench/src/view-variables.ts";
import { VIEW_NAMES, viewDocument } from "../views/index.ts";
import { startTestStack, type TestStack } from "./support.ts";

// The benchmark divides ours by a hand-written SQL reference, which means
// something only while both answer the same. `pnpm bench` checks this before
// it measures; this test checks it at every commit, so that a view gaining a
// field or a rule cannot leave the reference behind unnoticed: the three
// services on one database (as in the benchmark), synthetic Pohjois-Karjala,
// every view's variable sets for it through the gateway and through the
// reference query, compared answer by answer.

const COUNTY = "14";
let stack: TestStack | undefined;
const database = withDatabase(testPostgresUrl(), `bench_reference_${randomBytes(3).toString("hex")}`);

afterAll(async () => {
  await stack?.stop();
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${client.escapeIdentifier(new URL(database).pathname.slice(1))} with (force)`);
  } finally {
    await client.end();
  }
});

describe("the benchmark's reference", () => {
  it("answers every view's variable sets as the gateway does", { timeout: 300_000 }, async () => {
    stack = await startTestStack("benchref", { env: { ORGANISATIONS_DATABASE_URL: database, GROUPS_DATABASE_URL: database, PLANNING_DATABASE_URL: database } });
    await generateDataset({ organisations: database, groups: database, planning: database }, { seed: 42, scale: 1, countyCodes: [COUNTY] });
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      const differences: string[] = [];
      const withSynthetic = new Set<string>();
      let compared = 0;
      for (const view of VIEW_NAMES) {
        const sets = await compareWithReference(view, variableSets(view, [COUNTY]), async (variables) => {
          const ours = await stack!.query(viewDocument(view), variables);
          expect(ours.errors, view).toBeUndefined();
          return ours.data;
        }, client);
        for (const set of sets) {
          if (set.difference) differences.push(`${view} ${JSON.stringify(set.variables)}: ${set.difference}`);
          if (JSON.stringify(set.ours).includes(SYNTHETIC_PREFIX)) withSynthetic.add(view);
        }
        compared += sets.length;
      }
      expect(differences).toEqual([]);
      expect(compared).toBeGreaterThanOrEqual(VIEW_NAMES.length * 5);
      // Not vacuous: every view answers with generated rows, not only empty lists.
      expect([...withSynthetic].sort()).toEqual([...VIEW_NAMES].sort());
    } finally {
      await client.end();
    }
  });
});
