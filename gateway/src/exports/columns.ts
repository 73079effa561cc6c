import type { MunicipalityPartnershipGroupsFragment, OccupancyFragment, ViewName, ViewResult } from "@yhdyspinta/views";
import type { MunicipalityPaging } from "./paging.ts";

/**
 * Frictionless Table Schema field types the exports use. A `string` cell is
 * text: in CSV one starting with `=`, `+`, `-`, `@`, TAB or CR is written with
 * a leading apostrophe so that no spreadsheet runs it as a formula
 * (`spreadsheetText` in export.ts); the other types are the API's typed
 * values, written as they are. A `datetime` carries the Helsinki offset
 * (format `%Y-%m-%dT%H:%M:%S%z` in the open-data descriptor).
 */
export type ColumnType = "string" | "integer" | "boolean" | "date" | "datetime";

/** One column of an export: its name, type and meaning (the column dictionary). */
export interface Column {
  name: string;
  type: ColumnType;
  description: string;
  /** Personal data: present only for callers with scope `contacts:read`. */
  contact?: true;
  /**
   * From a field tagged `personal` (a person's id, name or title): shown to
   * callers of the full graph, never in the open-data bundle, whose tables
   * hold only what the public contract holds (docs/PERSONAL-DATA.md).
   */
  personal?: true;
}

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/**
 * The export of view N. Its flattening reads the view's answer as the view's
 * generated result type (views/generated.ts, written by `pnpm schema`), so a
 * field taken out of the view's document fails to compile here.
 */
export interface ViewExport<N extends ViewName = ViewName> {
  view: N;
  /** What one row is. */
  row: string;
  columns: Column[];
  /** The rows of one answer of the view, in the view's order. */
  rows(data: ViewResult<N>, variables: Record<string, unknown>): Iterable<Row>;
  /** For a paged view: the cursor of the next page, or null on the last one. */
  nextCursor?(data: ViewResult<N>): string | null;
  /** For a view of whole counties' municipalities: asked a few municipalities at a time (paging.ts). */
  municipalityPaging?: MunicipalityPaging;
}

// Items of a cross-service list are null where the reference no longer resolves: left out.
const list = <T extends object, K extends keyof T>(items: readonly (T | null)[] | null | undefined, key: K): string =>
  (items ?? []).flatMap((i) => (i === null ? [] : [i[key]])).join("; ");

/**
 * An organisation's id as exports print it: the id of the record that stays
 * (`allIds[0]`), so rows stored under a merged duplicate's id show the
 * survivor's (docs/ORGANISATION-LIFECYCLE.md); the key field `id` of a
 * reference is the one the referring subgraph stored.
 */
const organisationId = (o: { id: string; allIds: readonly string[] } | null | undefined): string | null => (o ? (o.allIds[0] ?? o.id) : null);

/** Organisations of a list by the record that stays, each once, in the list's order; null items (no longer resolving) left out. */
const organisationsOnce = <T extends { id: string; allIds: readonly string[] }>(items: readonly (T | null)[] | null | undefined): (T & { id: string })[] => {
  const seen = new Map<string, T & { id: string }>();
  for (const item of items ?? []) if (item) seen.set(organisationId(item)!, { ...item, id: organisationId(item)! });
  return [...seen.values()];
};

const COUNTY: Column[] = [
  { name: "county_code", type: "string", description: "Wellbeing services county, 2-digit code" },
  { name: "county_name", type: "string", description: "County name in Finnish" },
];
const MUNICIPALITY: Column[] = [
  { name: "municipality_code", type: "string", description: "Municipality, official 3-digit code" },
  { name: "municipality_name", type: "string", description: "Municipality name in Finnish" },
];
const PERSON_CONTACTS: Column[] = [
  { name: "person_email", type: "string", description: "The person's work e-mail (personal data)", contact: true, personal: true },
  { name: "person_phone", type: "string", description: "The person's work phone (personal data)", contact: true, personal: true },
];
/** A person as the export asks it: with `email` and `phone` when the caller may read contacts (exportDocument in export.ts). */
type WithContacts = { id: string; email?: string | null; phone?: string | null };
const contactsOf = (person: WithContacts | null): Row => ({ person_email: person?.email ?? null, person_phone: person?.phone ?? null });

const partnershipGroups: ViewExport<"partnership-groups-by-municipality"> = {
  view: "partnership-groups-by-municipality",
  row:
    "One row per municipality × group × member (as of activeOn). A group without members gives one row with empty member columns; a municipality without groups of the kind one row with empty group columns.",
  columns: [
    ...COUNTY,
    { name: "selected_area_id", type: "string", description: "The area asked for (byArea=true); empty when listing by county" },
    { name: "selected_area_name", type: "string", description: "Name of the area asked for (byArea=true)" },
    ...MUNICIPALITY,
    { name: "group_id", type: "string", description: "Cooperation group id" },
    { name: "group_name", type: "string", description: "Group name" },
    { name: "group_area_id", type: "string", description: "Area the group serves; empty for a county-wide group" },
    { name: "group_area_name", type: "string", description: "Name of the group's area" },
    { name: "theme_ids", type: "string", description: "Themes the group works on, ids separated by '; '" },
    { name: "theme_names", type: "string", description: "Themes the group works on, names separated by '; '" },
    { name: "member_role", type: "string", description: "Member's role (MembershipRole: CHAIR, MEMBER, DEPUTY, …)" },
    { name: "member_starts_on", type: "date", description: "First day of the membership" },
    { name: "member_ends_on", type: "date", description: "Last day of the membership; empty if open-ended" },
    { name: "person_id", type: "string", description: "Member's person id", personal: true },
    { name: "person_name", type: "string", description: "Member's name", personal: true },
    { name: "person_title", type: "string", description: "Member's title", personal: true },
    ...PERSON_CONTACTS,
    { name: "organisation_id", type: "string", description: "Organisation the member represents" },
    { name: "organisation_name", type: "string", description: "Name of the organisation" },
    { name: "organisation_kind", type: "string", description: "Kind of the organisation (OrganisationKind)" },
  ],
  *rows(data) {
    const sources: { county: { code: string; nameFi: string }; area: { id: string; name: string } | null; municipalities: MunicipalityPartnershipGroupsFragment[] }[] = data.areas
      ? data.areas.map((a) => ({ county: a.county, area: a, municipalities: a.municipalities }))
      : (data.counties ?? []).map((c) => ({ county: c, area: null, municipalities: c.municipalities }));
    for (const { county, area, municipalities } of sources) {
      const base = {
        county_code: county.code,
        county_name: county.nameFi,
        selected_area_id: area?.id ?? null,
        selected_area_name: area?.name ?? null,
      };
      for (const m of municipalities) {
        const municipality = { ...base, municipality_code: m.code, municipality_name: m.nameFi };
        const groups = m.cooperationGroups ?? [];
        if (groups.length === 0) yield municipality;
        for (const g of groups) {
          const group = {
            ...municipality,
            group_id: g.id,
            group_name: g.name,
            group_area_id: g.area?.id ?? null,
            group_area_name: g.area?.name ?? null,
            theme_ids: list(g.themes, "id"),
            theme_names: list(g.themes, "name"),
          };
          if (g.memberships.length === 0) yield group;
          for (const ms of g.memberships) {
            yield {
              ...group,
              member_role: ms.role,
              member_starts_on: ms.startsOn,
              member_ends_on: ms.endsOn,
              person_id: ms.person?.id ?? null,
              person_name: ms.person?.name ?? null,
              person_title: ms.person?.title ?? null,
              ...contactsOf(ms.person),
              organisation_id: organisationId(ms.organisation),
              organisation_name: ms.organisation?.name ?? null,
              organisation_kind: ms.organisation?.kind ?? null,
            };
          }
        }
      }
    }
  },
};

partnershipGroups.municipalityPaging = { fragment: "MunicipalityPartnershipGroups" };

const coverageMatrix: ViewExport<"coverage-matrix"> = {
  view: "coverage-matrix",
  row: "One row per municipality × group kind of the county (every kind, covered or not), municipalities and kinds in the view's order.",
  columns: [
    ...COUNTY,
    ...MUNICIPALITY,
    { name: "group_kind", type: "string", description: "Group kind (CooperationGroupKind)" },
    { name: "group_count", type: "integer", description: "Number of groups of this kind covering the municipality (0 = a gap)" },
    { name: "covered", type: "boolean", description: "Whether at least one group of this kind covers the municipality" },
    { name: "theme_ids", type: "string", description: "County themes that the municipality's groups of this kind work on, ids separated by '; '" },
    { name: "theme_names", type: "string", description: "The same themes by name, separated by '; '" },
  ],
  *rows(data) {
    const county = data.county;
    if (!county) return;
    const themeName = new Map((county.themes ?? []).map((t) => [t.id, t.name]));
    for (const m of county.municipalities) {
      for (const cell of m.groupCoverage ?? []) {
        const themes = new Set<string>();
        for (const g of m.cooperationGroups ?? []) if (g.kind === cell.kind) for (const t of g.themes ?? []) themes.add(t.id);
        const ids = [...themeName.keys()].filter((id) => themes.has(id));
        yield {
          county_code: county.code,
          county_name: county.nameFi,
          municipality_code: m.code,
          municipality_name: m.nameFi,
          group_kind: cell.kind,
          group_count: cell.groupCount,
          covered: cell.covered,
          theme_ids: ids.join("; "),
          theme_names: ids.map((id) => themeName.get(id)).join("; "),
        };
      }
    }
  },
};

const nominationStatus: ViewExport<"nomination-status"> = {
  view: "nomination-status",
  row: "One row per round × nominator × nomination. A nominator without nominations gives one row with empty nomination columns.",
  columns: [
    { name: "county_code", type: "string", description: "County asked for (countyCode); empty for all counties" },
    { name: "round_id", type: "string", description: "Nomination round id" },
    { name: "round_name", type: "string", description: "Round name" },
    { name: "opens_on", type: "date", description: "First day nominations are taken" },
    { name: "closes_on", type: "date", description: "Deadline (last day)" },
    { name: "is_open", type: "boolean", description: "Whether the round is open today (Helsinki)" },
    { name: "min_per_nominator", type: "integer", description: "Fewest nominations asked of each nominator" },
    { name: "max_per_nominator", type: "integer", description: "Most nominations taken from each nominator" },
    { name: "group_ids", type: "string", description: "Groups the round fills, ids separated by '; '" },
    { name: "group_names", type: "string", description: "The same groups by name, separated by '; '" },
    { name: "nominator_id", type: "string", description: "Nominator id" },
    { name: "nominator_kind", type: "string", description: "Kind of nominator (NominatorKind)" },
    ...MUNICIPALITY.map((c) => ({ ...c, description: `Nominating ${c.description.toLowerCase()}; empty if not a municipality` })),
    { name: "category_id", type: "string", description: "Nominating organisation category, if any" },
    { name: "category_name", type: "string", description: "Name of the category" },
    { name: "answered_on", type: "date", description: "Day the nominator first answered; empty = has not answered" },
    { name: "answered_by_deadline", type: "boolean", description: "Whether the answer came by the deadline" },
    { name: "nomination_status", type: "string", description: "Status of the nomination (NominationStatus)" },
    { name: "as_deputy", type: "boolean", description: "Whether the nomination is for a deputy place" },
    { name: "submitted_on", type: "date", description: "Day the nomination was submitted" },
    { name: "person_id", type: "string", description: "Nominated person's id", personal: true },
    { name: "person_name", type: "string", description: "Nominated person's name", personal: true },
    ...PERSON_CONTACTS,
    { name: "organisation_id", type: "string", description: "Organisation the person is nominated for" },
    { name: "organisation_name", type: "string", description: "Name of the organisation" },
  ],
  *rows(data, variables) {
    for (const r of data.nominationRounds) {
      const round = {
        county_code: (variables["countyCode"] as string | undefined) ?? null,
        round_id: r.id,
        round_name: r.name,
        opens_on: r.opensOn,
        closes_on: r.closesOn,
        is_open: r.isOpen,
        min_per_nominator: r.minPerNominator,
        max_per_nominator: r.maxPerNominator,
        group_ids: list(r.groups, "id"),
        group_names: list(r.groups, "name"),
      };
      for (const n of r.nominators) {
        const nominator = {
          ...round,
          nominator_id: n.id,
          nominator_kind: n.kind,
          municipality_code: n.municipality?.code ?? null,
          municipality_name: n.municipality?.nameFi ?? null,
          category_id: n.category?.id ?? null,
          category_name: n.category?.name ?? null,
          answered_on: n.answeredOn,
          answered_by_deadline: n.answeredByDeadline,
        };
        if (n.nominations.length === 0) yield nominator;
        for (const x of n.nominations) {
          yield {
            ...nominator,
            nomination_status: x.status,
            as_deputy: x.asDeputy,
            submitted_on: x.submittedOn,
            person_id: x.person?.id ?? null,
            person_name: x.person?.name ?? null,
            ...contactsOf(x.person),
            organisation_id: organisationId(x.organisation),
            organisation_name: x.organisation?.name ?? null,
          };
        }
      }
    }
  },
};

const meetingCalendar: ViewExport<"meeting-calendar"> = {
  view: "meeting-calendar",
  row: "One row per meeting, earliest first.",
  columns: [
    { name: "county_code", type: "string", description: "County asked for (countyCode)" },
    { name: "meeting_id", type: "string", description: "Meeting id" },
    { name: "meeting_kind", type: "string", description: "Kind of meeting (MeetingKind)" },
    { name: "title", type: "string", description: "Meeting title, e.g. Järjestäytymiskokous" },
    { name: "starts_at", type: "datetime", description: "Start, ISO 8601 with the Helsinki offset" },
    { name: "ends_at", type: "datetime", description: "End, ISO 8601 with the Helsinki offset; empty if not stated" },
    { name: "location", type: "string", description: "Where the meeting is held" },
    { name: "group_id", type: "string", description: "Group that meets" },
    { name: "group_name", type: "string", description: "Name of the group" },
    { name: "group_kind", type: "string", description: "Kind of the group (CooperationGroupKind)" },
  ],
  *rows(data, variables) {
    for (const m of data.meetings) {
      yield {
        county_code: (variables["countyCode"] as string | undefined) ?? null,
        meeting_id: m.id,
        meeting_kind: m.kind,
        title: m.title,
        starts_at: m.startsAt,
        ends_at: m.endsAt,
        location: m.location,
        group_id: m.group.id,
        group_name: m.group.name,
        group_kind: m.group.kind,
      };
    }
  },
};

/** Occupancy columns: column name, field of the view's `Occupancy` fragment, meaning. */
const OCCUPANCY: readonly (readonly [string, keyof OccupancyFragment, string])[] = [
  ["member_places", "memberPlaces", "Member places"],
  ["filled_member_places", "filledMemberPlaces", "Member places filled"],
  ["vacant_member_places", "vacantMemberPlaces", "Member places vacant"],
  ["deputy_places", "deputyPlaces", "Deputy places"],
  ["filled_deputy_places", "filledDeputyPlaces", "Deputy places filled"],
  ["vacant_deputy_places", "vacantDeputyPlaces", "Deputy places vacant"],
];
const occupancyColumns = (prefix: string, of: string): Column[] =>
  OCCUPANCY.map(([name, , meaning]) => ({ name: `${prefix}${name}`, type: "integer", description: `${meaning} ${of} on activeOn` }));
const occupancy = (prefix: string, o: OccupancyFragment | null): Row =>
  Object.fromEntries(OCCUPANCY.map(([name, field]) => [`${prefix}${name}`, o?.[field] ?? null]));

const representation: ViewExport<"representation"> = {
  view: "representation",
  row:
    "One row per group × seat, with the group's totals repeated on each of its rows and its members counted by organisation kind. A group without seats gives one row with empty seat columns.",
  columns: [
    { name: "county_code", type: "string", description: "County asked for (countyCode)" },
    { name: "group_id", type: "string", description: "Cooperation group id" },
    { name: "group_name", type: "string", description: "Group name" },
    { name: "group_kind", type: "string", description: "Group kind (CooperationGroupKind)" },
    ...occupancyColumns("group_", "in the whole group"),
    { name: "members", type: "integer", description: "Members of the group on activeOn" },
    {
      name: "members_by_organisation_kind",
      type: "string",
      description: "Members on activeOn counted by their organisation's kind, e.g. 'MUNICIPALITY=3; ASSOCIATION=2'",
    },
    { name: "seat_id", type: "string", description: "Seat id" },
    { name: "seat_label", type: "string", description: "Seat label" },
    { name: "seat_constituency", type: "string", description: "Who fills the seat (SeatConstituency)" },
    ...occupancyColumns("seat_", "of this seat"),
  ],
  *rows(data, variables) {
    for (const { node: g } of data.cooperationGroups.edges) {
      const kinds = new Map<string, number>();
      for (const m of g.memberships) {
        const kind = m.organisation?.kind ?? "NONE";
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      const group = {
        county_code: (variables["countyCode"] as string | undefined) ?? null,
        group_id: g.id,
        group_name: g.name,
        group_kind: g.kind,
        ...occupancy("group_", g.seatOccupancy),
        members: g.memberships.length,
        members_by_organisation_kind: [...kinds].map(([k, n]) => `${k}=${n}`).join("; "),
      };
      if (g.seats.length === 0) yield group;
      for (const s of g.seats) {
        yield { ...group, seat_id: s.id, seat_label: s.label, seat_constituency: s.constituency, ...occupancy("seat_", s.occupancy) };
      }
    }
  },
  nextCursor: (data) => (data.cooperationGroups.pageInfo.hasNextPage ? data.cooperationGroups.pageInfo.endCursor : null),
};

const planFollowUp: ViewExport<"plan-follow-up"> = {
  view: "plan-follow-up",
  row: "One row per follow-up cell (status × theme × municipality) × measure. A cell without measures gives one row with empty measure columns.",
  columns: [
    ...COUNTY,
    { name: "status", type: "string", description: "Measure status of the cell (MeasureStatus)" },
    { name: "cell_count", type: "integer", description: "Number of measures in the cell" },
    { name: "theme_id", type: "string", description: "Theme of the cell; empty for measures without a theme" },
    { name: "theme_name", type: "string", description: "Name of the theme" },
    ...MUNICIPALITY.map((c) => ({ ...c, description: `${c.description} of the cell; empty for county-wide measures` })),
    { name: "measure_id", type: "string", description: "Measure id" },
    { name: "measure_title", type: "string", description: "Measure title" },
    { name: "measure_status", type: "string", description: "Status of the measure (MeasureStatus)" },
    { name: "responsible_organisation_ids", type: "string", description: "Responsible organisations, ids separated by '; '" },
    { name: "responsible_organisation_names", type: "string", description: "Responsible organisations, names separated by '; '" },
    { name: "responsible_group_ids", type: "string", description: "Responsible groups, ids separated by '; '" },
    { name: "responsible_group_names", type: "string", description: "Responsible groups, names separated by '; '" },
  ],
  *rows(data) {
    const county = data.county;
    if (!county) return;
    for (const cell of county.measureFollowUp ?? []) {
      const base = {
        county_code: county.code,
        county_name: county.nameFi,
        status: cell.status,
        cell_count: cell.count,
        theme_id: cell.theme?.id ?? null,
        theme_name: cell.theme?.name ?? null,
        municipality_code: cell.municipality?.code ?? null,
        municipality_name: cell.municipality?.nameFi ?? null,
      };
      if (cell.measures.length === 0) yield base;
      for (const m of cell.measures) {
        yield {
          ...base,
          measure_id: m.id,
          measure_title: m.title,
          measure_status: m.status,
          responsible_organisation_ids: list(organisationsOnce(m.responsibleOrganisations), "id"),
          responsible_organisation_names: list(organisationsOnce(m.responsibleOrganisations), "name"),
          responsible_group_ids: list(m.responsibleGroups, "id"),
          responsible_group_names: list(m.responsibleGroups, "name"),
        };
      }
    }
  },
};

/** The column dictionary and flattening of every view, by view name. */
export const VIEW_EXPORTS: { readonly [N in ViewName]: ViewExport<N> } = {
  "partnership-groups-by-municipality": partnershipGroups,
  "coverage-matrix": coverageMatrix,
  "nomination-status": nominationStatus,
  "meeting-calendar": meetingCalendar,
  representation,
  "plan-follow-up": planFollowUp,
};

/** The columns a caller gets: contact columns only with `contacts:read`. */
export function columnsFor(view: ViewExport, withContacts: boolean): Column[] {
  return view.columns.filter((c) => withContacts || !c.contact);
}

/** The columns of the open-data bundle: none from a field tagged personal (nor, so, any contact). */
export function openDataColumns(view: Pick<ViewExport, "columns">): Column[] {
  return view.columns.filter((c) => !c.personal && !c.contact);
}
