import { afterAll, describe, expect, it } from "vitest";
import { createOrm, migrate, type ServiceDefinition } from "@yhdyspinta/core";
import { createTestDatabase, type TestDatabase } from "@yhdyspinta/core/testing";
import { groupsService } from "../services/groups/src/service.ts";
import { organisationsService } from "../services/organisations/src/service.ts";
import { planningService } from "../services/planning/src/service.ts";

// Each service's entities and its committed migrations describe the same
// schema: on a database migrated from scratch, MikroORM's schema generator
// finds nothing to change (else `migration:create` would write a migration,
// and the next one written would carry an unrelated change along).

const databases: TestDatabase[] = [];

afterAll(async () => {
  await Promise.all(databases.map((d) => d.drop()));
});

const SERVICES: ServiceDefinition<unknown, unknown>[] = [
  organisationsService as ServiceDefinition<unknown, unknown>,
  groupsService as ServiceDefinition<unknown, unknown>,
  planningService as ServiceDefinition<unknown, unknown>,
];

describe("entities and migrations agree", () => {
  for (const service of SERVICES) {
    it(`${service.name}: a migrated database needs no schema change`, { timeout: 120_000 }, async () => {
      const database = await createTestDatabase(`drift_${service.name}`);
      databases.push(database);
      const orm = await createOrm({
        databaseUrl: database.url,
        entities: service.entities,
        migrations: service.migrations,
        migrationsTable: `migrations_${service.name}`,
      });
      try {
        expect((await migrate(orm)).length).toBe(service.migrations.length);
        const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
        expect(diff.trim()).toBe("");
      } finally {
        await orm.close();
      }
    });
  }
});
