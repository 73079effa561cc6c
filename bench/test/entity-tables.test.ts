import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openServiceDatabase, type ServiceDefinition } from "@yhdyspinta/core";
import { createTestDatabase, type TestDatabase } from "@yhdyspinta/core/testing";
import { groupsService } from "../../services/groups/src/service.ts";
import { organisationsService } from "../../services/organisations/src/service.ts";
import { planningService } from "../../services/planning/src/service.ts";
import { VIEW_NAMES } from "../../views/index.ts";
import { allEntityTables, columnMismatches, entityTables, type EntityTable, type ServiceDb } from "../src/entity-tables.ts";
import { generateDataset, SYNTHETIC_PREFIX, TABLES } from "../src/generate.ts";
import { REFERENCE_QUERIES } from "../src/reference-queries.ts";
import { variableSets } from "../src/view-variables.ts";

describe("generator tables against the entities' metadata", () => {
  let entities: Record<ServiceDb, Map<string, EntityTable>>;
  beforeAll(async () => {
    entities = await allEntityTables();
  });

  it("maps table and column names from the MikroORM metadata", async () => {
    const groups = await entityTables("groups");
    const seat = [...groups.values()].find((t) => t.entity === "GroupSeat");
    expect(seat?.table).toBe("group_seat");
    expect(seat?.columns["deputiesOptionalWhenSeveralMembers"]).toBe("deputies_optional_when_several_members");
    expect(seat?.columns["groupId"]).toBe("group_id");
  });

  it("every table and column the generator writes is mapped by an entity of its database", () => {
    const written = Object.values(TABLES).reduce((n, spec) => n + spec.columns.length, 0);
    expect(Object.keys(TABLES).length).toBeGreaterThan(20);
    expect(written).toBeGreaterThan(100);
    expect(columnMismatches(TABLES, entities)).toEqual([]);
  });

  it("names a renamed column, a table of another database and an unknown table", () => {
    const person = TABLES["person"]!;
    const problems = columnMismatches(
      {
        person: { ...person, columns: [...person.columns.filter((c) => c !== "email"), "e_mail"] },
        membership: { db: "planning", columns: ["id"] },
        persons: { db: "organisations", columns: ["id"] },
      },
      entities,
    );
    expect(problems).toEqual([
      "organisations.person.e_mail: no property of Person maps this column",
      "planning.membership: no entity maps this table",
      "organisations.persons: no entity maps this table",
    ]);
  });
});

describe("reference queries", () => {
  let database: TestDatabase;
  const migrateAndSeed = async <L, S>(definition: ServiceDefinition<L, S>) => {
    const orm = await openServiceDatabase(definition, { databaseUrl: database.url, seed: true, createDatabase: false });
    await orm.close();
  };
  beforeAll(async () => {
    // The benchmark's one database holding every service's tables, with a small generated dataset.
    database = await createTestDatabase("bench_reference");
    await migrateAndSeed(organisationsService);
    await migrateAndSeed(groupsService);
    await migrateAndSeed(planningService);
    await generateDataset({ organisations: database.url, groups: database.url, planning: database.url }, { seed: 7, scale: 1 });
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("each view's SQL runs on generated data and reads generated rows", async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const year = Number((await client.query<{ y: number }>("select max(year) as y from municipality")).rows[0]!.y);
      const answered: Record<string, string> = {};
      for (const view of VIEW_NAMES) {
        // Generated scale 1 covers Pohjois-Karjala (14).
        const variables = variableSets(view).find((v) => v["countyCode"] === "14" || (v["countyCodes"] as string[] | undefined)?.includes("14"));
        expect(variables, view).toBeDefined();
        const query = REFERENCE_QUERIES[view];
        const result = await client.query<{ data: unknown }>(query.sql, query.params(variables!, { year, today: "2026-02-01" }));
        expect(result.rows, view).toHaveLength(1);
        answered[view] = JSON.stringify(result.rows[0]!.data);
      }
      const withSynthetic = Object.entries(answered).filter(([, json]) => json.includes(SYNTHETIC_PREFIX)).map(([view]) => view);
      expect(withSynthetic.length).toBeGreaterThanOrEqual(4);
    } finally {
      await client.end();
    }
  });
});
