import { registerEnumType } from "type-graphql";

export enum PlanScope {
  COUNTY = "county",
  MUNICIPALITY = "municipality",
}

registerEnumType(PlanScope, {
  name: "PlanScope",
  description: "Whose wellbeing report and plan it is (612/2021 6 § municipality, 7 § county).",
  valuesConfig: {
    COUNTY: { description: "A wellbeing services county's regional report and plan (612/2021 7 §)." },
    MUNICIPALITY: { description: "A municipality's report and plan (612/2021 6 §)." },
  },
});
