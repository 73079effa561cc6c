import coverageMatrix from "../../../views/coverage-matrix.graphql";
import meetingCalendar from "../../../views/meeting-calendar.graphql";
import nominationStatus from "../../../views/nomination-status.graphql";
import partnershipGroups from "../../../views/partnership-groups-by-municipality.graphql";
import planFollowUp from "../../../views/plan-follow-up.graphql";
import representation from "../../../views/representation.graphql";
import type {
  CoverageMatrixQuery,
  CoverageMatrixQueryVariables,
  MeetingCalendarQuery,
  MeetingCalendarQueryVariables,
  NominationStatusQuery,
  NominationStatusQueryVariables,
  PartnershipGroupsByMunicipalityQuery,
  PartnershipGroupsByMunicipalityQueryVariables,
  PlanFollowUpQuery,
  PlanFollowUpQueryVariables,
  RepresentationQuery,
  RepresentationQueryVariables,
} from "../../../views/generated.ts";

/** A committed view (views/*.graphql, bundled at build time) with the README's example variables. */
export interface SavedView {
  name: string;
  title: string;
  document: string;
  variables: Record<string, unknown>;
}

export const SAVED_VIEWS: readonly SavedView[] = [
  { name: "partnership-groups-by-municipality", title: "1. Partnership groups by municipality", document: partnershipGroups, variables: { countyCodes: ["14", "08"] } },
  { name: "coverage-matrix", title: "2. Coverage matrix", document: coverageMatrix, variables: { countyCode: "14" } },
  { name: "nomination-status", title: "3. Nomination status", document: nominationStatus, variables: { countyCode: "14", closedSince: "2023-11-01" } },
  { name: "meeting-calendar", title: "4. Meeting calendar", document: meetingCalendar, variables: { countyCode: "08", from: "2023-12-01", to: "2024-12-31" } },
  { name: "representation", title: "5. Representation", document: representation, variables: { countyCode: "08", activeOn: "2026-02-01" } },
  { name: "plan-follow-up", title: "6. Plan follow-up", document: planFollowUp, variables: { countyCode: "14" } },
];

/** The README's first example. */
export const README_EXAMPLE = `# The README's example: one municipality, its county, groups and plans.
query ReadmeExample {
  municipality(code: "167") {
    nameFi
    county { code nameFi }
    cooperationGroups { name }
    wellbeingPlans { id }
  }
}
`;

/**
 * A view's document as committed (sent as it is, so that it is the registered
 * operation), typed with the view's result and variables that `pnpm schema`
 * generates from the same file into views/generated.ts: a field taken out of
 * a view fails to compile where the dashboard reads it. The two members are
 * never set; they only carry the types.
 */
export type ViewText<Result, Variables> = string & { readonly __result?: Result; readonly __variables?: Variables };

export const viewDocuments = {
  coverageMatrix: coverageMatrix as ViewText<CoverageMatrixQuery, CoverageMatrixQueryVariables>,
  meetingCalendar: meetingCalendar as ViewText<MeetingCalendarQuery, MeetingCalendarQueryVariables>,
  nominationStatus: nominationStatus as ViewText<NominationStatusQuery, NominationStatusQueryVariables>,
  partnershipGroups: partnershipGroups as ViewText<PartnershipGroupsByMunicipalityQuery, PartnershipGroupsByMunicipalityQueryVariables>,
  planFollowUp: planFollowUp as ViewText<PlanFollowUpQuery, PlanFollowUpQueryVariables>,
  representation: representation as ViewText<RepresentationQuery, RepresentationQueryVariables>,
};
