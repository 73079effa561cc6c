import { rm } from "node:fs/promises";
import { join } from "node:path";
import { createOrm, ensureDatabase, migrate, withDatabase } from "./database.ts";
import { makeTempDir, startEmbeddedPostgres } from "./embedded-postgres.ts";
import type { ServiceDefinition } from "./service.ts";

/**
 * Writes a new migration for the difference between a service's entities and
 * the schema its committed migrations produce, computed on a throw-away
 * embedded PostgreSQL. Register the new class in `src/migrations/index.ts`.
 */
export async function createMigration<L, S>(
  definition: ServiceDefinition<L, S>,
  directory: string,
  name?: string,
): Promise<void> {
  const dir = await makeTempDir("yhdyspinta-migration-");
  const server = await startEmbeddedPostgres({ dataDir: join(dir, "data"), persistent: false, fast: true });
  try {
    const url = withDatabase(server.url, `migration_${definition.name}`);
    await ensureDatabase(url);
    const orm = await createOrm({
      databaseUrl: url,
      entities: definition.entities,
      migrations: definition.migrations,
      migrationsTable: `migrations_${definition.name}`,
    });
    try {
      await migrate(orm);
      const result = await orm.migrator.create(directory, false, false, name);
      if (result.diff.up.length === 0) console.log("No schema changes: no migration written.");
      else console.log(`Wrote ${join(directory, result.fileName)}; add its class to src/migrations/index.ts.`);
    } finally {
      await orm.close();
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
