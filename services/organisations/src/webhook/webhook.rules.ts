import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { BadUserInputError } from "@yhdyspinta/core";
import type { FeedPositions } from "./webhook.queries.ts";

/**
 * Webhook rules: what an endpoint may be, the Standard Webhooks signature
 * (https://www.standardwebhooks.com: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, key
 * `whsec_<base64>`), the message of one change, the retry schedule.
 */

export const FEED_SUBGRAPHS = ["groups", "organisations", "planning"] as const;
export type FeedSubgraph = (typeof FEED_SUBGRAPHS)[number];
export const FEED_START: FeedPositions = { groups: "0", organisations: "0", planning: "0" };

const RECORD_TYPE = /^[A-Z][A-Za-z]{0,63}$/;
const COUNTY_CODE = /^\d{2}$/;
const SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** Endpoint URL: absolute http(s), no credentials in it, https in production. */
export function checkEndpointUrl(value: string, production: boolean, field = "input.url"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BadUserInputError(field, "must be an absolute http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new BadUserInputError(field, "must be an absolute http(s) URL");
  if (production && url.protocol !== "https:") throw new BadUserInputError(field, "must be an https URL in production");
  if (url.username || url.password) throw new BadUserInputError(field, "must not carry a user name or password (the signature authenticates deliveries)");
  if (value.length > 2000) throw new BadUserInputError(field, "must be at most 2000 characters");
  return url.toString();
}

/** A supplied secret: `whsec_` and the base64 of 24–64 random bytes. */
export function checkSecret(value: string, field = "input.secret"): string {
  const match = SECRET.exec(value);
  const bytes = match ? Buffer.from(match[1]!, "base64").length : 0;
  if (!match || bytes < 24 || bytes > 64) throw new BadUserInputError(field, "must be whsec_ followed by the base64 of 24 to 64 random bytes");
  return value;
}

/** A new secret: 32 random bytes. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** Type filter: record type names, or null for every type (an empty list too). */
export function checkTypes(types: readonly string[] | null | undefined, field = "input.types"): string[] | null {
  if (!types || types.length === 0) return null;
  if (types.length > 50) throw new BadUserInputError(field, "must name at most 50 record types");
  for (const type of types) if (!RECORD_TYPE.test(type)) throw new BadUserInputError(field, `"${type.slice(0, 40)}" is not a record type name`);
  return [...new Set(types)];
}

/** County filter: 2-digit county codes, or null for every county (an empty list too). */
export function checkCountyCodes(codes: readonly string[] | null | undefined, field = "input.countyCodes"): string[] | null {
  if (!codes || codes.length === 0) return null;
  for (const code of codes) if (!COUNTY_CODE.test(code)) throw new BadUserInputError(field, `"${code.slice(0, 10)}" is not a county code (2 digits)`);
  return [...new Set(codes)];
}

/** A GET /changes cursor: base64url of `{"v":1,"p":{subgraph: position}}` (gateway/src/change-feed/merge.ts). */
export function encodeCursor(positions: FeedPositions): string {
  // In the feed's own key order (a jsonb column hands the keys back in its own).
  const ordered = Object.fromEntries(FEED_SUBGRAPHS.map((name) => [name, positions[name]]));
  return Buffer.from(JSON.stringify({ v: 1, p: ordered }), "utf8").toString("base64url");
}

/** The positions of a GET /changes cursor; BAD_USER_INPUT when it is not one. */
export function decodeCursor(cursor: string, field = "input.after"): FeedPositions {
  const bad = () => new BadUserInputError(field, "is not a cursor issued by the change feed (GET /changes)");
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw bad();
  let parsed: { v?: unknown; p?: Record<string, unknown> };
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as typeof parsed;
  } catch {
    throw bad();
  }
  if (parsed.v !== 1 || typeof parsed.p !== "object" || parsed.p === null) throw bad();
  const positions = { ...FEED_START };
  for (const name of FEED_SUBGRAPHS) {
    const value = parsed.p[name];
    if (value === undefined) continue;
    if (typeof value !== "string" || !/^\d{1,18}$/.test(value)) throw bad();
    positions[name] = value;
  }
  return positions;
}

/** One event of a subgraph's change feed, as its `<subgraph>ChangeFeed` field returns it. */
export interface FeedEvent {
  position: string;
  subgraph: FeedSubgraph;
  committedAt: string;
  countyCode: string | null;
  change: { id: string; entityType: string; entityId: string; operation: string } & Record<string, unknown>;
}

/** A message to deliver: its webhook-id, type and exact body. */
export interface WebhookMessage {
  id: string;
  type: string;
  body: string;
}

/**
 * The message of one change: `{ type, timestamp, data }` as Standard Webhooks
 * suggests, `data` being the feed's event with the cursor after it (resume
 * GET /changes from it). The id is the change's: the same at every retry,
 * replay and endpoint, so a receiver drops duplicates by it.
 */
export function changeMessage(event: FeedEvent, cursorAfter: string): WebhookMessage {
  const type = `${event.change.entityType}.${event.change.operation}`;
  const body = JSON.stringify({
    type,
    timestamp: event.committedAt,
    data: { cursor: cursorAfter, subgraph: event.subgraph, position: event.position, committedAt: event.committedAt, countyCode: event.countyCode, change: event.change },
  });
  return { id: `msg_${event.change.id}`, type, body };
}

/**
 * The Standard Webhooks headers of one attempt, signed with the
 * `standardwebhooks` package (the scheme's reference implementation; the
 * test checks it against the spec with node:crypto).
 */
export function signedHeaders(secret: string, message: WebhookMessage, at = new Date()): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "yhdyspinta-webhooks/1",
    "webhook-id": message.id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(message.id, at, message.body),
  };
}

/** Wait before retry number `attempts` (1 = after the first failure): doubling from `baseMs`, at most `maxMs`. */
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempts - 1, 30));
}
