import type { EntityManager as CoreEntityManager } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { anonymousViewer, forkForViewer, logger, ViewerRole, type BackgroundContext, type RetentionSettings } from "@yhdyspinta/core";
import { groupRoles, type GroupsConnection } from "./groups-roles.ts";
import { heldPeople, lockPerson } from "./personal-data.queries.ts";
import { anonymisePerson, retainedUntil } from "./personal-data.rules.ts";
import { deliverScrubsOf, type ScrubTargets } from "./scrub.delivery.ts";
import { ormScrubStore } from "./scrub.queries.ts";

/** Who the retention job's changes are recorded as. */
export const RETENTION_ACTOR = { ...anonymousViewer, subject: "service:retention", role: ViewerRole.Admin };

/** What one run of the retention job did. */
export interface RetentionReport {
  /** The day the periods were measured against. */
  asOf: string;
  /** People still held that were looked at. */
  checked: number;
  /** People anonymised by this run (or due, in a dry run), with the last day they were kept. */
  anonymised: { personId: string; retainedUntil: string }[];
}

/** Today in Helsinki (YYYY-MM-DD). */
export function helsinkiDay(at: Date): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Helsinki" }).format(at);
}

/**
 * One run of the retention job (docs/PERSONAL-DATA.md): every person still
 * held whose retention period ended before `now`'s day is anonymised, each
 * in a transaction of their own. Idempotent: an anonymised person is not
 * held any more, so a second run finds nothing to do. The groups subgraph
 * says each person's roles; if it cannot answer, nothing is changed.
 */
export async function runRetention(
  em: CoreEntityManager,
  options: {
    now: Date;
    settings: Pick<RetentionSettings, "contactMonths" | "rejectedNomineeMonths">;
    groups: GroupsConnection;
    /** Where each anonymised person's values are delivered at once to be scrubbed (else the organisations subgraph's worker delivers them). */
    scrub?: ScrubTargets;
    dryRun?: boolean;
  },
): Promise<RetentionReport> {
  const asOf = helsinkiDay(options.now);
  const actorEm = forkForViewer(em, RETENTION_ACTOR);
  const people = await heldPeople(actorEm);
  const roles = await groupRoles(options.groups, people.map((p) => p.id), asOf);
  const report: RetentionReport = { asOf, checked: people.length, anonymised: [] };
  for (const person of people) {
    const until = retainedUntil(roles.get(person.id)!, options.settings);
    if (until === null || until >= asOf) continue;
    report.anonymised.push({ personId: person.id, retainedUntil: until });
    if (options.dryRun) continue;
    const erasureId = await actorEm.transactional(async (tx) => {
      // Read again under a lock: an erasure or another job's run may have been first.
      const current = await lockPerson(tx as EntityManager, person.id);
      if (!current || current.anonymisedAt) return null;
      return await anonymisePerson(tx as EntityManager, current, `retention: kept until ${until} (RETENTION_CONTACT_MONTHS ${options.settings.contactMonths}, RETENTION_REJECTED_NOMINEE_MONTHS ${options.settings.rejectedNomineeMonths})`, options.now);
    });
    if (erasureId && options.scrub) await deliverScrubsOf(ormScrubStore(actorEm as EntityManager), erasureId, options.scrub);
  }
  return report;
}

/** Wait before the first run: the groups subgraph may still be starting beside this one. */
const FIRST_RUN_DELAY_MS = 60_000;
/** Wait before trying again after a failed run (groups unreachable), at most the interval. */
const RETRY_DELAY_MS = 15 * 60_000;

/**
 * The scheduled job, run by the organisations subgraph when `RETENTION_JOB`
 * is on (default in production): a minute after start, then every
 * `RETENTION_INTERVAL_HOURS`. A failed run is logged and tried again in 15
 * minutes (or at the next interval, if sooner).
 */
export function startRetentionJob(context: BackgroundContext, settings: RetentionSettings): { stop(): Promise<void> } {
  if (!settings.job) return { stop: async () => {} };
  const intervalMs = settings.intervalHours * 3_600_000;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = run().finally(() => {
        running = null;
      });
    }, ms);
    timer.unref();
  };
  const run = async () => {
    try {
      const report = await runRetention(context.orm.em.fork(), {
        now: new Date(),
        settings,
        groups: { url: context.subgraphUrls["groups"], internalSecret: context.internalAuthSecret },
        scrub: { urls: { groups: context.subgraphUrls["groups"], planning: context.subgraphUrls["planning"] }, internalSecret: context.internalAuthSecret },
      });
      logger().info({ asOf: report.asOf, checked: report.checked, anonymised: report.anonymised.length }, "retention job: run finished");
      schedule(intervalMs);
    } catch (error) {
      logger().warn({ err: error instanceof Error ? error.message : String(error) }, "retention job: run failed; trying again later");
      schedule(Math.min(RETRY_DELAY_MS, intervalMs));
    }
  };
  schedule(FIRST_RUN_DELAY_MS);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
