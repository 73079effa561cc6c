import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signViewer, startService, VIEWER_HEADER, type RunningService } from "@yhdyspinta/core";
import { createTestDatabase, subgraphRequest, type TestDatabase } from "@yhdyspinta/core/testing";
import { planningService } from "../src/service.ts";

/**
 * The demo data is seeded once: after coordinators edit or remove seeded
 * records through the API, a restart (which seeds again) leaves their
 * changes as they are, and the untouched seeded records read as before.
 */

const INTERNAL_SECRET = "planning-seed-once-secret-0123456789abcdef";

let db: TestDatabase;
let service: RunningService | undefined;
let admin: Record<string, string>;

const start = async () =>
  await startService(planningService, { databaseUrl: db.url, port: 0, seed: true, createDatabase: false, internalAuthSecret: INTERNAL_SECRET });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

async function ok(query: string, variables: Record<string, unknown> = {}): Promise<Data> {
  const res = await subgraphRequest<Data>(service!.url, INTERNAL_SECRET, query, variables, admin);
  expect(res.errors).toBeUndefined();
  return res.data;
}

beforeAll(async () => {
  db = await createTestDatabase("planning_seed_once");
  service = await start();
  admin = { [VIEWER_HEADER]: await signViewer({ subject: "seed-once-admin", scopes: new Set(["data:write"]), role: "admin", counties: new Set<string>() }, INTERNAL_SECRET) };
});

afterAll(async () => {
  await service?.stop();
  await db?.drop();
});

describe("seeding again after coordinators' writes", () => {
  it("keeps an edited strategy and practice, leaves a removed theme removed, and the rest as seeded", async () => {
    const themes = (await ok(`{ themes(countyCode: "14") { id name } }`)).themes as { id: string; name: string }[];
    expect(themes).toHaveLength(6);
    await ok(`mutation { updateStrategy(input: { strategyId: "strategy-19", name: "Pohteen strategia (päivitetty)" }) { id } }`);
    await ok(`mutation { setAnnualNegotiationPractice(input: { countyCode: "14", timesPerYear: 2 }) { timesPerYear } }`);
    await ok(`mutation($id: ID!) { removeTheme(themeId: $id) }`, { id: themes[5]!.id });
    await ok(`mutation($id: ID!) { updateTheme(input: { themeId: $id, name: "Elintavat ja liikunta" }) { id } }`, { id: themes[0]!.id });

    await service!.stop();
    service = undefined;
    service = await start();

    const strategy = (await ok(`{ strategy(countyCode: "19") { name principles { number } } }`)).strategy;
    expect(strategy.name).toBe("Pohteen strategia (päivitetty)");
    expect(strategy.principles).toHaveLength(12);
    const after = (await ok(`{ themes(countyCode: "14") { id name } }`)).themes as { id: string; name: string }[];
    expect(after.map((t) => t.id)).toEqual(themes.slice(0, 5).map((t) => t.id));
    expect(after[0]!.name).toBe("Elintavat ja liikunta");
    expect(after.slice(1).map((t) => t.name)).toEqual(themes.slice(1, 5).map((t) => t.name));
    expect((await ok(`{ _entities(representations: [{ __typename: "WellbeingServicesCounty", code: "14" }]) { ... on WellbeingServicesCounty { annualNegotiationPractice { timesPerYear } } } }`))._entities[0].annualNegotiationPractice.timesPerYear).toBe(2);
    expect((await ok(`{ grantProgramme(id: "grant-programme-16-jarjestoavustukset") { principles { number } } }`)).grantProgramme.principles).toHaveLength(3);
  });
});
