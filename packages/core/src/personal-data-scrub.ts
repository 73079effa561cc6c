import type { IncomingMessage, ServerResponse } from "node:http";
import type { EntityManager } from "@mikro-orm/postgresql";
import { recordChange } from "./audit/record.ts";
import { ViewerRole } from "./auth.ts";
import { forkForViewer } from "./audit/actor.ts";
import { readJsonBody, sendJson, type Routes } from "./http.ts";
import { logger } from "./logger.ts";
import { ANONYMISED, ownTables, scrubbableValues } from "./personal-data.ts";
import { lockScrubOf, SCRUB_ENTITY_TYPE, scrubRecorded, scrubRows, scrubTables, writeScrubbedRows } from "./personal-data-scrub.queries.ts";
import type { InternalRouteDeps } from "./subgraph.ts";

/**
 * An erased person's values scrubbed from a subgraph that refers to people
 * by id only (groups, planning; docs/PERSONAL-DATA.md "Erasure"). The
 * organisations subgraph owns people: when it anonymises one (erasure or
 * retention) it keeps every name, e-mail and phone the person ever had in
 * its scrub outbox (`personal_data_scrub`, written in the anonymisation's
 * transaction) and delivers them to each other subgraph's internal route
 * `POST /internal/personal-data/scrub`, signed as `service:organisations`,
 * until it answers 200; then it forgets them. Here they are replaced by
 * `(anonymised)` wherever typed into the subgraph's own tables (free text:
 * meeting decisions, notes, descriptions) and in its audit trail's recorded
 * values, and one change records the scrub without them. Idempotent: a
 * second delivery of the same erasure finds that change and does nothing.
 */

/** Where a subgraph takes the scrubs (behind the internal signature, like every subgraph path). */
export const SCRUB_PATH = "/internal/personal-data/scrub";

/** The only caller a subgraph takes a scrub from: the subgraph that owns people. */
export const SCRUB_CALLER = "service:organisations";

/** One erasure's values, as the organisations subgraph sends them. */
export interface ScrubRequest {
  /** Id of the erasure: the organisations subgraph's tombstone change of the person. */
  erasureId: string;
  personId: string;
  /** Every name, e-mail and phone the person had (values shorter than 3 characters are left alone). */
  values: string[];
  /** Why the person was anonymised (the tombstone's `anonymisedBecause`). */
  reason: string;
  /** Who asked for it (the tombstone's actor: the data protection officer, or `service:retention`). */
  requestedBy: string | null;
}

/** What a scrub did: the records and recorded changes it altered, or nothing when the erasure was scrubbed before. */
export interface ScrubOutcome {
  erasureId: string;
  already: boolean;
  records: number;
  changes: number;
}

/** Records listed by key in the scrub's own change; past this many only counted. */
const LISTED_RECORDS = 200;

/**
 * `value` with every occurrence of each of `values` in a string replaced by
 * ANONYMISED (JSON walked through, keys left alone); longer values first,
 * so that a value inside another goes with it. Free text keeps the rest of
 * what was written: "Chair: (anonymised)".
 */
export function redactValues(value: unknown, values: readonly string[]): unknown {
  const longestFirst = values.filter((v) => v.length > 0).sort((a, b) => b.length - a.length || a.localeCompare(b));
  const redact = (v: unknown): unknown => {
    if (typeof v === "string") return longestFirst.reduce((text, needle) => (text.includes(needle) ? text.split(needle).join(ANONYMISED) : text), v);
    if (Array.isArray(v)) return v.map(redact);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, redact(inner)]));
    return v;
  };
  return redact(value);
}

/**
 * Scrubs one erasure's values from the subgraph's own tables and audit
 * trail, in one transaction of `em` (which carries the caller, recorded as
 * the scrub's actor), and records the scrub as a `DELETE` of the
 * `DataSubject` whose `before` names the erasure, why and at whose request,
 * and which records and how many recorded changes were altered, without the
 * values. Serialised per person; a repeated erasure changes nothing.
 */
export async function scrubPersonalData(em: EntityManager, request: ScrubRequest): Promise<ScrubOutcome> {
  const values = scrubbableValues(request.values).sort((a, b) => b.length - a.length || a.localeCompare(b));
  return await em.transactional(async (tx) => {
    const t = tx as EntityManager;
    await lockScrubOf(t, request.personId);
    if (await scrubRecorded(t, request.personId, request.erasureId)) return { erasureId: request.erasureId, already: true, records: 0, changes: 0 };
    const records: { table: string; key: string; columns: string[] }[] = [];
    let changes = 0;
    if (values.length > 0) {
      const needles = { raw: values, json: values.map((v) => JSON.stringify(v).slice(1, -1)) };
      for (const table of await scrubTables(t, ownTables(t))) {
        const altered: Record<string, unknown>[] = [];
        for (const row of await scrubRows(t, table, needles)) {
          const columns = table.columns.filter((c) => JSON.stringify(redactValues(row[c.name], values)) !== JSON.stringify(row[c.name])).map((c) => c.name);
          if (columns.length === 0) continue;
          altered.push(Object.fromEntries([...table.key.map((k) => [k, row[k]]), ...table.columns.map((c) => [c.name, redactValues(row[c.name], values)])]));
          if (table.table === "change_record") changes++;
          else records.push({ table: table.table, key: table.key.map((k) => String(row[k])).join("/"), columns });
        }
        await writeScrubbedRows(t, table, altered);
      }
    }
    await recordChange(t, {
      entityType: SCRUB_ENTITY_TYPE,
      entityId: request.personId,
      operation: "DELETE",
      before: {
        personId: request.personId,
        erasureId: request.erasureId,
        anonymisedBecause: redactValues(request.reason, values),
        requestedBy: request.requestedBy,
        scrubbedRecords: records.slice(0, LISTED_RECORDS),
        scrubbedRecordCount: records.length,
        scrubbedChangeCount: changes,
      },
      after: null,
    });
    return { erasureId: request.erasureId, already: false, records: records.length, changes };
  });
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,254}$/;

/** The request's body if it is a scrub request, else what is wrong with it. */
export function parseScrubRequest(body: unknown): ScrubRequest | string {
  if (!body || typeof body !== "object" || Array.isArray(body)) return "the body is not an object";
  const b = body as Record<string, unknown>;
  if (typeof b["erasureId"] !== "string" || !KEY.test(b["erasureId"])) return "erasureId: an id of 1–255 letters, digits, '.', '_', ':' or '-'";
  if (typeof b["personId"] !== "string" || !KEY.test(b["personId"])) return "personId: an id of 1–255 letters, digits, '.', '_', ':' or '-'";
  const values = b["values"];
  if (!Array.isArray(values) || values.length > 200 || values.some((v) => typeof v !== "string" || v.length > 1000)) return "values: at most 200 strings of at most 1000 characters";
  if (typeof b["reason"] !== "string" || b["reason"].length > 1000) return "reason: a string of at most 1000 characters";
  const requestedBy = b["requestedBy"] ?? null;
  if (requestedBy !== null && (typeof requestedBy !== "string" || requestedBy.length > 255)) return "requestedBy: null or a string of at most 255 characters";
  return { erasureId: b["erasureId"], personId: b["personId"], values: values as string[], reason: b["reason"], requestedBy };
}

/**
 * The internal route of a subgraph that refers to people by id: `POST
 * /internal/personal-data/scrub` with a ScrubRequest, from the organisations
 * service only (403 for anyone else, 400 naming the field for a bad body).
 * Answers 200 with the ScrubOutcome once the scrub is committed, 503 if it
 * could not be (the sender tries again). Logs counts, never the values.
 */
export function personalDataScrubRoutes(deps: Pick<InternalRouteDeps, "orm" | "viewerOf">): Routes {
  return {
    [SCRUB_PATH]: async (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== "POST") {
        res.setHeader("allow", "POST");
        sendJson(res, 405, { error: "A scrub is posted" });
        return;
      }
      const viewer = deps.viewerOf(req);
      if (viewer.subject !== SCRUB_CALLER || viewer.role !== ViewerRole.Admin) {
        sendJson(res, 403, { error: `Only the organisations service (${SCRUB_CALLER}) asks for a scrub of a person's values`, code: "FORBIDDEN" });
        return;
      }
      const body = await readJsonBody<unknown>(req, res, "The body is not a scrub request");
      if (body === null) return;
      const request = parseScrubRequest(body);
      if (typeof request === "string") {
        sendJson(res, 400, { error: request, code: "BAD_USER_INPUT" });
        return;
      }
      try {
        const outcome = await scrubPersonalData(forkForViewer(deps.orm.em, viewer), request);
        logger().info({ erasureId: outcome.erasureId, already: outcome.already, records: outcome.records, changes: outcome.changes }, "personal data scrubbed");
        sendJson(res, 200, outcome);
      } catch (error) {
        // The database's message may quote a value: only its code is logged.
        const code = (error as { code?: unknown }).code;
        logger().warn({ erasureId: request.erasureId, err: typeof code === "string" ? `database error ${code}` : error instanceof Error ? error.name : "error" }, "personal data scrub failed");
        sendJson(res, 503, { error: "The scrub could not be committed; try again", code: "UNAVAILABLE" });
      }
    },
  };
}
