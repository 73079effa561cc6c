import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { findRows, groupByArray, groupByKeys, orderByKeys } from "@yhdyspinta/core";
import { Measure, MeasureProgressNote } from "./measure.entity.ts";

/** Measures and their progress notes. */
export function createMeasureLoaders(em: EntityManager) {
  return {
    measureById: new DataLoader<string, Measure | null>(async (ids) => {
      const rows = await findRows(em, Measure, { id: { $in: [...ids] } });
      return orderByKeys(ids, rows, (m) => m.id);
    }),
    measuresByGoal: new DataLoader<string, Measure[]>(async (goalIds) => {
      const rows = await findRows(em, Measure, { goalId: { $in: [...goalIds] } }, { title: "asc", id: "asc" });
      return groupByKeys(goalIds, rows, (m) => m.goalId!);
    }),
    measuresByGroup: new DataLoader<string, Measure[]>(async (groupIds) => {
      const rows = await findRows(em, Measure, { groupIds: { $overlap: [...groupIds] } }, { title: "asc", id: "asc" });
      return groupByArray(groupIds, rows, (m) => m.groupIds);
    }),
    measuresByOrganisation: new DataLoader<string, Measure[]>(async (organisationIds) => {
      const rows = await findRows(em, Measure,
        { organisationIds: { $overlap: [...organisationIds] } },
        { title: "asc", id: "asc" },
      );
      return groupByArray(organisationIds, rows, (m) => m.organisationIds);
    }),
    progressNotesByMeasure: new DataLoader<string, MeasureProgressNote[]>(async (measureIds) => {
      const rows = await findRows(em, MeasureProgressNote,
        { measureId: { $in: [...measureIds] } },
        { notedOn: "asc", id: "asc" },
      );
      return groupByKeys(measureIds, rows, (n) => n.measureId);
    }),
  };
}
