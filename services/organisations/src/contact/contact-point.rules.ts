import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError, uniqueRuleError, type Viewer } from "@yhdyspinta/core";
import { lockOrganisationToWrite } from "../organisation/organisation.rules.ts";
import type { Organisation } from "../organisation/organisation.entity.ts";
import { ContactPoint } from "./contact-point.entity.ts";
import type { UpdateContactPointInput } from "./contact-point.input.ts";

/**
 * The rules of an organisation's contact point: written by whoever may write
 * the organisation's county (its row is locked first, as for every write
 * attached to an organisation); at least one of the addresses, e-mail or web
 * address; `validTo` not before `validFrom`; a label unique in its
 * organisation among the contact points not ended
 * (`contact_point_active_label_unique`). A contact point ends on a day
 * (`endContactPoint`); one entered by mistake is removed with its provenance
 * (nothing else refers to it).
 */

/** Locks a contact point and its organisation for a write the caller may make; NOT_FOUND-like BAD_USER_INPUT on `field`. */
export async function lockContactPoint(tx: EntityManager, id: string, field: string, viewer: Viewer): Promise<{ contact: ContactPoint; organisation: Organisation }> {
  const found = await tx.findOne(ContactPoint, { id });
  if (!found) throw new BadUserInputError(field, `no contact point "${id}"`);
  const organisation = await lockOrganisationToWrite(tx, found.organisationId, field, viewer);
  const contact = (await tx.findOne(ContactPoint, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }))!;
  return { contact, organisation };
}

/** Checks a new (`current` null) or changed contact point as it would be stored; BAD_USER_INPUT naming the field. */
export async function checkContactPoint(tx: EntityManager, organisationId: string, input: UpdateContactPointInput, current: ContactPoint | null): Promise<void> {
  const value = <K extends keyof UpdateContactPointInput & keyof ContactPoint>(key: K) => (input[key] !== undefined ? input[key] : (current?.[key] ?? null));
  if (!value("visitingAddress") && !value("postalAddress") && !value("registryEmail") && !value("website")) {
    throw new BadUserInputError("input.visitingAddress", "a contact point needs at least one of visitingAddress, postalAddress, registryEmail, website");
  }
  const validFrom = value("validFrom") as string | null;
  const validTo = value("validTo") as string | null;
  if (validFrom && validTo && validTo < validFrom) throw new BadUserInputError(input.validTo !== undefined ? "input.validTo" : "input.validFrom", `validTo must not be before validFrom (${validFrom})`);
  const label = (value("label") as string | null)?.trim() ?? null;
  if (label !== null && validTo === null) {
    const open = await tx.find(ContactPoint, { organisationId, validTo: null });
    const same = open.find((c) => c.id !== current?.id && c.label?.trim().toLowerCase() === label.toLowerCase());
    if (same) throw uniqueRuleError("contact_point_active_label_unique", `contact point ${same.id}`);
  }
}
