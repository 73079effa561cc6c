import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintUserToken, serviceDatabaseUrl } from "@yhdyspinta/core";
import { startTestStack, type TestStack } from "./support.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FIXTURE = "services/planning/src/indicator/fixtures/sotkanet-format-sample.json";

/** Runs the import CLI as an operator would (`pnpm --filter @yhdyspinta/planning import:sotkanet <file>` runs the same script). */
async function runImport(databaseUrl: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    `${ROOT}node_modules/.bin/tsx`,
    ["--conditions=development", "services/planning/src/import-sotkanet.ts", FIXTURE],
    { cwd: ROOT, env: { ...process.env, PLANNING_DATABASE_URL: databaseUrl, DATABASE_URL: "" } },
  );
  return stdout;
}

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack("planning");
});

afterAll(async () => {
  await stack?.stop();
});

describe("planning through the gateway", () => {
  it("returns Pohde's strategy: 3 values, 12 principles in 4 groups, 7 cooperation goals", async () => {
    const res = await stack.query<{ county: { nameFi: string; strategy: Record<string, any> } }>(
      `{ county(code: "19") { nameFi strategy { values { name } principles { number heading text }
         priorities { name principles { number } } cooperationGoals { number text } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const { nameFi, strategy } = res.data!.county;
    expect(nameFi).toBe("Pohjois-Pohjanmaan hyvinvointialue");
    expect(strategy["values"]).toEqual([
      { name: "Näemme ihmisen" },
      { name: "Kohtaamme ammattitaidolla" },
      { name: "Edelläkävijänä vaikuttavuudessa" },
    ]);
    expect(strategy["principles"]).toHaveLength(12);
    expect(strategy["priorities"].map((p: { name: string; principles: unknown[] }) => [p.name, p.principles.length])).toEqual([
      ["Ihmistä varten", 3],
      ["Vaikuttavasti yhdessä", 3],
      ["Parhaat osaajat", 3],
      ["Rohkeasti uutta", 3],
    ]);
    expect(strategy["cooperationGoals"].map((g: { number: number }) => g.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(strategy["cooperationGoals"][0].text).toBe("Avoin ja ymmärrettävä viestintä osallisuuden mahdollistajana");
  });

  it("returns the six themes of Pohjois-Karjala's partnership groups", async () => {
    const res = await stack.query<{
      cooperationGroups: { edges: { node: { id: string; name: string; themes: { name: string }[] } }[] };
    }>(
      `{ cooperationGroups(filter: { countyCode: "14", kind: PARTNERSHIP_GROUP }) { edges { node { id name themes { name } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const groups = res.data!.cooperationGroups.edges.map((e) => e.node);
    // Four regional groups and the county-wide Pohjois-Karjalan hyvinvoinnin kumppanuusryhmä.
    expect(groups.filter((g) => g.name.startsWith("Alueellinen kumppanuusryhmä"))).toHaveLength(4);
    expect(groups.map((g) => g.name)).toContain("Pohjois-Karjalan hyvinvoinnin kumppanuusryhmä");
    for (const group of groups) {
      expect(group.themes.map((t) => t.name)).toEqual([
        "Elintavat",
        "Mielen hyvinvointi",
        "Ehkäisevä päihdetyö",
        "Arjen toimintakyky",
        "Turvallisuus",
        "Osallisuus",
      ]);
    }
  });

  it("asks the planning subgraph the same number of statements for one group as for a county's 13 municipalities' groups", async () => {
    const counts: number[] = [];
    for (const [query, variables] of [
      [`query($id: ID!) { cooperationGroup(id: $id) { name themes { name } measures { title } negotiations { title } } }`, { id: "group-pk-keskinen" }],
      [
        `query($code: ID!) { county(code: $code) { municipalities { code cooperationGroups { name themes { name } measures { title } negotiations { title } } } } }`,
        { code: "14" },
      ],
    ] as const) {
      await stack.resetStats();
      const res = await stack.query(query, variables);
      expect(res.errors).toBeUndefined();
      counts.push((await stack.stats())["planning"]!.statements);
    }
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBe(counts[0]);
  });

  // Two CLI processes (tsx start-up and migrations each): give it more than the default minute on a busy 2-core machine.
  it("imports the Sotkanet sample twice into the stack's planning database and serves Joensuu's values", { timeout: 150_000 }, async () => {
    const url = serviceDatabaseUrl("planning", { DATABASE_URL: stack.databaseUrl })!;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rows = async () =>
        (await client.query("select * from indicator_value order by indicator_id, region_kind, region_code, year, sex")).rows;
      expect(await runImport(url)).toContain("Imported 9 values of 2 indicators");
      const first = await rows();
      await runImport(url);
      expect(await rows()).toEqual(first);
      expect(first).toHaveLength(9);
    } finally {
      await client.end();
    }
    const res = await stack.query<{ municipality: { nameFi: string; indicatorValues: Record<string, unknown>[] } }>(
      `{ municipality(code: "167") { nameFi indicatorValues(indicatorIds: ["sotkanet-127"], years: [2022, 2023], sex: [TOTAL]) {
           indicator { sotkanetId name } year sex value } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.municipality.nameFi).toBe("Joensuu");
    expect(res.data!.municipality.indicatorValues).toEqual([
      { indicator: { sotkanetId: 127, name: "Väestö, lukumäärä (format sample)" }, year: 2022, sex: "TOTAL", value: 77000 },
      { indicator: { sotkanetId: 127, name: "Väestö, lukumäärä (format sample)" }, year: 2023, sex: "TOTAL", value: 77500 },
    ]);
  });

  it("round-trips a grant amount exactly through the gateway and needs the data:write scope", async () => {
    const mutation = `mutation($input: AwardGrantInput!) { awardGrant(input: $input) { amount programme { county { code nameFi } } } }`;
    const input = {
      programmeId: "grant-programme-16-jarjestoavustukset",
      organisationId: "org-jarjestotalo",
      amount: "98765432.10",
      year: 2025,
      purpose: "e2e",
    };
    const anonymous = await stack.query(mutation, { input });
    expect(anonymous.errors).toBeDefined();
    const token = await mintUserToken(stack.authSecret, { sub: "e2e-admin", scope: "data:write", role: "admin" });
    const res = await stack.query<{ awardGrant: { amount: string; programme: { county: { code: string; nameFi: string } } } }>(
      mutation,
      { input },
      { authorization: `Bearer ${token}` },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.awardGrant).toEqual({
      amount: "98765432.10",
      programme: { county: { code: "16", nameFi: "Etelä-Pohjanmaan hyvinvointialue" } },
    });
    const bad = await stack.query(mutation, { input: { ...input, amount: "-1.00" } }, { authorization: `Bearer ${token}` });
    expect(bad.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    expect(bad.errors?.[0]?.extensions?.["field"]).toBe("input.amount");
  });
});
