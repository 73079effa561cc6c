import "reflect-metadata";
import type { EntityManager } from "@mikro-orm/postgresql";
import { formatSyncReport, openServiceDatabase, parseSyncArgs, RateLimiter, readConfig, RegisterClient, RegisterSyncStatus, runSync } from "@yhdyspinta/core";
import { ytjImporter } from "./register/ytj-sync.ts";
import { organisationsService } from "./service.ts";

/**
 * `pnpm sync ytj [--dry-run]` (root script; also run by the stack's
 * SYNC_SCHEDULE): refreshes organisations with a business ID from PRH/YTJ
 * open data (YTJ_BASE_URL) into the organisations database
 * (ORGANISATIONS_DATABASE_URL, or DATABASE_URL with `_organisations`).
 * Exits 1 when the run failed (nothing was written).
 */
let args: ReturnType<typeof parseSyncArgs>;
try {
  args = parseSyncArgs(process.argv.slice(2), ["ytj"]);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const config = readConfig();
const databaseUrl = config.databaseUrls.organisations;
if (!databaseUrl) {
  console.error("Set ORGANISATIONS_DATABASE_URL or DATABASE_URL.");
  process.exit(2);
}
const orm = await openServiceDatabase(organisationsService, { databaseUrl, seed: false });
try {
  const client = new RegisterClient({
    register: "ytj",
    baseUrl: config.registers.ytjBaseUrl,
    timeoutMs: config.registers.timeoutMs,
    // PRH: about 300 requests a minute shared by every user of the open data; take a third of it.
    rateLimiter: new RateLimiter(100, 60_000),
  });
  const report = await runSync(orm.em.fork() as EntityManager, ytjImporter({ client }), { dryRun: args.dryRun });
  for (const line of formatSyncReport(report)) console.log(line);
  process.exitCode = report.status === RegisterSyncStatus.SUCCEEDED ? 0 : 1;
} finally {
  await orm.close();
}
