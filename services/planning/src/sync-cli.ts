import "reflect-metadata";
import type { EntityManager } from "@mikro-orm/postgresql";
import { formatSyncReport, openServiceDatabase, parseSyncArgs, RateLimiter, readConfig, RegisterClient, RegisterSyncStatus, runSync } from "@yhdyspinta/core";
import { hyteImporter } from "./hyte/hyte-import.ts";
import { sotkanetImporter, sotkanetYears } from "./indicator/sotkanet-sync.ts";
import { planningService } from "./service.ts";

/**
 * `pnpm sync sotkanet [--dry-run]` (root script; also run by the stack's
 * SYNC_SCHEDULE): syncs THL Sotkanet into the planning database
 * (PLANNING_DATABASE_URL, or DATABASE_URL with `_planning`) from
 * SOTKANET_BASE_URL; `pnpm sync hyte [--dry-run]` imports the HYTE indicator
 * sets from the committed file (services/planning/data/hyte-indicators.csv,
 * or HYTE_FILE). Exits 1 when the run failed (nothing was written).
 */
let args: ReturnType<typeof parseSyncArgs>;
try {
  args = parseSyncArgs(process.argv.slice(2), ["sotkanet", "hyte"]);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const config = readConfig();
const databaseUrl = config.databaseUrls.planning;
if (!databaseUrl) {
  console.error("Set PLANNING_DATABASE_URL or DATABASE_URL.");
  process.exit(2);
}
const orm = await openServiceDatabase(planningService, { databaseUrl, seed: false });
try {
  const em = orm.em.fork() as EntityManager;
  const report =
    args.register === "hyte"
      ? await runSync(em, hyteImporter({ file: config.registers.hyteFile }), { dryRun: args.dryRun })
      : await runSync(
          em,
          sotkanetImporter({
            client: new RegisterClient({
              register: "sotkanet",
              baseUrl: config.registers.sotkanetBaseUrl,
              timeoutMs: config.registers.timeoutMs,
              // Sotkanet publishes no limit: stay polite, one request a second on average.
              rateLimiter: new RateLimiter(60, 60_000),
            }),
            years: sotkanetYears(),
          }),
          { dryRun: args.dryRun },
        );
  for (const line of formatSyncReport(report)) console.log(line);
  process.exitCode = report.status === RegisterSyncStatus.SUCCEEDED ? 0 : 1;
} finally {
  await orm.close();
}
