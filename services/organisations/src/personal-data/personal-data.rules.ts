import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { addMonths, ANONYMISED, anonymiseAuditTrail, auditActorOf, recordChange, recordedValues, scrubbableValues, type RetentionSettings } from "@yhdyspinta/core";
import type { GroupRoles } from "./groups-roles.ts";
import { anonymisePersonRow, scrubDeadLetters, type HeldPerson } from "./personal-data.queries.ts";
import { SCRUB_SUBGRAPHS } from "./scrub.delivery.ts";
import { insertScrubs } from "./scrub.queries.ts";

/**
 * The rules of personal data over its life (docs/PERSONAL-DATA.md): until
 * when a person's identifying values are kept, and what anonymising them does.
 */

/** The person's fields that identify them: replaced in the record and in its recorded changes. */
export const IDENTIFYING_FIELDS = ["name", "nameNormalised", "title", "email", "phone"] as const;

/** The person's fields whose values are also searched for, and replaced, in every other recorded change and webhook message. */
export const SEARCHED_FIELDS = ["name", "email", "phone"] as const;

/**
 * The last day a person's identifying values are kept, from their roles in
 * groups: `contactMonths` after the last role ended, and `rejectedNomineeMonths`
 * after the last round that did not appoint them closed, whichever is later.
 * Null: kept (a role continues, or the person has no role in groups: their
 * purpose is their organisation's contact, which ends when the organisation
 * or a coordinator removes them).
 */
export function retainedUntil(roles: GroupRoles, settings: Pick<RetentionSettings, "contactMonths" | "rejectedNomineeMonths">): string | null {
  if (!roles.hasRoles || roles.ongoing) return null;
  const until = [
    roles.lastRoleEndedOn ? addMonths(roles.lastRoleEndedOn, settings.contactMonths) : null,
    roles.lastNotAppointedRoundClosedOn ? addMonths(roles.lastNotAppointedRoundClosedOn, settings.rejectedNomineeMonths) : null,
  ].filter((d): d is string => d !== null);
  // Roles none of which has an end day (e.g. attendance alone): kept until a role says when it ended.
  return until.length === 0 ? null : until.sort().at(-1)!;
}

/**
 * Anonymises a person in the transaction `tx` (whose EntityManager carries
 * the actor: the job's service or the request's caller): the record's
 * identifying values go, and every name, e-mail and phone the person ever
 * had (the current ones, and former ones their own recorded changes hold,
 * e.g. a name before a rename) goes from every recorded change and every
 * webhook message kept for replay, and one change records the
 * anonymisation itself: a DELETE of the person's personal values (the
 * change feed's tombstone, so copies elsewhere drop them too) naming why,
 * without them. The id, the organisation and every role in groups stay.
 * The same values go into the scrub outbox, one row for each subgraph that
 * refers to people by id (groups, planning), to be scrubbed there from
 * free text and their audit trail (scrub.delivery.ts). Returns the
 * erasure's id (the tombstone change's), which names those rows.
 */
export async function anonymisePerson(tx: EntityManager, person: HeldPerson, why: string, at: Date): Promise<string> {
  // Read before anything is scrubbed: afterwards the former values are gone from the person's own changes.
  const former = await recordedValues(tx, { type: "Person", id: person.id }, SEARCHED_FIELDS);
  const values = scrubbableValues([person.name, person.email, person.phone, ...former]);
  await anonymisePersonRow(tx, person.id, at);
  await anonymiseAuditTrail(tx, { type: "Person", id: person.id }, IDENTIFYING_FIELDS, values);
  await scrubDeadLetters(tx, values);
  const tombstone = await recordChange(tx, {
    entityType: "Person",
    entityId: person.id,
    operation: "DELETE",
    // Every column of the record, as the anonymised row holds it: a `knownAt` read before this instant
    // rebuilds the person from this `before` (packages/core/src/audit/known-at.ts), and a column left out
    // would read as null (a null `nameNormalised` dropped the person from the people list's pages).
    before: {
      id: person.id,
      organisationId: person.organisationId,
      name: ANONYMISED,
      nameNormalised: ANONYMISED,
      title: null,
      email: null,
      phone: null,
      anonymisedAt: at,
      anonymisedBecause: why,
    },
    after: null,
  });
  const erasureId = tombstone ?? randomUUID();
  await insertScrubs(tx, {
    ids: SCRUB_SUBGRAPHS.map(() => randomUUID()),
    erasureId,
    personId: person.id,
    subgraphs: SCRUB_SUBGRAPHS,
    values,
    reason: why,
    requestedBy: auditActorOf(tx)?.subject ?? null,
  });
  return erasureId;
}
