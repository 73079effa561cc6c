import type { Column, Row } from "./columns.ts";
import { dataOrThrow, type GraphQLExecutor } from "../loopback-graphql.ts";

/**
 * `GET /exports/alerts.csv|json`: the alerts of `groupAlerts` (vacant seats,
 * deputies without a member, rounds closing with their unanswered
 * nominators, memberships and group terms ending), one row per alert, for
 * the same variables as the query. Not a dashboard view: it is read through
 * this one operation, registered like the other project operations.
 */
export const ALERTS_EXPORT = `query AlertsExport($countyCode: ID, $activeOn: Date, $withinDays: Int) {
  groupAlerts(countyCode: $countyCode, activeOn: $activeOn, withinDays: $withinDays) {
    activeOn
    vacantSeats { seat { id label } group { id name county { code } } occupancy { vacantMemberPlaces vacantDeputyPlaces } }
    deputiesWithoutMember { id role group { id name county { code } } seat { id label } }
    closingRounds { closesOn daysLeft round { id name county { code } } pendingNominators { municipality { nameFi } category { name } } }
    endingMemberships { id role endsOn group { id name county { code } } seat { id label } }
    endingTerms { id endsOn group { id name county { code } } term { id label } }
  }
}`;

type GroupRef = { id: string; name: string; county: { code: string } } | null;
type SeatRef = { id: string; label: string } | null;

export interface AlertsExportData {
  groupAlerts: {
    activeOn: string;
    vacantSeats: { seat: SeatRef; group: GroupRef; occupancy: { vacantMemberPlaces: number | null; vacantDeputyPlaces: number | null } }[];
    deputiesWithoutMember: { id: string; role: string; group: GroupRef; seat: SeatRef }[];
    closingRounds: {
      closesOn: string;
      daysLeft: number;
      round: { id: string; name: string; county: { code: string } };
      pendingNominators: { municipality: { nameFi: string } | null; category: { name: string } | null }[];
    }[];
    endingMemberships: { id: string; role: string; endsOn: string | null; group: GroupRef; seat: SeatRef }[];
    endingTerms: { id: string; endsOn: string | null; group: GroupRef; term: { id: string; label: string } }[];
  };
}

/** What one row of the alerts export is (the open-data descriptor's description of `data/alerts.csv`). */
export const ALERTS_ROW =
  "One row per alert of groupAlerts, in the order vacant seats, deputies without a member, closing rounds, ending memberships, ending group terms.";

/** The alerts export's column dictionary. No personal data: no person, no contact. */
export const ALERT_COLUMNS: Column[] = [
  { name: "kind", type: "string", description: "vacant_seat, deputy_without_member, round_closing, membership_ending or term_ending" },
  { name: "county_code", type: "string", description: "Wellbeing services county, 2-digit code" },
  { name: "group_id", type: "string", description: "The group (empty for a round, which may serve several groups)" },
  { name: "group_name", type: "string", description: "The group's name" },
  { name: "subject_id", type: "string", description: "The seat, membership, round or group term the alert is about" },
  { name: "subject_label", type: "string", description: "The seat's label, the membership's role, the round's name or the term's label" },
  { name: "day", type: "date", description: "The day that matters: the round's deadline, the membership's or term's last day, the asked day for a vacancy or a deputy without a member" },
  { name: "days_left", type: "integer", description: "Days from the asked day (activeOn) to `day`" },
  { name: "vacant_member_places", type: "integer", description: "vacant_seat: member places nobody holds (empty when the seat states no number)" },
  { name: "vacant_deputy_places", type: "integer", description: "vacant_seat: deputy places nobody holds" },
  { name: "pending_nominators", type: "string", description: "round_closing: nominators that have not answered, `; `-separated" },
];

const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

const groupCells = (group: GroupRef) => ({ county_code: group?.county.code ?? null, group_id: group?.id ?? null, group_name: group?.name ?? null });

/** One row per alert, in the order of the query's lists. */
export function alertRows(data: AlertsExportData): Row[] {
  const a = data.groupAlerts;
  const on = a.activeOn;
  const dated = (day: string | null) => ({ day, days_left: day === null ? null : daysBetween(on, day) });
  return [
    ...a.vacantSeats.map((v) => ({
      kind: "vacant_seat",
      ...groupCells(v.group),
      subject_id: v.seat?.id ?? null,
      subject_label: v.seat?.label ?? null,
      ...dated(on),
      vacant_member_places: v.occupancy.vacantMemberPlaces,
      vacant_deputy_places: v.occupancy.vacantDeputyPlaces,
    })),
    ...a.deputiesWithoutMember.map((m) => ({ kind: "deputy_without_member", ...groupCells(m.group), subject_id: m.id, subject_label: m.seat?.label ?? m.role, ...dated(on) })),
    ...a.closingRounds.map((r) => ({
      kind: "round_closing",
      county_code: r.round.county.code,
      group_id: null,
      group_name: null,
      subject_id: r.round.id,
      subject_label: r.round.name,
      day: r.closesOn,
      days_left: r.daysLeft,
      pending_nominators: r.pendingNominators.map((n) => n.municipality?.nameFi ?? n.category?.name ?? "").filter((n) => n !== "").join("; "),
    })),
    ...a.endingMemberships.map((m) => ({ kind: "membership_ending", ...groupCells(m.group), subject_id: m.id, subject_label: m.seat?.label ?? m.role, ...dated(m.endsOn) })),
    ...a.endingTerms.map((t) => ({ kind: "term_ending", ...groupCells(t.group), subject_id: t.id, subject_label: t.term.label, ...dated(t.endsOn) })),
  ];
}

/** The export's rows for these (already checked) variables. */
export async function* alertsExportRows(execute: GraphQLExecutor, variables: Record<string, unknown>): AsyncGenerator<Row> {
  yield* alertRows(dataOrThrow(await execute<AlertsExportData>(ALERTS_EXPORT, variables), variables));
}
