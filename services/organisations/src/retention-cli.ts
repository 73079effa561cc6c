import "reflect-metadata";
import { openServiceDatabase, readConfig, subgraphUrl } from "@yhdyspinta/core";
import { runRetention } from "./personal-data/retention.ts";
import { scrubTargets } from "./personal-data/scrub.delivery.ts";
import { organisationsService } from "./service.ts";

/**
 * `pnpm retention [--dry-run] [--today=YYYY-MM-DD]` (root script): one run of
 * the retention job (docs/PERSONAL-DATA.md) against the organisations
 * database (ORGANISATIONS_DATABASE_URL, or DATABASE_URL with
 * `_organisations`), asking the groups subgraph (GROUPS_URL, signed with
 * INTERNAL_AUTH_SECRET) for each person's roles, and handing each anonymised
 * person's values to the groups and planning subgraphs (GROUPS_URL,
 * PLANNING_URL) to scrub; one that cannot take them now gets them from the
 * organisations subgraph's worker later. `--dry-run` lists who is due
 * without changing anything; `--today` measures the periods against another
 * day. Exits 1 when the run failed (nothing further was changed).
 */
const args = process.argv.slice(2);
const dryRun = args.includes("--dry-run");
const todayArg = args.find((a) => a.startsWith("--today="))?.slice("--today=".length);
const unknown = args.filter((a) => a !== "--dry-run" && !a.startsWith("--today="));
if (unknown.length > 0 || (todayArg !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(todayArg))) {
  console.error("usage: pnpm retention [--dry-run] [--today=YYYY-MM-DD]");
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
  const report = await runRetention(orm.em.fork(), {
    // Noon UTC of the day asked: the same day in Helsinki.
    now: todayArg ? new Date(`${todayArg}T12:00:00Z`) : new Date(),
    settings: config.retention,
    groups: { url: subgraphUrl(config, "groups"), internalSecret: config.internalAuthSecret },
    scrub: scrubTargets(config),
    dryRun,
  });
  console.log(`retention ${report.asOf}: ${report.checked} people held, ${report.anonymised.length} ${dryRun ? "due" : "anonymised"}`);
  for (const { personId, retainedUntil } of report.anonymised) console.log(`  ${personId} (kept until ${retainedUntil})`);
} catch (error) {
  console.error(`retention failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await orm.close();
}
