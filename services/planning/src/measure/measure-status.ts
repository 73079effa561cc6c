import { registerEnumType } from "type-graphql";

export enum MeasureStatus {
  PLANNED = "planned",
  IN_PROGRESS = "in_progress",
  DONE = "done",
  CANCELLED = "cancelled",
}

registerEnumType(MeasureStatus, {
  name: "MeasureStatus",
  description: "How far a measure of a wellbeing plan has got.",
  valuesConfig: {
    PLANNED: { description: "Agreed but not started." },
    IN_PROGRESS: { description: "Being carried out." },
    DONE: { description: "Carried out." },
    CANCELLED: { description: "Dropped before completion." },
  },
});
