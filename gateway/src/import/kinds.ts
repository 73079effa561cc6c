/**
 * The record kinds a coordinator imports from spreadsheets (docs/IMPORT.md):
 * each kind's columns with Finnish and English headers, an example value and
 * a guide line, and the subgraph that owns it. Organisations first
 * (organisations, people), then groups (groups, seats, memberships,
 * meetings, nominations): a kind
 * names records of the kinds before it by their natural keys.
 */

export interface ImportColumn {
  /** Column key the subgraph reads (also accepted as a header). */
  key: string;
  fi: string;
  en: string;
  guide: string;
  example: string;
  /** The file must have this column. */
  required?: boolean;
}

export interface ImportKind {
  name: ImportKindName;
  subgraph: "organisations" | "groups" | "planning";
  fi: string;
  columns: ImportColumn[];
}

export const IMPORT_KIND_NAMES = ["organisations", "people", "groups", "seats", "memberships", "meetings", "nominations", "plans", "measures"] as const;
export type ImportKindName = (typeof IMPORT_KIND_NAMES)[number];


const COUNTY: ImportColumn = { key: "county", fi: "Hyvinvointialue", en: "County", guide: "Wellbeing services county code, 2 digits (e.g. 14).", example: "14", required: true };

export const IMPORT_KINDS: Readonly<Record<ImportKindName, ImportKind>> = {
  organisations: {
    name: "organisations",
    subgraph: "organisations",
    fi: "organisaatiot",
    columns: [
      { key: "name", fi: "Nimi", en: "Name", guide: "Name, 1–255 characters. With the county, the key when there is no business ID.", example: "Esimerkkiyhdistys ry", required: true },
      { key: "kind", fi: "Tyyppi", en: "Kind", guide: "association, parish, company, municipality, public_agency, … (required for a new organisation).", example: "association" },
      { key: "businessId", fi: "Y-tunnus", en: "Business ID", guide: "Finnish business ID NNNNNNN-C, check digit verified; the key when given.", example: "0116297-6" },
      { key: "county", fi: "Hyvinvointialue", en: "County", guide: "Wellbeing services county code, 2 digits; empty: a national actor (admin only).", example: "14" },
      { key: "municipalities", fi: "Kunnat", en: "Municipalities", guide: "Municipality codes or names separated by ; (the list replaces the old one).", example: "837; 536" },
      { key: "categories", fi: "Luokat", en: "Categories", guide: "Names of the county's categories separated by ;.", example: "" },
      { key: "otherNames", fi: "Muut nimet", en: "Other names", guide: "Other names and abbreviations separated by ;.", example: "ESY" },
      { key: "website", fi: "Verkkosivu", en: "Website", guide: "http(s) URL.", example: "https://example.org" },
    ],
  },
  people: {
    name: "people",
    subgraph: "organisations",
    fi: "henkilöt",
    columns: [
      { key: "name", fi: "Nimi", en: "Name", guide: "Full name; with the organisation, the key when there is no e-mail.", example: "Maija Meikäläinen", required: true },
      { key: "title", fi: "Tehtävänimike", en: "Title", guide: "Job title in the official role.", example: "Toiminnanjohtaja" },
      { key: "organisation", fi: "Organisaatio", en: "Organisation", guide: "Business ID or name of the organisation the person works for.", example: "0116297-6" },
      { key: "municipality", fi: "Kunta", en: "Municipality", guide: "Municipality (code or name) narrowing an organisation given by name.", example: "" },
      { key: "email", fi: "Sähköposti", en: "E-mail", guide: "Work e-mail (personal data); the key when given.", example: "maija@example.org" },
      { key: "phone", fi: "Puhelin", en: "Phone", guide: "Work phone: digits, spaces, + and - (personal data).", example: "+358 40 123 4567" },
    ],
  },
  groups: {
    name: "groups",
    subgraph: "groups",
    fi: "ryhmät",
    columns: [
      COUNTY,
      { key: "name", fi: "Nimi", en: "Name", guide: "Group name; with the county, the key.", example: "Esimerkkikumppanuuspöytä", required: true },
      { key: "kind", fi: "Tyyppi", en: "Kind", guide: "cooperation_group, partnership_group, advisory_board, liaison_network, partnership_table (required for a new group).", example: "partnership_group" },
      { key: "shortName", fi: "Lyhenne", en: "Short name", guide: "Abbreviation.", example: "EKP" },
      { key: "municipalities", fi: "Kunnat", en: "Municipalities", guide: "Municipality codes separated by ; (the list replaces the old one).", example: "167" },
      { key: "startsOn", fi: "Alkaa", en: "Starts on", guide: "First day, YYYY-MM-DD.", example: "2025-01-01" },
      { key: "description", fi: "Kuvaus", en: "Description", guide: "What the group does.", example: "" },
    ],
  },
  seats: {
    name: "seats",
    subgraph: "groups",
    fi: "paikat",
    columns: [
      COUNTY,
      { key: "group", fi: "Ryhmä", en: "Group", guide: "Name of the group in the county.", example: "Esimerkkikumppanuuspöytä", required: true },
      { key: "label", fi: "Paikka", en: "Seat", guide: "Seat label; with the group and the seat's municipality, organisation or category, the key (the label alone when it is the group's only seat so labelled).", example: "Kunnan edustajat", required: true },
      { key: "constituency", fi: "Valitsijataho", en: "Constituency", guide: "municipality, association_category, agency, sector, theme (required for a new seat).", example: "municipality" },
      { key: "municipality", fi: "Kunta", en: "Municipality", guide: "Municipality (code or name) of a municipality seat; part of the key.", example: "167" },
      { key: "organisation", fi: "Organisaatio", en: "Organisation", guide: "Business ID or name of the organisation the seat is for (e.g. an agency); part of the key.", example: "" },
      { key: "category", fi: "Luokka", en: "Category", guide: "Name of the county's association category of an association_category seat; part of the key.", example: "" },
      { key: "maxMembers", fi: "Jäseniä enintään", en: "Max members", guide: "Most members holding the seat at once.", example: "1" },
      { key: "deputies", fi: "Varajäseniä", en: "Deputies", guide: "Deputies the seat takes.", example: "1" },
    ],
  },
  memberships: {
    name: "memberships",
    subgraph: "groups",
    fi: "jäsenyydet",
    columns: [
      COUNTY,
      { key: "group", fi: "Ryhmä", en: "Group", guide: "Name of the group in the county.", example: "Esimerkkikumppanuuspöytä", required: true },
      { key: "person", fi: "Henkilö", en: "Person", guide: "Full name of the member (imported as a person first).", example: "Maija Meikäläinen", required: true },
      { key: "email", fi: "Sähköposti", en: "E-mail", guide: "The member's e-mail, when the name is not enough.", example: "" },
      { key: "organisation", fi: "Organisaatio", en: "Organisation", guide: "Business ID or name of the organisation on whose behalf the person sits.", example: "0116297-6", required: true },
      { key: "municipality", fi: "Kunta", en: "Municipality", guide: "Municipality (code or name) narrowing an organisation given by name.", example: "" },
      { key: "seat", fi: "Paikka", en: "Seat", guide: "Label of the seat held (optional); seats of one label are told apart by the seat columns below, else by this row's organisation or municipality.", example: "Kunnan edustajat" },
      { key: "seatMunicipality", fi: "Paikan kunta", en: "Seat municipality", guide: "Municipality (code or name) of the seat held, when several seats have its label.", example: "167" },
      { key: "seatOrganisation", fi: "Paikan organisaatio", en: "Seat organisation", guide: "Business ID or name of the organisation of the seat held, when several seats have its label.", example: "" },
      { key: "seatCategory", fi: "Paikan luokka", en: "Seat category", guide: "Association category (name) of the seat held, when several seats have its label.", example: "" },
      { key: "role", fi: "Rooli", en: "Role", guide: "chair, vice_chair, member, deputy, speaking_right, secretary, coordinator.", example: "member", required: true },
      { key: "deputyOf", fi: "Varajäsen henkilölle", en: "Deputy of", guide: "For a deputy: name of the member they stand in for, as written in this file's Person column.", example: "" },
      { key: "startsOn", fi: "Alkaa", en: "Starts on", guide: "First day, YYYY-MM-DD; with group and person, the key.", example: "2025-01-01", required: true },
      { key: "endsOn", fi: "Päättyy", en: "Ends on", guide: "Last day, YYYY-MM-DD (optional).", example: "" },
      { key: "title", fi: "Nimike", en: "Title", guide: "Title in the group, e.g. koordinaattori.", example: "" },
    ],
  },
  meetings: {
    name: "meetings",
    subgraph: "groups",
    fi: "kokoukset",
    columns: [
      COUNTY,
      { key: "group", fi: "Ryhmä", en: "Group", guide: "Name of the group in the county.", example: "Esimerkkikumppanuuspöytä", required: true },
      { key: "startsAt", fi: "Alkaa", en: "Starts at", guide: "Start, YYYY-MM-DD HH:MM in Helsinki time (or ISO 8601 with an offset); with the group, the key.", example: "2025-03-12 13:00", required: true },
      { key: "endsAt", fi: "Päättyy", en: "Ends at", guide: "End, as the start.", example: "2025-03-12 15:00" },
      { key: "kind", fi: "Tyyppi", en: "Kind", guide: "regular (default), organising, annual_negotiation.", example: "regular" },
      { key: "title", fi: "Otsikko", en: "Title", guide: "Title.", example: "" },
      { key: "location", fi: "Paikka", en: "Location", guide: "Where.", example: "Joensuu" },
    ],
  },
  nominations: {
    name: "nominations",
    subgraph: "groups",
    fi: "nimeämiset",
    columns: [
      COUNTY,
      { key: "round", fi: "Nimeämiskierros", en: "Round", guide: "Name of the nomination round in the county (opened with openNominationRound); with the nominator and person, the key.", example: "Nimeämispyyntö kumppanuuspöytään 2025", required: true },
      { key: "closesOn", fi: "Määräaika", en: "Deadline", guide: "The round's last day, YYYY-MM-DD: tells apart rounds of the same name.", example: "2025-11-30" },
      { key: "group", fi: "Ryhmä", en: "Group", guide: "Name of a group the round fills: tells apart rounds of the same name.", example: "Esimerkkikumppanuuspöytä" },
      { key: "nominator", fi: "Nimeäjä", en: "Nominator", guide: "Code of the municipality the round asks (3 digits); may be left empty when the round asks one party.", example: "167" },
      { key: "person", fi: "Henkilö", en: "Person", guide: "Full name of the nominee (imported as a person first).", example: "Maija Meikäläinen", required: true },
      { key: "email", fi: "Sähköposti", en: "E-mail", guide: "The nominee's e-mail, when the name is not enough.", example: "" },
      { key: "organisation", fi: "Organisaatio", en: "Organisation", guide: "Business ID or name of the nominating organisation the nominee works for and would represent.", example: "0116297-6", required: true },
      { key: "municipality", fi: "Kunta", en: "Municipality", guide: "Municipality (code or name) narrowing an organisation given by name.", example: "" },
      { key: "asDeputy", fi: "Varajäseneksi", en: "As deputy", guide: "kyllä / yes when nominated as a deputy; empty or ei / no for a member.", example: "" },
      { key: "submittedOn", fi: "Saapunut", en: "Submitted on", guide: "Day the nomination was received, YYYY-MM-DD, within the round's window (default today).", example: "2025-11-20" },
      { key: "status", fi: "Tila", en: "Status", guide: "submitted (default), accepted, rejected, withdrawn; a change follows the decision rules.", example: "submitted" },
    ],
  },
  plans: {
    name: "plans",
    subgraph: "planning",
    fi: "suunnitelmat",
    columns: [
      COUNTY,
      { key: "municipality", fi: "Kunta", en: "Municipality", guide: "Municipality (code or name) of a municipality's plan; empty for the county's own plan. With the county and council term, the plan's key.", example: "167" },
      { key: "councilTerm", fi: "Valtuustokausi", en: "Council term", guide: "Council term the plan covers, e.g. 2025–2029; with the county and municipality, the plan's key.", example: "2025–2029", required: true },
      { key: "title", fi: "Suunnitelma", en: "Plan", guide: "Title of the plan as published (required for a new plan); repeats on each of the plan's rows.", example: "Hyvinvointikertomus ja -suunnitelma 2025–2029" },
      { key: "status", fi: "Tila", en: "Status", guide: "draft (default) or approved.", example: "approved" },
      { key: "approvedOn", fi: "Hyväksytty", en: "Approved on", guide: "Day the council approved the plan, YYYY-MM-DD: required for an approved plan, empty for a draft.", example: "2025-11-15" },
      { key: "goal", fi: "Tavoite", en: "Goal", guide: "The goal as the plan states it, one a row; with the plan, the key. Empty: the row is the plan alone.", example: "Lasten ja nuorten liikunta lisääntyy" },
      { key: "theme", fi: "Teema", en: "Theme", guide: "Name of the county's theme (painopiste) the goal is under.", example: "Elintavat" },
      { key: "indicators", fi: "Mittarit", en: "Indicators", guide: "Monitoring indicators of the goal: THL Sotkanet ids or indicator names separated by ; (the list replaces the old one).", example: "" },
    ],
  },
  measures: {
    name: "measures",
    subgraph: "planning",
    fi: "toimenpiteet",
    columns: [
      COUNTY,
      { key: "municipality", fi: "Kunta", en: "Municipality", guide: "Municipality (code or name) of the plan of the goal; empty for the county's own plan.", example: "167" },
      { key: "councilTerm", fi: "Valtuustokausi", en: "Council term", guide: "Council term of the plan of the goal, e.g. 2025–2029 (required with a goal).", example: "2025–2029" },
      { key: "goal", fi: "Tavoite", en: "Goal", guide: "Text of the plan's goal the measure pursues (imported as a plans row first); empty for a measure of no goal.", example: "Lasten ja nuorten liikunta lisääntyy" },
      { key: "title", fi: "Toimenpide", en: "Measure", guide: "Short title; with the goal (or the county, for a measure of no goal), the key.", example: "Liikuntaneuvonta kouluihin", required: true },
      { key: "status", fi: "Tila", en: "Status", guide: "planned (default), in_progress, done, cancelled.", example: "in_progress" },
      { key: "organisations", fi: "Vastuuorganisaatiot", en: "Responsible organisations", guide: "Business IDs or names of the responsible organisations separated by ; (the list replaces the old one).", example: "0116297-6" },
      { key: "groups", fi: "Vastuuryhmät", en: "Responsible groups", guide: "Names of the responsible groups in the county separated by ; (the list replaces the old one).", example: "Esimerkkikumppanuuspöytä" },
      { key: "startsOn", fi: "Alkaa", en: "Starts on", guide: "Planned start, YYYY-MM-DD.", example: "2026-01-01" },
      { key: "endsOn", fi: "Päättyy", en: "Ends on", guide: "Planned end or deadline, YYYY-MM-DD; not before the start.", example: "2027-12-31" },
      { key: "scheduleNote", fi: "Aikataulu", en: "Schedule", guide: "Schedule in words when there are no dates, e.g. vuosittain keväällä.", example: "" },
      { key: "description", fi: "Kuvaus", en: "Description", guide: "What the measure involves.", example: "" },
    ],
  },
};

export function isImportKind(name: string): name is ImportKindName {
  return (IMPORT_KIND_NAMES as readonly string[]).includes(name);
}

/** The header a template writes for a column: Finnish / English. */
export function templateHeader(column: ImportColumn): string {
  return `${column.fi} / ${column.en}`;
}

const normaliseHeader = (text: string) => text.trim().toLowerCase().replace(/\s+/g, " ");

/** The column a header names: its key, Finnish or English header, or the template's "Finnish / English"; undefined for none. */
export function columnOfHeader(kind: ImportKind, header: string): ImportColumn | undefined {
  const wanted = normaliseHeader(header);
  return kind.columns.find((c) => [c.key, c.fi, c.en, templateHeader(c)].some((h) => normaliseHeader(h) === wanted));
}
