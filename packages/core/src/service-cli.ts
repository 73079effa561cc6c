import { realpathSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { createMigration } from "./migration-cli.ts";
import { runServiceProcess, type ServiceDefinition, serviceSdl } from "./service.ts";

const USAGE = "Usage: main.js [serve | migrate | print-schema | migration:create <name>]";

/** The commands of a service's entry point; `serve` when none is given. */
export const SERVICE_COMMANDS = ["serve", "migrate", "print-schema", "migration:create"] as const;
export type ServiceCommand = (typeof SERVICE_COMMANDS)[number];

function isServiceCommand(value: string): value is ServiceCommand {
  return (SERVICE_COMMANDS as readonly string[]).includes(value);
}

/**
 * The `migrations` folder next to the entry file that was started
 * (`services/<svc>/src/main.ts` run through tsx). A compiled entry point has
 * no source folder to write into, so it is refused.
 */
function migrationsDirectory(entry: string | undefined): string {
  if (!entry) throw new Error("migration:create needs the service's entry file (src/main.ts)");
  const folder = dirname(realpathSync(entry));
  if (folder.split(sep).includes("dist")) {
    throw new Error("migration:create writes into src/migrations: run `pnpm --filter @yhdyspinta/<service> migration:create <name>`");
  }
  return join(folder, "migrations");
}

/**
 * A service's whole entry point (`src/main.ts` = `await runServiceCli(definition)`):
 * - `serve` (default): start the subgraph from the environment;
 * - `migrate`: apply migrations (and the seed unless SEED_DEMO_DATA=false), then exit;
 * - `print-schema`: write the subgraph SDL to stdout (no database);
 * - `migration:create <name>`: write a migration for the entities' difference
 *   from the committed migrations into `src/migrations/`.
 */
export async function runServiceCli<L, S>(
  definition: ServiceDefinition<L, S>,
  argv: readonly string[] = process.argv.slice(2),
): Promise<void> {
  const [command = "serve", ...rest] = argv;
  if (!isServiceCommand(command)) {
    process.stderr.write(`Unknown command "${command}". ${USAGE}\n`);
    process.exit(2);
  }
  switch (command) {
    case "serve":
    case "migrate":
      await runServiceProcess(definition, command);
      return;
    case "print-schema":
      process.stdout.write(await serviceSdl(definition));
      return;
    case "migration:create":
      await createMigration(definition, migrationsDirectory(process.argv[1]), rest[0]);
      return;
  }
}
