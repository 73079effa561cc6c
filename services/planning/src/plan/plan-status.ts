import { registerEnumType } from "type-graphql";

export enum PlanStatus {
  DRAFT = "draft",
  APPROVED = "approved",
}

registerEnumType(PlanStatus, {
  name: "PlanStatus",
  description: "Where a wellbeing report and plan is in its approval.",
  valuesConfig: {
    DRAFT: { description: "Being prepared or evaluated." },
    APPROVED: { description: "Approved by the council." },
  },
});
