import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, type ReferenceCheck, type Viewer } from "@yhdyspinta/core";
import { AnnualNegotiation } from "../negotiation/negotiation.entity.ts";
import { WellbeingGoal } from "../plan/plan.entity.ts";
import { Measure } from "./measure.entity.ts";
import { MeasureStatus } from "./measure-status.ts";

/**
 * The rules of a measure: the lock a change takes (with the county check),
 * that a measure recorded in an annual negotiation stays (it is cancelled
 * instead), its goal and dates; how a measure is created and changed
 * (`createMeasure`, `updateMeasure` and the measures import alike). Its
 * references' county scope is ../county-scope.rules.ts.
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

/** The goal a measure pursues exists (`createMeasure`, `updateMeasure`, the measures import). */
export async function checkMeasureGoal(tx: EntityManager, goalId: string | null | undefined, field: string): Promise<void> {
  if (goalId && !(await tx.findOne(WellbeingGoal, { id: goalId }))) throw new BadUserInputError(field, `no goal "${goalId}"`);
}

/** A measure does not end before it starts. */
export function checkMeasureDates(measure: Pick<Measure, "startsOn" | "endsOn">, field: string): void {
  if (measure.startsOn && measure.endsOn && measure.endsOn < measure.startsOn) {
    throw new BadUserInputError(field, `the measure would end (${measure.endsOn}) before it starts (${measure.startsOn})`);
  }
}

/** The references a measure's responsible organisations and groups make (their county scope: ../county-scope.rules.ts). */
export function measureReferenceChecks(input: { organisationIds?: readonly string[] | null | undefined; groupIds?: readonly string[] | null | undefined }): ReferenceCheck[] {
  return [
    { field: "input.organisationIds", type: "Organisation", keys: [...(input.organisationIds ?? [])] },
    { field: "input.groupIds", type: "CooperationGroup", keys: [...(input.groupIds ?? [])] },
  ];
}

/** What a new measure is made of (`CreateMeasureInput`'s fields). */
export interface NewMeasure {
  countyCode: string;
  goalId?: string | null | undefined;
  title: string;
  description?: string | null | undefined;
  startsOn?: string | null | undefined;
  endsOn?: string | null | undefined;
  scheduleNote?: string | null | undefined;
  status?: MeasureStatus | null | undefined;
  organisationIds?: readonly string[] | null | undefined;
  groupIds?: readonly string[] | null | undefined;
}

/**
 * A new measure, after its county check (the caller's), its references'
 * scope check and its rules (dates, goal): `createMeasure` and the measures
 * import. Not flushed.
 */
export async function createMeasureRecord(tx: EntityManager, viewer: Viewer, input: NewMeasure): Promise<Measure> {
  assertCanWriteCounty(viewer, input.countyCode);
  checkMeasureDates({ startsOn: input.startsOn ?? null, endsOn: input.endsOn ?? null }, "input.endsOn");
  await checkMeasureGoal(tx, input.goalId, "input.goalId");
  return tx.create(Measure, {
    id: `measure-${randomUUID()}`,
    countyCode: input.countyCode,
    goalId: input.goalId ?? null,
    title: input.title,
    description: input.description ?? null,
    startsOn: input.startsOn ?? null,
    endsOn: input.endsOn ?? null,
    scheduleNote: input.scheduleNote ?? null,
    status: input.status ?? MeasureStatus.PLANNED,
    organisationIds: [...new Set(input.organisationIds ?? [])],
    groupIds: [...new Set(input.groupIds ?? [])],
  });
}

/** Changes to a measure (`UpdateMeasureInput`'s fields): omitted stay, null clears an optional one. */
export type MeasureChanges = Omit<NewMeasure, "countyCode" | "title"> & { title?: string | null | undefined };

/** Applies changes to a locked measure (`lockMeasure`) by `updateMeasure`'s rules: `updateMeasure` and the measures import. Not flushed. */
export async function applyMeasureChanges(tx: EntityManager, measure: Measure, input: MeasureChanges): Promise<void> {
  if (input.title === null) throw new BadUserInputError("input.title", "a measure keeps a title");
  if (input.status === null) throw new BadUserInputError("input.status", "a measure keeps a status");
  if (input.goalId) await checkMeasureGoal(tx, input.goalId, "input.goalId");
  for (const key of ["goalId", "description", "startsOn", "endsOn", "scheduleNote"] as const) {
    if (input[key] !== undefined) measure[key] = input[key] ?? null;
  }
  if (input.title) measure.title = input.title;
  if (input.status) measure.status = input.status;
  if (input.organisationIds) measure.organisationIds = [...new Set(input.organisationIds)];
  if (input.groupIds) measure.groupIds = [...new Set(input.groupIds)];
  checkMeasureDates(measure, input.endsOn !== undefined ? "input.endsOn" : "input.startsOn");
}
