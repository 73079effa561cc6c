import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserToken } from "@yhdyspinta/core";
import { bearer, startTestStack, type TestStack } from "./support.ts";

// `changes` on a list of records costs the same SQL statements however many
// records the list holds (one batched statement for their first pages), as
// the dashboard views do (test/views-efficiency.test.ts).

const NAME = "Muutoshistoriakoe";
const LIST = `query($search: String!) {
  organisations(filter: { search: $search }, first: 100) {
    totalCount
    edges { node { id changes(first: 1) { totalCount edges { node { operation after } } pageInfo { hasNextPage } } } }
  }
}`;

let stack: TestStack;
let admin: Record<string, string>;
let created = 0;

beforeAll(async () => {
  stack = await startTestStack("changes_batch");
  admin = bearer(await mintUserToken(stack.authSecret, { sub: "changes-admin", scope: "data:write", role: "admin" }));
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

/** Creates organisations until there are `count`, each created and renamed once (two changes). */
async function organisations(count: number): Promise<void> {
  for (; created < count; created += 1) {
    const res = await stack.query<{ createOrganisation: { id: string } }>(
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id } }`,
      { input: { name: `${NAME} ${created} ry`, kind: "ASSOCIATION", countyCode: "14" } },
      admin,
    );
    expect(res.errors).toBeUndefined();
    const renamed = await stack.query(
      `mutation($id: ID!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, input: $input) { id } }`,
      { id: res.data!.createOrganisation.id, input: { name: `${NAME} ${created} ry (uusi nimi)` } },
      admin,
    );
    expect(renamed.errors).toBeUndefined();
  }
}

interface Listed {
  organisations: { totalCount: number; edges: { node: { id: string; changes: { totalCount: number; edges: { node: { operation: string; after: { name: string } } }[]; pageInfo: { hasNextPage: boolean } } } }[] };
}

async function measure(): Promise<{ statements: Record<string, { statements: number; operations: number }>; listed: Listed }> {
  await stack.query(LIST, { search: NAME }, admin); // warm-up
  await stack.resetStats();
  const res = await stack.query<Listed>(LIST, { search: NAME }, admin);
  expect(res.errors).toBeUndefined();
  return { statements: await stack.stats(), listed: res.data! };
}

describe("changes of many records", () => {
  it("cost the same SQL statements for 3 and 30 records", { timeout: 300_000 }, async () => {
    await organisations(3);
    const small = await measure();
    await organisations(30);
    const large = await measure();

    expect(small.listed.organisations.totalCount).toBe(3);
    expect(large.listed.organisations.totalCount).toBe(30);
    for (const { node } of large.listed.organisations.edges) {
      // Each record's own history: both changes counted, the newest (the rename) first, one per page.
      expect(node.changes.totalCount).toBe(2);
      expect(node.changes.edges.map((e) => e.node.operation)).toEqual(["UPDATE"]);
      expect(node.changes.edges[0]!.node.after.name).toMatch(/\(uusi nimi\)$/);
      expect(node.changes.pageInfo.hasNextPage).toBe(true);
    }
    expect(new Set(large.listed.organisations.edges.map((e) => e.node.changes.edges[0]!.node.after.name)).size).toBe(30);
    expect(large.statements.organisations!.statements).toBeGreaterThan(0);
    expect(large.statements).toEqual(small.statements);
  });
});
