/**
 * The council terms as reference data (DESIGN.md "The living register"): the
 * first county councils sat 1.3.2022–31.5.2025 and the municipal councils
 * elected in the postponed 2021 elections 1.8.2021–31.5.2025; both were
 * elected together on 13.4.2025 for 1.6.2025–31.5.2029. The migration
 * Migration20261204170000_terms inserts these rows; this list is what code
 * (seeds, tests, the bench) refers to.
 */
export const ReferenceTermKeys = {
  countyCouncil2022: "county-council-2022-2025",
  municipalCouncil2021: "municipal-council-2021-2025",
  countyCouncil2025: "county-council-2025-2029",
  municipalCouncil2025: "municipal-council-2025-2029",
} as const;

export interface ReferenceTerm {
  id: string;
  kind: "county_council" | "municipal_council";
  label: string;
  startsOn: string;
  endsOn: string;
  electedOn: string;
  source: string;
}

export const REFERENCE_TERMS: readonly ReferenceTerm[] = [
  {
    id: ReferenceTermKeys.countyCouncil2022,
    kind: "county_council",
    label: "Aluevaltuustokausi 2022–2025",
    startsOn: "2022-03-01",
    endsOn: "2025-05-31",
    electedOn: "2022-01-23",
    source: "Voimaanpanolaki 616/2021: the first county councils' term 1.3.2022–31.5.2025 (aluevaalit 23.1.2022).",
  },
  {
    id: ReferenceTermKeys.municipalCouncil2021,
    kind: "municipal_council",
    label: "Valtuustokausi 2021–2025",
    startsOn: "2021-08-01",
    endsOn: "2025-05-31",
    electedOn: "2021-06-13",
    source: "Kuntavaalit 13.6.2021 (postponed from April); the councils' term 1.8.2021–31.5.2025.",
  },
  {
    id: ReferenceTermKeys.countyCouncil2025,
    kind: "county_council",
    label: "Aluevaltuustokausi 2025–2029",
    startsOn: "2025-06-01",
    endsOn: "2029-05-31",
    electedOn: "2025-04-13",
    source: "Laki hyvinvointialueesta 611/2021: four-year term from 1 June after the election; alue- ja kuntavaalit 13.4.2025.",
  },
  {
    id: ReferenceTermKeys.municipalCouncil2025,
    kind: "municipal_council",
    label: "Valtuustokausi 2025–2029",
    startsOn: "2025-06-01",
    endsOn: "2029-05-31",
    electedOn: "2025-04-13",
    source: "Kuntalaki 410/2015: four-year term from 1 June after the election; alue- ja kuntavaalit 13.4.2025.",
  },
];
