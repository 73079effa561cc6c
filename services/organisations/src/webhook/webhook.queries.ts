import pg from "pg";
import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * The webhook store's hand SQL (tables of Migration20261204160000_webhooks).
 * Not entities on purpose: the audit subscriber records every entity write
 * into the change feed, and the feed is what these tables deliver.
 */

/** Channel on which the store announces work for the delivery worker (a replay, a new or re-activated endpoint). */
export const WEBHOOK_CHANNEL = "webhooks";

export type FeedPositions = Record<"groups" | "organisations" | "planning", string>;

export interface EndpointRow {
  id: string;
  url: string;
  secret: string;
  description: string | null;
  types: string[] | null;
  county_codes: string[] | null;
  active: boolean;
  positions: FeedPositions;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  last_delivered_at: Date | null;
  created_at: Date;
}

export interface DeadLetterRow {
  id: string;
  endpoint_id: string;
  message_id: string;
  event_type: string;
  payload: string;
  attempts: number;
  last_error: string | null;
  dead_at: Date;
  replay_requested_at: Date | null;
}

const ENDPOINT_COLUMNS = `id, url, secret, description, types, county_codes, active, positions, attempts, next_attempt_at, last_error, last_delivered_at, created_at`;

/**
 * The delivery worker's own connections (webhookWorkerSql): its statements
 * run in the background, outside any request, and must not count in the
 * process's per-request SQL statistics (stats.ts), which only the ORM's
 * connections feed.
 */
export interface WebhookWorkerSql {
  kind: "webhook-worker";
  run<T>(sql: string, params: unknown[]): Promise<T[]>;
  end(): Promise<void>;
}

/** A small pool of the worker's own on the store's database; `?` placeholders as the ORM's (inlined by its platform). */
export function webhookWorkerSql(databaseUrl: string, platform: { formatQuery(sql: string, params: readonly unknown[]): string }, statementTimeoutMs: number): WebhookWorkerSql {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3, statement_timeout: statementTimeoutMs });
  // A dropped connection fails the statement using it; the pool itself must not crash the process.
  pool.on("error", () => undefined);
  return {
    kind: "webhook-worker",
    run: async <T>(sql: string, params: unknown[]) => (await pool.query(platform.formatQuery(sql, params))).rows as T[],
    end: () => pool.end(),
  };
}

type Db = EntityManager | WebhookWorkerSql;

async function run<T>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  if ("kind" in db && db.kind === "webhook-worker") return await db.run<T>(sql, params);
  return await (db as EntityManager).getConnection().execute<T[]>(sql, params, "all");
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** insertWebhookEndpoint: a new endpoint; announces it to the workers. */
export async function insertWebhookEndpoint(
  em: EntityManager,
  e: { id: string; url: string; secret: string; description: string | null; types: string[] | null; countyCodes: string[] | null; active: boolean; positions: FeedPositions; createdBy: string | null },
): Promise<EndpointRow> {
  const [row] = await run<EndpointRow>(
    em,
    `/* insertWebhookEndpoint */ with inserted as (
       insert into webhook_endpoint (id, url, secret, description, types, county_codes, active, positions, created_by)
       values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?::jsonb, ?) returning ${ENDPOINT_COLUMNS}
     ) select inserted.*, pg_notify('${WEBHOOK_CHANNEL}', inserted.id) is null as notified from inserted`,
    [e.id, e.url, e.secret, e.description, json(e.types), json(e.countyCodes), e.active, JSON.stringify(e.positions), e.createdBy],
  );
  return row!;
}

/** updateWebhookEndpoint: changes the given settings (a re-activated endpoint is due at once); null when there is no such endpoint. */
export async function updateWebhookEndpoint(
  em: EntityManager,
  id: string,
  patch: { url?: string; description?: string | null; types?: string[] | null; countyCodes?: string[] | null; active?: boolean },
): Promise<EndpointRow | null> {
  const sets: string[] = [`updated_at = now()`];
  const params: unknown[] = [];
  if (patch.url !== undefined) (sets.push(`url = ?`), params.push(patch.url));
  if (patch.description !== undefined) (sets.push(`description = ?`), params.push(patch.description));
  if (patch.types !== undefined) (sets.push(`types = ?::jsonb`), params.push(json(patch.types)));
  if (patch.countyCodes !== undefined) (sets.push(`county_codes = ?::jsonb`), params.push(json(patch.countyCodes)));
  if (patch.active !== undefined) (sets.push(`active = ?`, `next_attempt_at = null`, `attempts = 0`), params.push(patch.active));
  const [row] = await run<EndpointRow>(
    em,
    `/* updateWebhookEndpoint */ with updated as (
       update webhook_endpoint set ${sets.join(", ")} where id = ? returning ${ENDPOINT_COLUMNS}
     ) select updated.*, pg_notify('${WEBHOOK_CHANNEL}', updated.id) is null as notified from updated`,
    [...params, id],
  );
  return row ?? null;
}

/** deleteWebhookEndpoint: removes an endpoint and its dead letters; whether it existed. */
export async function deleteWebhookEndpoint(em: EntityManager, id: string): Promise<boolean> {
  return (await run<{ id: string }>(em, `/* deleteWebhookEndpoint */ delete from webhook_endpoint where id = ? returning id`, [id])).length > 0;
}

/** webhookEndpoints: every endpoint (or one), oldest first. */
export async function webhookEndpoints(em: EntityManager, id: string | null = null): Promise<EndpointRow[]> {
  return await run<EndpointRow>(
    em,
    `/* webhookEndpoints */ select ${ENDPOINT_COLUMNS} from webhook_endpoint ${id === null ? "" : "where id = ?"} order by created_at, id`,
    id === null ? [] : [id],
  );
}

/** webhookDeadLetters: the dead letters (of an endpoint), oldest first. */
export async function webhookDeadLetters(em: EntityManager, endpointId: string | null, limit: number): Promise<DeadLetterRow[]> {
  return await run<DeadLetterRow>(
    em,
    `/* webhookDeadLetters */ select * from webhook_dead_letter ${endpointId === null ? "" : "where endpoint_id = ?"} order by dead_at, id limit ?`,
    endpointId === null ? [limit] : [endpointId, limit],
  );
}

/** requestWebhookReplay: queues an endpoint's dead letters (all, or the given ids) for replay and wakes the workers; how many were queued. */
export async function requestWebhookReplay(em: EntityManager, endpointId: string, ids: readonly string[] | null): Promise<number> {
  const rows = await run<{ id: string }>(
    em,
    `/* requestWebhookReplay */ update webhook_dead_letter set replay_requested_at = clock_timestamp()
     where endpoint_id = ? ${ids === null ? "" : "and id in (?)"} returning id`,
    ids === null ? [endpointId] : [endpointId, ids],
  );
  await run(em, `/* wakeWebhookEndpointNow */ update webhook_endpoint set next_attempt_at = null, attempts = 0 where id = ? returning pg_notify('${WEBHOOK_CHANNEL}', id) is null as notified`, [endpointId]);
  return rows.length;
}

// The delivery worker's statements (webhook.worker.ts).

/**
 * claimWebhookEndpoint: leases one active endpoint that is due (not waiting
 * for a retry) and not leased by another worker, leaving out `skip`; the
 * lease keeps one worker per endpoint, so its messages go one at a time, in order.
 */
export async function claimWebhookEndpoint(em: Db, owner: string, leaseMs: number, skip: readonly string[]): Promise<EndpointRow | null> {
  const [row] = await run<EndpointRow>(
    em,
    `/* claimWebhookEndpoint */ update webhook_endpoint set lease_owner = ?, lease_until = clock_timestamp() + ? * interval '1 millisecond'
     where id = (
       select id from webhook_endpoint
       where active and (next_attempt_at is null or next_attempt_at <= clock_timestamp()) and (lease_until is null or lease_until < clock_timestamp())
         ${skip.length > 0 ? "and id not in (?)" : ""}
       order by next_attempt_at nulls first, id limit 1 for update skip locked
     ) returning ${ENDPOINT_COLUMNS}`,
    skip.length > 0 ? [owner, leaseMs, skip] : [owner, leaseMs],
  );
  return row ?? null;
}

/** recordWebhookOutcome: the endpoint's state after an attempt, if this worker still holds its lease; whether it did. */
export async function recordWebhookOutcome(
  em: Db,
  id: string,
  owner: string,
  state: { positions: FeedPositions; attempts: number; nextAttemptAt: Date | null; lastError: string | null; delivered: boolean; attempted: boolean },
  leaseMs: number,
): Promise<boolean> {
  const rows = await run<{ id: string }>(
    em,
    `/* recordWebhookOutcome */ update webhook_endpoint set positions = ?::jsonb, attempts = ?, next_attempt_at = ?, last_error = coalesce(?, last_error),
       last_attempt_at = case when ? then clock_timestamp() else last_attempt_at end,
       last_delivered_at = case when ? then clock_timestamp() else last_delivered_at end,
       lease_until = clock_timestamp() + ? * interval '1 millisecond'
     where id = ? and lease_owner = ? returning id`,
    [JSON.stringify(state.positions), state.attempts, state.nextAttemptAt, state.lastError, state.attempted, state.delivered, leaseMs, id, owner],
  );
  return rows.length > 0;
}

/** releaseWebhookEndpoint: gives up this worker's lease. */
export async function releaseWebhookEndpoint(em: Db, id: string, owner: string): Promise<void> {
  await run(em, `/* releaseWebhookEndpoint */ update webhook_endpoint set lease_owner = null, lease_until = null where id = ? and lease_owner = ? returning id`, [id, owner]);
}

/** nextWebhookRetry: the earliest time an active endpoint waits for: its retry, or the end of another worker's lease (a killed worker's). */
export async function nextWebhookRetry(em: Db): Promise<Date | null> {
  const [row] = await run<{ at: Date | null }>(
    em,
    `/* nextWebhookRetry */ select min(greatest(next_attempt_at, lease_until)) as at from webhook_endpoint where active and (next_attempt_at is not null or lease_until is not null)`,
  );
  return row?.at ?? null;
}

/** insertWebhookDeadLetter: a message that failed every attempt. */
export async function insertWebhookDeadLetter(
  em: Db,
  d: { id: string; endpointId: string; messageId: string; eventType: string; payload: string; attempts: number; lastError: string | null },
): Promise<void> {
  await run(
    em,
    `/* insertWebhookDeadLetter */ insert into webhook_dead_letter (id, endpoint_id, message_id, event_type, payload, attempts, last_error) values (?, ?, ?, ?, ?, ?, ?) returning id`,
    [d.id, d.endpointId, d.messageId, d.eventType, d.payload, d.attempts, d.lastError],
  );
}

/** nextWebhookReplay: the oldest dead letter of the endpoint queued for replay. */
export async function nextWebhookReplay(em: Db, endpointId: string): Promise<DeadLetterRow | null> {
  const [row] = await run<DeadLetterRow>(
    em,
    `/* nextWebhookReplay */ select * from webhook_dead_letter where endpoint_id = ? and replay_requested_at is not null order by dead_at, id limit 1`,
    [endpointId],
  );
  return row ?? null;
}

/** finishWebhookReplay: a replayed dead letter was accepted (removed) or failed every attempt again (stays, no longer queued). */
export async function finishWebhookReplay(em: Db, id: string, outcome: { delivered: true } | { delivered: false; attempts: number; lastError: string }): Promise<void> {
  if (outcome.delivered) {
    await run(em, `/* deleteWebhookDeadLetter */ delete from webhook_dead_letter where id = ? returning id`, [id]);
  } else {
    await run(
      em,
      `/* failWebhookReplay */ update webhook_dead_letter set replay_requested_at = null, attempts = attempts + ?, last_error = ?, dead_at = dead_at where id = ? returning id`,
      [outcome.attempts, outcome.lastError, id],
    );
  }
}
