import "reflect-metadata";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { EntityManager } from "@mikro-orm/postgresql";
import { openServiceDatabase, serviceDatabaseUrl } from "@yhdyspinta/core";
import { importSotkanet, parseSotkanet } from "./indicator/sotkanet-import.ts";
import { planningService } from "./service.ts";

/**
 * `pnpm --filter @yhdyspinta/planning import:sotkanet <file>`: imports a
 * Sotkanet JSON file into the planning database (PLANNING_DATABASE_URL, or
 * DATABASE_URL with `_planning` appended). Safe to repeat.
 */
const file = process.argv[2];
if (!file) {
  console.error("Usage: import:sotkanet <file.json>");
  process.exit(2);
}
const databaseUrl = serviceDatabaseUrl("planning");
if (!databaseUrl) {
  console.error("Set PLANNING_DATABASE_URL or DATABASE_URL.");
  process.exit(2);
}
// pnpm runs the script in the package folder; resolve the path from where the command was typed.
const path = resolve(process.env["INIT_CWD"] ?? process.cwd(), file);
const parsed = parseSotkanet(JSON.parse(await readFile(path, "utf8")));
const orm = await openServiceDatabase(planningService, { databaseUrl, seed: false });
try {
  const result = await importSotkanet(orm.em.fork() as EntityManager, parsed);
  console.log(`Imported ${result.values} values of ${result.indicators} indicators from ${path}.`);
  for (const s of result.skipped) console.warn(`  skipped row ${s.row}: ${s.reason}`);
} finally {
  await orm.close();
}
