import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserToken } from "@yhdyspinta/core";
import { bearer, startTestStack, type TestStack } from "./support.ts";

// The bulk import works in chunks (packages/core/src/bulk-import.ts): a few
// set-based reads, one flush and batched link writes per chunk of rows, not
// per row. Counted in SQL statements of the organisations subgraph: a file
// ten times longer costs about as many statements per chunk, far fewer than
// one per row (the regression guard of issue 28; the speed itself is
// measured by bench/src/import-bench.ts, not timed here).

let stack: TestStack;
let coordinator14: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack("import-efficiency");
  coordinator14 = bearer(await mintUserToken(stack.authSecret, { sub: "importer-eff", scope: "data:write", role: "coordinator", counties: ["14"] }));
});

afterAll(async () => {
  await stack?.stop();
});

const CHUNK = 500;

function organisationsCsv(prefix: string, count: number): string {
  const lines = ["Nimi;Tyyppi;Hyvinvointialue;Kunnat;Verkkosivu"];
  for (let i = 0; i < count; i++) lines.push(`${prefix} ${i};association;14;${i % 2 ? "167" : "Ilomantsi"};https://${prefix.replace(/\W+/g, "-")}-${i}.example.org`);
  return `${lines.join("\r\n")}\r\n`;
}

function peopleCsv(prefix: string, organisation: string, count: number): string {
  const lines = ["Nimi;Organisaatio;Sähköposti;Tehtävänimike"];
  for (let i = 0; i < count; i++) lines.push(`${prefix} Henkilö ${i};${organisation};${prefix}-${i}@example.org;Jäsen`);
  return `${lines.join("\r\n")}\r\n`;
}

/** Statements the organisations subgraph sent for one import of `csv`. */
async function statementsOf(kind: string, csv: string, apply: boolean): Promise<{ statements: number; counts: Record<string, number> }> {
  const url = new URL(`import/${kind}`, stack.gatewayUrl);
  url.searchParams.set("file", `${kind}.csv`);
  if (apply) url.searchParams.set("apply", "true");
  await stack.resetStats();
  const res = await fetch(url, { method: "POST", headers: { "content-type": "text/csv", ...coordinator14 }, body: csv });
  const body = (await res.json()) as { counts: Record<string, number> };
  expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(200);
  return { statements: (await stack.stats())["organisations"]!.statements, counts: body.counts };
}

describe("bulk import cost in SQL statements", () => {
  it("grows with the chunks of a file of organisations, not with its rows (created, then unchanged)", async () => {
    const small = 50;
    const large = 2 * CHUNK + 100; // three chunks
    const run = randomBytes(3).toString("hex");
    const createdSmall = await statementsOf("organisations", organisationsCsv(`Tehokkuus ${run} a`, small), true);
    const createdLarge = await statementsOf("organisations", organisationsCsv(`Tehokkuus ${run} b`, large), true);
    expect(createdSmall.counts["created"]).toBe(small);
    expect(createdLarge.counts["created"]).toBe(large);
    // Three chunks cost at most three times one chunk (a row-at-a-time import sends several statements per row).
    expect(createdLarge.statements).toBeLessThanOrEqual(3 * createdSmall.statements);
    expect(createdLarge.statements).toBeLessThan(large / 10);
    const unchanged = await statementsOf("organisations", organisationsCsv(`Tehokkuus ${run} b`, large), false);
    expect(unchanged.counts["unchanged"]).toBe(large);
    expect(unchanged.statements).toBeLessThan(large / 20);
  });

  it("grows with the chunks of a file of people, not with its rows (created, then unchanged)", async () => {
    const run = randomBytes(3).toString("hex");
    const organisation = `Henkilötehokkuus ${run}`;
    await statementsOf("organisations", organisationsCsv(organisation, 1), true);
    const small = 50;
    const large = 2 * CHUNK + 100;
    const createdSmall = await statementsOf("people", peopleCsv(`${run}a`, `${organisation} 0`, small), true);
    const createdLarge = await statementsOf("people", peopleCsv(`${run}b`, `${organisation} 0`, large), true);
    expect(createdSmall.counts["created"]).toBe(small);
    expect(createdLarge.counts["created"]).toBe(large);
    expect(createdLarge.statements).toBeLessThanOrEqual(3 * createdSmall.statements);
    expect(createdLarge.statements).toBeLessThan(large / 10);
    const unchanged = await statementsOf("people", peopleCsv(`${run}b`, `${organisation} 0`, large), false);
    expect(unchanged.counts["unchanged"]).toBe(large);
    expect(unchanged.statements).toBeLessThan(large / 20);
  });

  it("finds what earlier rows of the same chunk created: an organisation named twice, a person by e-mail", async () => {
    const run = randomBytes(3).toString("hex");
    const name = `Samassa erässä ${run}`;
    const organisations = [
      "Nimi;Tyyppi;Hyvinvointialue;Kunnat;Verkkosivu",
      `${name};association;14;167;https://a-${run}.example.org`,
      `${name};association;14;167;https://a-${run}.example.org`,
      `${name};association;14;Ilomantsi;https://b-${run}.example.org`,
    ].join("\r\n");
    const first = await statementsOf("organisations", organisations, true);
    expect(first.counts).toMatchObject({ created: 1, unchanged: 1, updated: 1, refused: 0 });
    const people = [
      "Nimi;Organisaatio;Sähköposti;Tehtävänimike",
      `Eka ${run};${name};eka-${run}@example.org;Jäsen`,
      `Eka ${run};${name};EKA-${run}@example.org;Puheenjohtaja`,
    ].join("\r\n");
    const second = await statementsOf("people", people, true);
    expect(second.counts).toMatchObject({ created: 1, updated: 1, refused: 0 });
    // Again (a dry run): each row against the one before it, as row-at-a-time imports compare, the stored records being the last rows'.
    expect((await statementsOf("organisations", organisations, false)).counts).toMatchObject({ created: 0, updated: 2, unchanged: 1 });
    expect((await statementsOf("people", people, false)).counts).toMatchObject({ created: 0, updated: 2 });
  });
});
