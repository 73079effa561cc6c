import type { EntityManager } from "@mikro-orm/postgresql";
import nodemailer, { type SendMailOptions, type Transporter } from "nodemailer";
import { type BackgroundContext, helsinkiToday, logger, readConfig, type ReminderSettings } from "@yhdyspinta/core";
import { addDays } from "../alerts/alerts.rules.ts";
import type { Reminder } from "./reminder.entity.ts";
import { claimDueReminder, recordReminderFailure, recordReminderSent } from "./reminder.queries.ts";
import { generateReminders, maskAddresses, retryDelayMs } from "./reminder.rules.ts";

/**
 * The reminder job, run by every groups subgraph process when `SMTP_URL` is
 * set (README "Alerts and reminders"). Every `REMINDER_INTERVAL_MS` it
 * generates the reminders of each county with recipients from today's alerts
 * and sends the unsent, unhandled ones of those counties, oldest first, one
 * at a time: a row is locked (`for update skip locked`, so replicas share the
 * work) while its e-mail goes out and marked sent in the same transaction, so
 * a sent reminder is not sent again. A failed attempt keeps the row and waits
 * the back-off before the next. No e-mail address is logged or stored.
 */
export class ReminderWorker {
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly transport: Transporter;
  private readonly counties: string[];

  constructor(
    private readonly em: EntityManager,
    private readonly settings: ReminderSettings & { smtpUrl: string },
  ) {
    const url = new URL(settings.smtpUrl);
    this.transport = nodemailer.createTransport({
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === "smtps:" ? 465 : 587,
      secure: url.protocol === "smtps:",
      ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
      logger: false,
    });
    this.counties = Object.keys(settings.recipients).sort();
  }

  start(): void {
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.transport.close();
  }

  private tick(): void {
    if (this.stopped) return;
    this.running = this.pass()
      .catch((error: unknown) => logger().warn({ err: maskAddresses(error instanceof Error ? error.message : String(error)) }, "reminder pass failed"))
      .finally(() => {
        this.running = null;
        if (this.stopped) return;
        this.timer = setTimeout(() => this.tick(), this.settings.intervalMs);
        this.timer.unref();
      });
  }

  /** Generates today's reminders of the counties with recipients, then sends what is due. */
  async pass(): Promise<void> {
    const day = helsinkiToday();
    for (const countyCode of this.counties) {
      await this.em.fork().transactional(async (tx) => {
        await generateReminders(tx, { countyCode, day, until: addDays(day, this.settings.withinDays) });
      });
    }
    while (!this.stopped && (await this.sendNext())) {
      // one reminder per transaction, until none is due
    }
  }

  /** Sends the next due reminder; false when none is due. Logs once the outcome is committed. */
  private async sendNext(): Promise<boolean> {
    const outcome = await this.em.fork().transactional(async (tx) => {
      const reminder = await claimDueReminder(tx, this.counties);
      if (!reminder) return null;
      const about = { reminderId: reminder.id, countyCode: reminder.countyCode, kind: reminder.kind };
      try {
        await this.transport.sendMail(this.message(reminder));
        await recordReminderSent(tx, reminder.id);
        return { sent: true as const, about };
      } catch (error) {
        const attempts = reminder.attempts + 1;
        const reason = maskAddresses(error instanceof Error ? error.message : String(error)).slice(0, 500);
        const next = new Date(Date.now() + retryDelayMs(attempts, this.settings.backoffMs, this.settings.backoffMaxMs));
        await recordReminderFailure(tx, reminder.id, reason, next);
        return { sent: false as const, about: { ...about, attempts, err: reason, nextAttemptAt: next.toISOString() } };
      }
    });
    if (!outcome) return false;
    if (outcome.sent) logger().info(outcome.about, "reminder sent");
    else logger().warn(outcome.about, "reminder delivery failed");
    return true;
  }

  private message(reminder: Reminder): SendMailOptions {
    return {
      from: this.settings.from,
      to: [...(this.settings.recipients[reminder.countyCode] ?? [])],
      subject: `[yhdyspinta] ${reminder.summary}`,
      text: [
        reminder.summary,
        "",
        `Kind: ${reminder.kind}`,
        `Due: ${reminder.dueOn}`,
        `Reminder: ${reminder.id} (mark it handled with markReminderHandled once done)`,
      ].join("\n"),
      headers: { "X-Yhdyspinta-Reminder": reminder.id },
    };
  }
}

/** The groups service's background work: the reminder job, when SMTP is configured. */
export async function startReminderWorker({ orm }: BackgroundContext): Promise<{ stop(): Promise<void> }> {
  const settings = readConfig().reminders;
  const smtpUrl = settings.smtpUrl;
  if (!smtpUrl) return { stop: async () => undefined };
  const worker = new ReminderWorker(orm.em as EntityManager, { ...settings, smtpUrl });
  worker.start();
  return { stop: async () => await worker.stop() };
}
