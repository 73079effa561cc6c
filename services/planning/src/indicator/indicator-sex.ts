import { registerEnumType } from "type-graphql";

/** Sotkanet's `gender` classification: `total`, `male`, `female`. */
export enum IndicatorSex {
  TOTAL = "total",
  MALE = "male",
  FEMALE = "female",
}

registerEnumType(IndicatorSex, {
  name: "IndicatorSex",
  description: "Which sex an indicator value covers (Sotkanet's `gender` classification).",
  valuesConfig: {
    TOTAL: { description: "Everyone (Sotkanet `total`)." },
    MALE: { description: "Men or boys (Sotkanet `male`)." },
    FEMALE: { description: "Women or girls (Sotkanet `female`)." },
  },
});

export enum IndicatorRegionKind {
  MUNICIPALITY = "municipality",
  COUNTY = "county",
  COUNTRY = "country",
}

registerEnumType(IndicatorRegionKind, {
  name: "IndicatorRegionKind",
  description: "What kind of area an indicator value describes.",
  valuesConfig: {
    MUNICIPALITY: { description: "A municipality, by its 3-digit code." },
    COUNTY: { description: "A wellbeing services county, by its 2-digit code." },
    COUNTRY: { description: "The whole country (Sotkanet region category MAA), code \"SSS\" as in Statistics Finland's tables." },
  },
});
