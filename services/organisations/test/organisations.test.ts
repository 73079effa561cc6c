import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "@yhdyspinta/core";
import { countStatements, createTestDatabase, graphqlRequest, type TestDatabase } from "@yhdyspinta/core/testing";
import { organisationsService } from "../src/service.ts";

let db: TestDatabase;
let service: RunningService;

beforeAll(async () => {
  db = await createTestDatabase("organisations");
  service = await startService(organisationsService, { databaseUrl: db.url, port: 0, seed: true, createDatabase: false });
});

afterAll(async () => {
  await service?.stop();
  await db?.drop();
});

describe("organisations subgraph", () => {
  it("lists the 21 counties and Helsinki, never Åland", async () => {
    const res = await graphqlRequest<{ counties: { code: string; kind: string }[] }>(service.url, "{ counties { code kind } }");
    expect(res.errors).toBeUndefined();
    const codes = res.data!.counties.map((c) => c.code);
    expect(codes).toHaveLength(22);
    expect(codes).toContain("90");
    expect(codes).not.toContain("91");
  });

  it("answers a municipality with its county", async () => {
    const res = await graphqlRequest(service.url, '{ municipality(code:"167"){ nameFi nameSv county { code nameFi } } }');
    expect(res.data).toEqual({
      municipality: { nameFi: "Joensuu", nameSv: "Joensuu", county: { code: "14", nameFi: "Pohjois-Karjalan hyvinvointialue" } },
    });
  });

  it("rejects a year without classification as BAD_USER_INPUT", async () => {
    const res = await graphqlRequest(service.url, "{ municipalities(year: 1999) { code } }");
    expect(res.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.extensions?.["field"]).toBe("year");
  });

  it("resolves municipality references in one statement whatever their number", async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Municipality { code nameFi county { nameFi } } } }`;
    const few = ["167", "276"].map((code) => ({ __typename: "Municipality", code }));
    const all = await graphqlRequest<{ municipalities: { code: string }[] }>(service.url, "{ municipalities { code } }");
    const many = all.data!.municipalities.map(({ code }) => ({ __typename: "Municipality", code }));
    expect(many.length).toBeGreaterThan(300);
    const a = await countStatements(() => graphqlRequest(service.url, query, { reps: few }));
    const b = await countStatements(() => graphqlRequest(service.url, query, { reps: many }));
    expect(a.result.errors).toBeUndefined();
    expect(b.result.errors).toBeUndefined();
    expect((b.result.data as { _entities: unknown[] })._entities).toHaveLength(many.length);
    expect(b.statements).toBe(a.statements);
  });
});
