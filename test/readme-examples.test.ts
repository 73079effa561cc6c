import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserToken, serviceDatabaseUrl, SERVICE_NAMES } from "@yhdyspinta/core";
import { graphqlRequest } from "@yhdyspinta/core/testing";
import { generateDataset, type GenerateTargets } from "../bench/src/generate.ts";
import { codeBlocks, graphqlExamples, type GraphQLExample } from "./markdown.ts";
import { bearer, startTestStack, type TestStack } from "./support.ts";

// Every ```graphql example of the README, as written there, through the
// gateway on the data `DEMO_SYNTHETIC=true pnpm start` serves (the seeds
// plus the synthetic dataset, seed 42, scale 1, counties 08 and 14), as the
// development coordinator of county 14 `pnpm start` prints a token for.
// An example must answer without errors and with data in every root field.

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const examples = graphqlExamples(readme);

/** The README's HTTP examples: `curl '<url>'` lines and bare URLs of its shell and plain blocks, placeholders (`<…>`) and downloads (`-o`) aside. */
const httpExamples = codeBlocks(readme)
  .filter((block) => block.lang === "sh" || block.lang === "")
  .flatMap((block) => block.text.split("\n"))
  .map((line) => line.trim())
  .filter((line) => /^(curl |http:\/\/)/.test(line) && !line.includes("<") && !/\s-o\s/.test(line))
  .map((line) => ({
    line,
    url: /(?:^|')(http:\/\/(?:127\.0\.0\.1|localhost):4000\/[^'\s]*)/.exec(line)![1]!,
    withToken: line.includes("$TOKEN"),
  }));

let stack: TestStack;
let coordinator: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack("readme");
  const targets = Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, serviceDatabaseUrl(name, { DATABASE_URL: stack.databaseUrl })!]),
  ) as GenerateTargets;
  await generateDataset(targets, { seed: 42, scale: 1, countyCodes: ["08", "14"], replace: true });
  coordinator = bearer(
    await mintUserToken(stack.authSecret, { sub: "dev-coordinator-14", scope: "contacts:read data:write", role: "coordinator", counties: ["14"] }),
  );
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

/** Whether a value holds anything: a scalar, or a list or object with something in it. */
function hasContent(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.some(hasContent);
  if (typeof value === "object") return Object.values(value).some(hasContent);
  return true;
}

/** What is wrong with an example's answer (nothing: an empty list). */
async function problemsOf(example: GraphQLExample): Promise<string[]> {
  const url = new URL(example.endpoint.replace(/^\//, ""), stack.gatewayUrl).href;
  const res = await graphqlRequest<Record<string, unknown>>(url, example.query, example.variables, coordinator);
  const problems = (res.errors ?? []).map((e) => `error: ${e.message}`);
  if (!res.data) return [...problems, "no data"];
  for (const [field, value] of Object.entries(res.data)) {
    if (!hasContent(value)) problems.push(`${field} came back empty: ${JSON.stringify(value)}`);
  }
  return problems;
}

describe("the README's GraphQL and HTTP examples", () => {
  it("has examples to run, among them a mutation and one on the public contract", () => {
    expect(httpExamples.map((e) => e.url)).toEqual(expect.arrayContaining([expect.stringContaining("/exports/"), expect.stringContaining("/calendar/"), expect.stringContaining("/changes")]));
    expect(examples.length).toBeGreaterThanOrEqual(5);
    expect(examples.some((e) => /^\s*mutation\b/m.test(e.query))).toBe(true);
    expect(examples.some((e) => e.endpoint === "/public/graphql")).toBe(true);
  });

  // In document order: a later example may read what an earlier one wrote.
  for (const example of examples) {
    const title = example.query.split("\n").find((l) => /[a-z]/i.test(l) && !l.startsWith("#"))!.trim();
    it(`README.md:${example.line} ${title}`, async () => {
      expect(await problemsOf(example)).toEqual([]);
    });
  }

  for (const example of httpExamples) {
    it(example.line, async () => {
      const res = await fetch(example.url.replace(/^http:\/\/[^/]+\//, stack.gatewayUrl), { headers: example.withToken ? coordinator : {} });
      const body = await res.text();
      expect(res.status, body.slice(0, 300)).toBe(200);
      expect(body.length).toBeGreaterThan(0);
      if (example.url.includes(".json") || example.url.includes("/changes")) expect(hasContent(JSON.parse(body))).toBe(true);
      if (example.url.includes(".csv")) expect(body.trim().split("\n").length).toBeGreaterThan(1);
      if (example.url.includes(".ics")) expect(body).toContain("BEGIN:VEVENT");
    });
  }

  it("reports an example with a typo and one that finds nothing", async () => {
    const first = examples[0]!;
    const typo = { ...first, query: first.query.replace("nameFi", "nameFy") };
    expect(typo.query).not.toBe(first.query);
    expect((await problemsOf(typo)).join("\n")).toMatch(/nameFy/);
    const nothing = { ...first, query: '{ municipality(code: "999") { nameFi } }' };
    expect(await problemsOf(nothing)).toEqual(["municipality came back empty: null"]);
  });
});
