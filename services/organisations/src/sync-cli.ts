import "reflect-metadata";
import type { EntityManager } from "@mikro-orm/postgresql";
import { formatSyncReport, openServiceDatabase, parseSyncArgs, RateLimiter, readConfig, RegisterClient, RegisterSyncStatus, runSync } from "@yhdyspinta/core";
import { ptvImporter } from "./register/ptv-sync.ts";
import { statfiImporter } from "./register/statfi-sync.ts";
import { ytjImporter } from "./register/ytj-sync.ts";
import { organisationsService } from "./service.ts";

/**
 * `pnpm sync ytj|statfi|ptv [--dry-run] [--year=YYYY] [--since=YYYY-MM-DD]` (root script; also run by
 * the stack's SYNC_SCHEDULE) into the organisations database
 * (ORGANISATIONS_DATABASE_URL, or DATABASE_URL with `_organisations`):
 * `ytj` refreshes organisations with a business ID from PRH/YTJ open data
 * (YTJ_BASE_URL); `statfi` writes a year's municipalities and their counties
 * from Statistics Finland's classifications (STATFI_CLASSIFICATIONS_URL;
 * default this year); `ptv` writes the service locations of organisations
 * with a business ID into their contact points from PTV's open API
 * (PTV_BASE_URL; `--since=YYYY-MM-DD` for those modified since). Exits 1 when the run failed (nothing was written).
 */
let args: ReturnType<typeof parseSyncArgs>;
try {
  args = parseSyncArgs(process.argv.slice(2), ["ytj", "statfi", "ptv"]);
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
  const em = orm.em.fork() as EntityManager;
  const report =
    args.register === "ytj"
      ? await runSync(
          em,
          ytjImporter({
            client: new RegisterClient({
              register: "ytj",
              baseUrl: config.registers.ytjBaseUrl,
              timeoutMs: config.registers.timeoutMs,
              // PRH: about 300 requests a minute shared by every user of the open data; take a third of it.
              rateLimiter: new RateLimiter(100, 60_000),
            }),
          }),
          { dryRun: args.dryRun },
        )
      : args.register === "ptv"
      ? await runSync(
          em,
          ptvImporter({
            client: new RegisterClient({ register: "ptv", baseUrl: config.registers.ptvBaseUrl, timeoutMs: config.registers.timeoutMs, rateLimiter: new RateLimiter(60, 60_000) }),
            since: args.since,
          }),
          { dryRun: args.dryRun },
        )
      : await runSync(
          em,
          statfiImporter({
            client: new RegisterClient({ register: "statfi", baseUrl: config.registers.statfiBaseUrl, timeoutMs: config.registers.timeoutMs, rateLimiter: new RateLimiter(30, 60_000) }),
            year: args.year ?? new Date().getUTCFullYear(),
          }),
          { dryRun: args.dryRun },
        );
  for (const line of formatSyncReport(report)) console.log(line);
  process.exitCode = report.status === RegisterSyncStatus.SUCCEEDED ? 0 : 1;
} finally {
  await orm.close();
}
