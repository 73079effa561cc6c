import {
  countyOrganisationKey,
  municipalityOrganisationKey,
  OrganisationKeys,
  organisationCategoryKey,
  PersonKeys,
  PIRKANMAA_CATEGORIES,
} from "@yhdyspinta/core";
import { OrganisationKind } from "../organisation/organisation.entity.ts";
import type { CountyRow, MunicipalityRow } from "./reference-data.ts";

/**
 * Demo data stated by the source documents (shared seeds 000–004, copied in
 * summary here so that nothing reads them at run time):
 *
 * - 000/001 Pohjois-Pohjanmaan hyvinvointialue (Pohde): its cooperation
 *   groups report to the yhdyspintalautakunta; association liaisons sit in
 *   the sote-keskukset, the sote-toimialueet and the rescue services (Pela)
 *   at responsibility-area (vastuualue) and service-area (palvelualue) level.
 * - 002 Pohjois-Karjalan hyvinvointialue (Siun sote, kirjaamo@siunsote.fi),
 *   Pohjois-Karjalan maakuntaliitto, the 13 municipalities, and for the
 *   county-wide partnership group ELY, TE, AVI, Kela and police; contact
 *   Kumppanuuspäällikkö Maarita Mannelin.
 * - 003 Etelä-Pohjanmaan hyvinvointialue and Sosiaali- ja terveysalan
 *   Järjestötalo convene the association liaisons' network; contact point
 *   "Joupin neuvola, Hallituskatu 20".
 * - 004 Pirkanmaan hyvinvointialue, Artteli-kumppanuusyhdistys ry, the 19
 *   association categories; contacts Iiris Aholainen (järjestöyhteistyöryhmän
 *   koordinaattori, Artteli) and Johanna Sola (suunnittelupäällikkö, Pirkanmaan
 *   hyvinvointialue, integraation toimialue, jatkuvan kehittämisen
 *   vastuuyksikkö; the source misspells the title "suunnittelupäällkkö").
 *
 * No business IDs: the seeds give none, and none is invented.
 */

export interface DemoOrganisation {
  id: string;
  name: string;
  otherNames: string[];
  kind: OrganisationKind;
  parentId: string | null;
  countyCode: string | null;
  municipalityCodes: string[];
}

export interface DemoPerson {
  id: string;
  name: string;
  title: string;
  organisationId: string;
  email: string;
  phone: string;
}

/** Commonly used short names of three counties (seeds 000–002, 004; e-mail domains siunsote.fi, pirha.fi). */
const COUNTY_SHORT_NAMES: Record<string, string[]> = {
  "19": ["Pohde"],
  "14": ["Siun sote"],
  "08": ["Pirha"],
};

const distinct = (names: string[], except: string): string[] => [...new Set(names.filter((n) => n && n !== except))];

export function demoOrganisations(counties: CountyRow[], municipalities: MunicipalityRow[]): DemoOrganisation[] {
  const latestYear = Math.max(...municipalities.map((m) => m.year));
  const current = municipalities.filter((m) => m.year === latestYear);
  const codesOfCounty = (code: string) => current.filter((m) => m.countyCode === code).map((m) => m.code);
  const result: DemoOrganisation[] = [];

  // Every county as an actor. Helsinki (90) is the City of Helsinki itself, a
  // municipality that organises its own services: one record, kind MUNICIPALITY;
  // the municipality key org-municipality-091 is an alias of it.
  for (const county of counties.filter((c) => c.kind !== "aland")) {
    const isHelsinki = county.kind === "city_of_helsinki";
    result.push({
      id: countyOrganisationKey(county.code),
      name: county.nameFi,
      otherNames: distinct([...(COUNTY_SHORT_NAMES[county.code] ?? []), county.nameSv, county.nameEn], county.nameFi),
      kind: isHelsinki ? OrganisationKind.MUNICIPALITY : OrganisationKind.WELLBEING_SERVICES_COUNTY,
      parentId: null,
      countyCode: county.code,
      municipalityCodes: codesOfCounty(county.code),
    });
  }

  // Every municipality of any loaded year as an actor (merged ones too, so
  // older references resolve), named as in its latest classification year.
  const latestByCode = new Map<string, MunicipalityRow>();
  for (const m of municipalities) {
    const seen = latestByCode.get(m.code);
    if (!seen || seen.year < m.year) latestByCode.set(m.code, m);
  }
  for (const m of [...latestByCode.values()].sort((a, b) => a.code.localeCompare(b.code))) {
    if (m.code === "091") continue; // the City of Helsinki: org-county-90
    result.push({
      id: municipalityOrganisationKey(m.code),
      name: m.nameFi,
      otherNames: distinct([m.nameSv], m.nameFi),
      kind: OrganisationKind.MUNICIPALITY,
      parentId: null,
      // Åland (91) is not a wellbeing services county.
      countyCode: m.countyCode === "91" ? null : m.countyCode,
      municipalityCodes: [m.code],
    });
  }

  const pk = codesOfCounty("14");
  const org = (o: Partial<DemoOrganisation> & Pick<DemoOrganisation, "id" | "name" | "kind">): DemoOrganisation => ({
    otherNames: [],
    parentId: null,
    countyCode: null,
    municipalityCodes: [],
    ...o,
  });
  const pohde = OrganisationKeys.pohde;
  const pela = "org-pohde-pelastustoimi";
  result.push(
    // Seed 002: Pohjois-Karjala.
    org({ id: OrganisationKeys.pohjoisKarjalanMaakuntaliitto, name: "Pohjois-Karjalan maakuntaliitto", kind: OrganisationKind.REGIONAL_COUNCIL, countyCode: "14", municipalityCodes: pk }),
    org({ id: OrganisationKeys.pohjoisKarjalanEly, name: "Pohjois-Karjalan ELY-keskus", otherNames: ["ELY"], kind: OrganisationKind.PUBLIC_AGENCY, countyCode: "14", municipalityCodes: pk }),
    org({ id: OrganisationKeys.pohjoisKarjalanTe, name: "Pohjois-Karjalan TE-toimisto", otherNames: ["TE"], kind: OrganisationKind.PUBLIC_AGENCY, countyCode: "14", municipalityCodes: pk }),
    org({ id: OrganisationKeys.itaSuomenAvi, name: "Itä-Suomen aluehallintovirasto", otherNames: ["Itä-Suomen AVI", "AVI"], kind: OrganisationKind.PUBLIC_AGENCY }),
    org({ id: OrganisationKeys.kela, name: "Kela", otherNames: ["Kansaneläkelaitos"], kind: OrganisationKind.PUBLIC_AGENCY }),
    org({ id: OrganisationKeys.itaSuomenPoliisi, name: "Itä-Suomen poliisilaitos", otherNames: ["poliisi"], kind: OrganisationKind.PUBLIC_AGENCY }),
    // Seed 003: Etelä-Pohjanmaa.
    org({ id: OrganisationKeys.jarjestotalo, name: "Sosiaali- ja terveysalan Järjestötalo", kind: OrganisationKind.UMBRELLA_ORGANISATION, countyCode: "16" }),
    org({ id: "org-ep-joupin-neuvola", name: "Joupin neuvola", kind: OrganisationKind.ORGANISATIONAL_UNIT, parentId: OrganisationKeys.etelaPohjanmaa, countyCode: "16" }),
    // Seed 004: Pirkanmaa.
    org({ id: OrganisationKeys.artteli, name: "Artteli-kumppanuusyhdistys ry", otherNames: ["Artteli"], kind: OrganisationKind.UMBRELLA_ORGANISATION, countyCode: "08" }),
    org({ id: OrganisationKeys.pirhaIntegraationToimialue, name: "Integraation toimialue", kind: OrganisationKind.ORGANISATIONAL_UNIT, parentId: OrganisationKeys.pirha, countyCode: "08" }),
    org({ id: OrganisationKeys.pirhaJatkuvanKehittamisenVastuuyksikko, name: "Jatkuvan kehittämisen vastuuyksikkö", kind: OrganisationKind.ORGANISATIONAL_UNIT, parentId: OrganisationKeys.pirhaIntegraationToimialue, countyCode: "08" }),
    // Seeds 000–001: Pohde's units named in its structures of association cooperation.
    org({ id: OrganisationKeys.pohdeYhdyspintalautakunta, name: "Yhdyspintalautakunta", kind: OrganisationKind.ORGANISATIONAL_UNIT, parentId: pohde, countyCode: "19" }),
    org({ id: "org-pohde-sote-keskukset", name: "Sote-keskukset", kind: OrganisationKind.ORGANISATIONAL_UNIT, parentId: pohde, countyCode: "19" }),
    org({ id: "org-pohde-sote-toimialueet", name: "Sote-toimialueet", kind: OrganisationKind.ORGANISATIONAL_UNIT, parentId: pohde, countyCode: "19" }),
    org({ id: pela, name: "Pelastustoimi", otherNames: ["Pela"], kind: OrganisationKind.ORGANISATIONAL_UNIT, parentId: pohde, countyCode: "19" }),
    org({ id: "org-pohde-pela-vastuualueet", name: "Pelastustoimen vastuualueet", kind: OrganisationKind.ORGANISATIONAL_UNIT, parentId: pela, countyCode: "19" }),
    org({ id: "org-pohde-pela-palvelualueet", name: "Pelastustoimen palvelualueet", kind: OrganisationKind.ORGANISATIONAL_UNIT, parentId: pela, countyCode: "19" }),
  );
  return result;
}

/** Pirkanmaa's 19 association categories (seed 004) in the county's order. */
export function demoCategories(): { id: string; name: string; countyCode: string; position: number }[] {
  return PIRKANMAA_CATEGORIES.map((name, i) => ({ id: organisationCategoryKey("08", name), name, countyCode: "08", position: i + 1 }));
}

/** People the seeds name, as the seeds give them. */
export function demoPeople(): DemoPerson[] {
  return [
    {
      id: PersonKeys.maaritaMannelin,
      name: "Maarita Mannelin",
      title: "Kumppanuuspäällikkö",
      organisationId: OrganisationKeys.siunSote,
      email: "maarita.mannelin@siunsote.fi",
      phone: "050 591 2580",
    },
    {
      id: PersonKeys.iirisAholainen,
      name: "Iiris Aholainen",
      title: "järjestöyhteistyöryhmän koordinaattori",
      organisationId: OrganisationKeys.artteli,
      email: "iiris.aholainen@artteli.fi",
      phone: "044 711 5912",
    },
    {
      id: PersonKeys.johannaSola,
      name: "Johanna Sola",
      title: "suunnittelupäällikkö",
      organisationId: OrganisationKeys.pirhaJatkuvanKehittamisenVastuuyksikko,
      email: "johanna.sola@pirha.fi",
      phone: "040 778 9599",
    },
  ];
}
