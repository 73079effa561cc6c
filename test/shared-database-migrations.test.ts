import pg from "pg";
import { describe, expect, it } from "vitest";
import { openServiceDatabase, type ServiceDefinition } from "@yhdyspinta/core";
import { createTestDatabase } from "@yhdyspinta/core/testing";
import { groupsService } from "../services/groups/src/service.ts";
import { organisationsService } from "../services/organisations/src/service.ts";
import { planningService } from "../services/planning/src/service.ts";

/**
 * The benchmark (and a deployment that wants it) runs all three subgraphs on
 * one database. Started at the same moment, each migrates and seeds it: their
 * shared tables (`record_source`, created by more than one service's
 * migrations) must not race. Repeated on fresh databases, since a race shows
 * only when the statements meet.
 */
const definitions: ServiceDefinition<unknown, unknown>[] = [organisationsService, groupsService, planningService] as never;
const ATTEMPTS = 5;

describe("services sharing one database", () => {
  it(`all migrate and seed when started at the same moment (${ATTEMPTS} fresh databases)`, async () => {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const database = await createTestDatabase(`shared_migrations_${attempt}`);
      try {
        const outcomes = await Promise.allSettled(
          definitions.map(async (definition) => {
            const orm = await openServiceDatabase(definition, { databaseUrl: database.url, seed: true, createDatabase: false });
            await orm.close();
          }),
        );
        const failures = outcomes.flatMap((outcome, i) =>
          outcome.status === "rejected" ? [`${definitions[i]!.name}: ${String((outcome.reason as Error)?.message ?? outcome.reason)}`] : [],
        );
        expect(failures, `attempt ${attempt + 1}`).toEqual([]);
        // Every service's migrations are recorded as applied, once each.
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        try {
          for (const definition of definitions) {
            const applied = await client.query<{ name: string }>(`select name from ${client.escapeIdentifier(`migrations_${definition.name}`)}`);
            expect(applied.rows.length, definition.name).toBe(definition.migrations.length);
            expect(new Set(applied.rows.map((r) => r.name)).size, definition.name).toBe(applied.rows.length);
          }
        } finally {
          await client.end();
        }
      } finally {
        await database.drop();
      }
    }
  }, 300_000);
});
