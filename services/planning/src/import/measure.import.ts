import { assertCanWriteCounty, dateCell, enumCell, type FieldChange, type ImportKindHandler, optional, type ReferenceChecker, refuse, resolvedIds, sameSet, sameValue, validateInput, writeProvenance } from "@yhdyspinta/core";
import { checkReferences } from "../county-scope.rules.ts";
import { Measure } from "../measure/measure.entity.ts";
import { CreateMeasureInput } from "../measure/measure.input.ts";
import { MeasureStatus } from "../measure/measure-status.ts";
import { applyMeasureChanges, createMeasureRecord, lockMeasure, measureReferenceChecks } from "../measure/measure.rules.ts";
import { UpdateMeasureInput } from "../measure-edit/measure-edit.inputs.ts";
import { goalsOfPlan } from "../plan/plan.rules.ts";
import { goalByText, planByKey, planKeyOf } from "./natural-keys.ts";
import { gatewayProblems } from "./plan.import.ts";

/**
 * Measures from a sheet (docs/IMPORT.md, kind `measures`), one row per
 * measure, through the input classes and rules of `createMeasure` and
 * `updateMeasure` (measure.rules.ts, and the county scope of the
 * responsible organisations and groups). A measure is matched by its title
 * within the goal it pursues (the goal by its text in the plan named by
 * county, municipality and council term), or among the county's measures
 * with no goal; the responsible organisations (business ID or name) and
 * groups (name in the county) are resolved by the gateway. The goal is part
 * of the key: a measure does not move to another goal by an import.
 */

const MEASURE_COLUMNS = {
  "input.countyCode": "county", "input.measureId": "title", "input.goalId": "goal", "input.title": "title", "input.description": "description", "input.startsOn": "startsOn",
  "input.endsOn": "endsOn", "input.scheduleNote": "scheduleNote", "input.status": "status", "input.organisationIds": "organisations", "input.groupIds": "groups",
  "input.councilTerm": "councilTerm", "input.municipalityCode": "municipality",
};

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function measureImport({ references }: { references: ReferenceChecker }): ImportKindHandler {
  return {
    columnOf: MEASURE_COLUMNS,
    fallbackColumn: "county",
    async handle(tx, v, { viewer, provenance }) {
      gatewayProblems(v);
      const countyCode = (v["county"] ?? "").trim();
      if (!countyCode) refuse("county", "must not be blank");
      const title = (v["title"] ?? "").trim();
      if (!title) refuse("title", "must not be blank");
      const goalText = optional(v["goal"]);
      let goalId: string | null = null;
      let where = countyCode;
      if (goalText) {
        const key = planKeyOf(v);
        const plan = await planByKey(tx, key);
        if (!plan) refuse("councilTerm", `no wellbeing plan of ${key.text}; import the plans first`, "NOT_FOUND");
        const goal = goalByText(await goalsOfPlan(tx, plan.id), goalText, "goal");
        if (!goal) refuse("goal", `the plan of ${key.text} has no goal "${goalText}"; import the plans first`, "NOT_FOUND");
        goalId = goal.id;
        where = `${goalText}, ${key.text}`;
      } else if (v["councilTerm"]?.trim() || v["municipality"]?.trim()) {
        refuse("goal", "must name the goal the measure pursues when the row names its plan");
      }
      const key = `${title} (${where})`;
      const wanted = {
        status: enumCell(MeasureStatus, v["status"], "status") ?? undefined,
        description: optional(v["description"]),
        startsOn: dateCell(v["startsOn"], "startsOn"),
        endsOn: dateCell(v["endsOn"], "endsOn"),
        scheduleNote: optional(v["scheduleNote"]),
        organisationIds: resolvedIds(v, "organisations", "organisationIds"),
        groupIds: resolvedIds(v, "groups", "groupIds"),
      };
      const candidates = await tx.find(Measure, { countyCode, goalId }, { orderBy: { id: "asc" } });
      const matches = candidates.filter((m) => same(m.title, title));
      if (matches.length > 1) refuse("title", `ambiguous: ${matches.length} measures titled "${title}" pursue ${goalText ? "this goal" : "no goal in the county"}; give them different titles first`, "AMBIGUOUS");
      if (!matches[0]) {
        assertCanWriteCounty(viewer, countyCode);
        const input = Object.assign(new CreateMeasureInput(), { countyCode, goalId, title, ...Object.fromEntries(Object.entries(wanted).filter(([, value]) => value !== undefined)) });
        await validateInput(input, MEASURE_COLUMNS, "title");
        await checkReferences({ references, viewer }, measureReferenceChecks(input));
        const measure = await createMeasureRecord(tx, viewer, input);
        await tx.flush();
        await writeProvenance(tx, "Measure", measure.id, provenance);
        return { status: "created", key, id: measure.id };
      }
      const measure = await lockMeasure(tx, viewer, matches[0].id, "input.measureId");
      const changed: Record<string, unknown> = {};
      const changes: FieldChange[] = [];
      const byColumn = { organisationIds: "organisations", groupIds: "groups" } as Record<string, string>;
      // Matched letter case aside: a title written otherwise is a change of the title.
      if (measure.title !== title) {
        changed["title"] = title;
        changes.push({ field: "title", before: measure.title, after: title });
      }
      for (const [field, after] of Object.entries(wanted)) {
        if (after === undefined) continue;
        const before = measure[field as keyof typeof wanted];
        if (Array.isArray(after) ? sameSet(before as string[], after) : sameValue(before, after)) continue;
        changed[field] = after;
        changes.push({ field: byColumn[field] ?? field, before: before ?? null, after });
      }
      if (changes.length === 0) return { status: "unchanged", key, id: measure.id };
      const input = Object.assign(new UpdateMeasureInput(), { measureId: measure.id, ...changed });
      await validateInput(input, MEASURE_COLUMNS, "title");
      if (input.organisationIds || input.groupIds) await checkReferences({ references, viewer }, measureReferenceChecks(input));
      await applyMeasureChanges(tx, measure, input);
      await tx.flush();
      await writeProvenance(tx, "Measure", measure.id, provenance);
      return { status: "updated", key, id: measure.id, changes };
    },
  };
}
