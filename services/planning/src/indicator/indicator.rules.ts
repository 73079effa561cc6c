import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, BadUserInputError, REGISTERS, uniqueRuleError, type Viewer } from "@yhdyspinta/core";
import { WellbeingGoal } from "../plan/plan.entity.ts";
import { Indicator, IndicatorValue } from "./indicator.entity.ts";

/**
 * The rules of an indicator's metadata: indicators are national (of no
 * county), so only an admin writes them; one indicator per Sotkanet id; an
 * indicator with values or named by a plan's goal stays; once a Sotkanet sync
 * has filled an indicator in, Sotkanet keeps the fields the sync writes.
 */

export async function lockIndicator(tx: EntityManager, viewer: Viewer, id: string, field: string): Promise<Indicator> {
  assertCanWriteCounty(viewer, null);
  const indicator = await tx.findOne(Indicator, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!indicator) throw new BadUserInputError(field, `no indicator "${id}"`);
  return indicator;
}

/** One indicator per Sotkanet id (and per id). */
export async function checkIndicatorKey(tx: EntityManager, id: string, sotkanetId: number | null): Promise<void> {
  const same = await tx.findOne(Indicator, sotkanetId === null ? { id } : { $or: [{ id }, { sotkanetId }] });
  if (same && sotkanetId !== null) throw uniqueRuleError("indicator_sotkanet_id_unique", `indicator ${same.id}`);
  if (same) throw new BadUserInputError("input.name", `indicator "${id}" already exists`);
}

/** An indicator with values, or one a goal names, is not removed. */
export async function checkIndicatorRemovable(tx: EntityManager, indicator: Indicator): Promise<void> {
  const values = await tx.count(IndicatorValue, { indicatorId: indicator.id });
  if (values > 0) throw new BadUserInputError("indicatorId", `the indicator has ${values} value(s)`);
  const goal = await tx.findOne(WellbeingGoal, { indicatorIds: { $contains: [indicator.id] } });
  if (goal) throw new BadUserInputError("indicatorId", `goal ${goal.id} of plan ${goal.planId} is monitored with it`);
}

/**
 * The fields a Sotkanet sync writes (`updateSyncedIndicator` in
 * sotkanet-sync.queries.ts), as `UpdateIndicatorInput` names them. The sync
 * also writes the Swedish name, which no edit takes. Keep the two lists alike.
 */
export const SOTKANET_KEPT_FIELDS = ["name", "nameEn", "unit", "source"] as const;

export type SotkanetKeptField = (typeof SOTKANET_KEPT_FIELDS)[number];

/**
 * Once a Sotkanet sync has filled an indicator in (its metadata's register is
 * Sotkanet), Sotkanet keeps the fields the sync writes: a change to one would
 * be overwritten by the next sync, so it is refused, naming the field. The
 * value the indicator already has is no change. Before its first sync an
 * indicator with a Sotkanet id holds placeholder metadata and stays editable
 * (the first sync keeps what it replaces in the audit trail); one Sotkanet
 * no longer has (HTTP 404) is detached by the next sync (not a dry run)
 * and is editable again (sotkanet-sync.ts). `changes` holds
 * the edit's new values as they would be stored (undefined: not changed).
 */
export function checkSotkanetKeptFields(indicator: Indicator, changes: Partial<Record<SotkanetKeptField, string | null>>): void {
  if (indicator.sourceRegister !== REGISTERS.sotkanet.name) return;
  for (const field of SOTKANET_KEPT_FIELDS) {
    const value = changes[field];
    if (value !== undefined && value !== indicator[field]) {
      throw new BadUserInputError(`input.${field}`, "kept by Sotkanet: the next sync would overwrite it");
    }
  }
}
