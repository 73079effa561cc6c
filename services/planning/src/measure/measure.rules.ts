import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, type Viewer } from "@yhdyspinta/core";
import { AnnualNegotiation } from "../negotiation/negotiation.entity.ts";
import { Measure } from "./measure.entity.ts";

/**
 * The rules of a measure: the lock a change takes (with the county check),
 * and that a measure recorded in an annual negotiation stays (it is
 * cancelled instead). Its references' county scope is ../county-scope.rules.ts.
 */

/** Locks the measure row for the rest of the transaction and checks the caller may change its county. */
export async function lockMeasure(tx: EntityManager, viewer: Viewer, id: string, field: string): Promise<Measure> {
  const measure = await tx.findOne(Measure, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!measure) throw new BadUserInputError(field, `no measure "${id}"`);
  assertCanWriteCounty(viewer, measure.countyCode);
  return measure;
}

/** A measure an annual negotiation's record lists is not removed. */
export async function checkMeasureRemovable(tx: EntityManager, measure: Measure): Promise<void> {
  const negotiation = await tx.findOne(AnnualNegotiation, { measureIds: { $contains: [measure.id] } });
  if (negotiation) {
    throw new BadUserInputError("measureId", `annual negotiation ${negotiation.id} (${negotiation.heldOn}) lists the measure: set its status to CANCELLED instead`);
  }
}
