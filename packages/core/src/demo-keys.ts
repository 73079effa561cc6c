/**
 * Keys of demo records that more than one service refers to. Each service
 * seeds only its own rows; these constants keep the references between them
 * (a membership's person and organisation, a measure's group) consistent.
 * Source documents: shared seeds 000–004 (see each service's seed module).
 */

/** Organisations (organisations subgraph, `Organisation.id`). */
export const OrganisationKeys = {
  /** Pohjois-Pohjanmaan hyvinvointialue (Pohde), county 19. */
  pohde: "org-county-19",
  /** Pohjois-Karjalan hyvinvointialue (Siun sote), county 14. */
  siunSote: "org-county-14",
  /** Pirkanmaan hyvinvointialue (Pirha), county 08. */
  pirha: "org-county-08",
  /** Etelä-Pohjanmaan hyvinvointialue, county 16. */
  etelaPohjanmaa: "org-county-16",
  /** Pohjois-Karjalan maakuntaliitto (regional council). */
  pohjoisKarjalanMaakuntaliitto: "org-pohjois-karjalan-maakuntaliitto",
  /** Pohjois-Karjala's agencies named for the county-wide partnership group (seed 002). */
  pohjoisKarjalanEly: "org-pohjois-karjalan-ely-keskus",
  pohjoisKarjalanTe: "org-pohjois-karjalan-te-toimisto",
  itaSuomenAvi: "org-ita-suomen-avi",
  kela: "org-kela",
  itaSuomenPoliisi: "org-ita-suomen-poliisilaitos",
  /** Artteli-kumppanuusyhdistys ry (Pirkanmaa, seed 004). */
  artteli: "org-artteli",
  /** Sosiaali- ja terveysalan Järjestötalo (Etelä-Pohjanmaa, seed 003). */
  jarjestotalo: "org-jarjestotalo",
  /** Pohde's yhdyspintalautakunta, to which its cooperation groups report (seed 001). */
  pohdeYhdyspintalautakunta: "org-pohde-yhdyspintalautakunta",
  /** Pirha's integraation toimialue and its jatkuvan kehittämisen vastuuyksikkö (seed 004). */
  pirhaIntegraationToimialue: "org-pirha-integraation-toimialue",
  pirhaJatkuvanKehittamisenVastuuyksikko: "org-pirha-jatkuvan-kehittamisen-vastuuyksikko",
} as const;

/** A municipality as an actor (organisation kind MUNICIPALITY), by its official code. */
export const municipalityOrganisationKey = (code: string): string => `org-municipality-${code}`;

/** A wellbeing services county as an actor, by its 2-digit code. */
export const countyOrganisationKey = (code: string): string => `org-county-${code}`;

/** People named in the seeds (organisations subgraph, `Person.id`). */
export const PersonKeys = {
  /** Kumppanuuspäällikkö, Pohjois-Karjalan hyvinvointialue (seed 002). */
  maaritaMannelin: "person-maarita-mannelin",
  /** Järjestöyhteistyöryhmän koordinaattori, Artteli-kumppanuusyhdistys (seed 004). */
  iirisAholainen: "person-iiris-aholainen",
  /** Suunnittelupäällikkö, Pirkanmaan hyvinvointialue (seed 004). */
  johannaSola: "person-johanna-sola",
} as const;

/** Cooperation groups (groups subgraph, `CooperationGroup.id`). */
export const GroupKeys = {
  /** Pohde (seeds 000, 001). */
  pohdeOpiskeluhuolto: "group-pohde-opiskeluhuolto",
  pohdeToimeentulotuki: "group-pohde-toimeentulotuki",
  pohdeMielenterveysPaihdeVakivalta: "group-pohde-mielenterveys-paihde-vakivalta",
  pohdeHyry: "group-pohde-hyry",
  pohdeJyry: "group-pohde-jyry",
  /** Pohjois-Karjala's regional partnership groups and the county-wide one (seed 002). */
  pkKeskinen: "group-pk-keskinen",
  pkPohjoinen: "group-pk-pohjoinen",
  pkLantinen: "group-pk-lantinen",
  pkEtelainen: "group-pk-etelainen",
  pkHyvinvoinninKumppanuusryhma: "group-pk-hyvinvoinnin-kumppanuusryhma",
  /** Etelä-Pohjanmaa's network of association liaisons (seed 003). */
  epJarjestoyhdyshenkiloverkosto: "group-ep-jarjestoyhdyshenkiloverkosto",
  /** Pirkanmaa's järjestöyhteistyöryhmä (seed 004). */
  pirhaJyry: "group-pirha-jyry",
} as const;

/** Areas (groups subgraph, `Area.id`): Pohjois-Karjala's four (seed 002). */
export const AreaKeys = {
  pkKeskinen: "area-pk-keskinen",
  pkPohjoinen: "area-pk-pohjoinen",
  pkLantinen: "area-pk-lantinen",
  pkEtelainen: "area-pk-etelainen",
} as const;

/**
 * Pirkanmaa's 19 association categories (järjestökategoriat, seed 004), in the
 * order the county lists them. The organisations subgraph owns the categories;
 * the groups subgraph gives Pirkanmaa's JYRY one seat per category.
 */
export const PIRKANMAA_CATEGORIES = [
  "Asukas- ja kylätoiminta",
  "Hyvinvoinnin ja terveyden edistäminen",
  "Ihmisoikeudet",
  "Ikäihmiset",
  "Järjestöagentit",
  "Kriisi- ja väkivaltatyö",
  "Liikunta",
  "Mielenterveystyö",
  "Monikulttuurisuus",
  "Nuoriso",
  "Omais- ja läheistyö",
  "Perhetyö",
  "Potilastoiminta",
  "Päihdetyö",
  "Taide ja kulttuuri",
  "Turvallisuus ja varautuminen",
  "Työ- ja toimintakyky",
  "Vammaiset",
  "Vanhustyö",
] as const;

/** ASCII slug of a Finnish/Swedish name: "Päihdetyö" → "paihdetyo". */
export function slugify(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Key of an organisation category (organisations subgraph, `OrganisationCategory.id`). */
export const organisationCategoryKey = (countyCode: string, name: string): string =>
  `category-${countyCode}-${slugify(name)}`;

/** Source documents of the demo data (organisations subgraph, `Document.id`); provenance rows refer to them. */
export const DocumentKeys = {
  /** Seed 000: Pohde's web page "Yhteistyöryhmät". */
  pohdeYhteistyoryhmat: "doc-pohde-yhteistyoryhmat",
  /** Seed 001: "Järjestöyhteistyöryhmän rooli ja tehtävät", 9.6.2023. */
  pohdeJyryRooli: "doc-pohde-jyry-rooli-ja-tehtavat-2023",
  /** Seed 002: the request to name representatives to Pohjois-Karjala's partnership groups (2023). */
  pkNimeamispyynto: "doc-pk-nimeamispyynto-kumppanuusryhmat-2023",
  /** Seed 003: Etelä-Pohjanmaa's web page on cooperation of the county, municipalities and associations. */
  epYhteistyo: "doc-ep-yhteistyo-verkkosivu",
  /** Seed 003: the municipality–association cooperation handbook (end of 2021). */
  epKasikirja: "doc-ep-kuntajarjestoyhteistyon-kasikirja-2021",
  /** Seed 003: memos of the partnership tables held in spring 2021. */
  epKumppanuuspoytaMuistiot: "doc-ep-kumppanuuspoytien-muistiot-2021",
  /** Seed 003: the partnership-table report (spring 2021 tables). */
  epKumppanuuspoytaRaportti: "doc-ep-kumppanuuspoytaraportti-2021",
  /** Seed 003: the county's principles for grants to associations. */
  epAvustusperiaatteet: "doc-ep-jarjestoavustusten-myontamisperiaatteet",
  /** Seed 004: Pirkanmaa's web page "Järjestöyhteistyöryhmä". */
  pirhaJyry: "doc-pirha-jarjestoyhteistyoryhma",
} as const;
