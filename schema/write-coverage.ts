import { buildASTSchema, isObjectType, parse } from "graphql";

/**
 * Every object type of the composed supergraph with the mutations that write
 * it, or the reason nothing writes it through the API (issue 25, item 3).
 * `schema/write-coverage.test.ts` fails when a type has neither, when a
 * named mutation is not in the `Mutation` type, or when an entry names a type
 * the supergraph no longer has.
 */

/** Types coordinators (or admins) write, with the mutations that do. */
export const WRITE_PATHS: Readonly<Record<string, readonly string[]>> = {
  // groups subgraph
  Area: ["createArea", "editArea", "removeArea", "confirmGroupRecord"],
  CooperationGroup: ["createCooperationGroup", "editCooperationGroup", "endCooperationGroup", "renewCooperationGroup", "confirmGroupRecord"],
  CooperationLevel: ["createCooperationLevel", "editCooperationLevel", "removeCooperationLevel", "confirmGroupRecord"],
  LiaisonRole: ["createLiaisonRole", "editLiaisonRole", "endLiaisonRole", "removeLiaisonRole", "confirmGroupRecord"],
  LiaisonHolder: ["addLiaison", "endLiaison"],
  GroupSeat: ["createGroupSeat", "editGroupSeat", "endGroupSeat"],
  GroupMembership: ["recordMembership", "correctMembership", "endMembership"],
  GroupMeeting: ["scheduleMeeting", "recordMeetingMinutes"],
  MeetingAttendance: ["recordMeetingMinutes"],
  GroupTerm: ["appointGroupTerm", "renewCooperationGroup"],
  Term: ["createTerm"],
  GroupReminder: ["generateReminders", "markReminderHandled"],
  GroupContact: ["setGroupContact", "removeGroupContact"],
  DataSubjectRequest: ["erasePersonalData"],
  NominationRound: ["openNominationRound", "editNominationRound", "closeNominationRound"],
  Nominator: ["openNominationRound", "editNominationRound"],
  Nomination: ["submitNomination", "acceptNomination", "rejectNomination", "withdrawNomination", "appointNomination"],
  NominationStatusChange: ["submitNomination", "acceptNomination", "rejectNomination", "withdrawNomination", "appointNomination"],
  // organisations subgraph
  Organisation: [
    "createOrganisation",
    "updateOrganisation",
    "windUpOrganisation",
    "mergeOrganisations",
    "assignOrganisationCategory",
    "unassignOrganisationCategory",
    "confirmOrganisationRecord",
  ],
  OrganisationSuccessor: ["windUpOrganisation"],
  OrganisationCategory: ["createOrganisationCategory", "updateOrganisationCategory", "removeOrganisationCategory", "confirmOrganisationRecord"],
  Person: ["createPerson", "updatePerson"],
  Document: ["createDocument", "updateDocument", "removeDocument", "confirmOrganisationRecord"],
  ContactPoint: ["createContactPoint", "updateContactPoint", "endContactPoint", "removeContactPoint", "confirmOrganisationRecord"],
  WebhookEndpoint: ["registerWebhookEndpoint", "updateWebhookEndpoint", "deleteWebhookEndpoint"],
  WebhookEndpointRegistration: ["registerWebhookEndpoint"],
  // planning subgraph
  WellbeingPlan: ["createWellbeingPlan", "updateWellbeingPlan", "removeWellbeingPlan", "confirmPlanningRecord"],
  WellbeingGoal: ["addWellbeingGoal", "updateWellbeingGoal", "removeWellbeingGoal", "confirmPlanningRecord"],
  Theme: ["createTheme", "updateTheme", "removeTheme", "confirmPlanningRecord"],
  AnnualNegotiation: ["recordAnnualNegotiation", "updateAnnualNegotiation", "removeAnnualNegotiation", "confirmPlanningRecord"],
  AnnualNegotiationPractice: ["setAnnualNegotiationPractice", "removeAnnualNegotiationPractice", "confirmPlanningRecord"],
  Strategy: ["createStrategy", "updateStrategy", "removeStrategy", "confirmPlanningRecord"],
  StrategyPriority: ["createStrategy", "updateStrategy"],
  StrategyPrinciple: ["createStrategy", "updateStrategy"],
  StrategyValue: ["createStrategy", "updateStrategy"],
  StrategyCooperationGoal: ["createStrategy", "updateStrategy"],
  GrantProgramme: ["createGrantProgramme", "updateGrantProgramme", "removeGrantProgramme", "confirmPlanningRecord"],
  GrantPrinciple: ["createGrantProgramme", "updateGrantProgramme"],
  GrantAward: ["awardGrant"],
  Measure: ["createMeasure", "updateMeasure", "removeMeasure"],
  MeasureProgressNote: ["addMeasureProgressNote"],
  Indicator: ["createIndicator", "updateIndicator", "removeIndicator", "confirmPlanningRecord"],
  // every subgraph: a sourced record's provenance is written with it (`provenance` inputs) and re-confirmed alone
  Provenance: ["confirmGroupRecord", "confirmOrganisationRecord", "confirmPlanningRecord"],
};

/** Types nothing writes through the API, each with the reason. */
export const READ_ONLY: Readonly<Record<string, string>> = {
  // reference data
  WellbeingServicesCounty: "reference data: the 21 counties and Helsinki are fixed by law (611/2021), set by migrations",
  Municipality: "reference data: Statistics Finland's classification, read by `pnpm sync statfi`",
  // copied from public registers by `pnpm sync` (a coordinator decides on what they report through the write paths above)
  OrganisationRegisterRecord: "copied from PRH/YTJ by `pnpm sync ytj`, never edited by hand",
  RegisteredName: "part of the YTJ record (`pnpm sync ytj`)",
  RegisteredAddress: "part of the YTJ record (`pnpm sync ytj`)",
  RegisterProvenance: "which register run a synced value came from; written by the sync",
  HyteIndicator: "register copy: the HYTE indicator sets of a funding year, written only by `pnpm sync hyte` from THL's published list",
  OrganisationEndingReview: "YTJ's report of an ended business ID, written by the sync; the coordinator's decision is `windUpOrganisation`",
  RegisterSyncReport: "a register sync run's report, written by the sync",
  RegisterSyncRefusal: "a row a register sync refused, part of its report",
  IndicatorValue: "indicator values come from Sotkanet (`pnpm sync sotkanet`); the indicator's metadata is written by `createIndicator`/`updateIndicator`",
  IndicatorValueRevision: "a revised Sotkanet value's earlier figure, kept by the sync",
  CouncilTermMigrationIssue: "written once by the migration that made terms data; read to fix groups by `editCooperationGroup`",
  WebhookDeadLetter: "written by the webhook worker after the last failed attempt; `replayWebhookDeadLetters` re-queues them",
  // gaps left (issue 25): stored, but no write path yet
  // the audit trail and change feed: written by every mutation, in its transaction
  Change: "the audit trail: written by every mutation in its own transaction",
  ChangeEvent: "a change feed entry, from the audit trail's outbox",
  ChangeEventPage: "a page of the change feed (computed)",
  // computed answers and value types
  GroupAlerts: "computed from seats, rounds and memberships on a day",
  GroupKindCoverage: "computed: a count of groups per kind and municipality",
  SeatOccupancy: "computed: a seat's holders on a day",
  SeatVacancy: "computed: a seat without a holder on a day",
  DataSubject: "computed: everything each subgraph holds about a person (data-subject access); rectified through updatePerson, erased with erasePersonalData",
  DataSubjectRoles: "computed: a person's roles on a day, for the retention job",
  RoundDeadline: "computed: a round closing soon with its unanswered nominators",
  NominatorShortfall: "computed: a nominator below the round's minimum",
  NominationRoundClosure: "the answer of `closeNominationRound`, computed when it closes",
  IndicatorFollowUp: "computed from indicator values",
  MeasureFollowUpCell: "computed: measures counted per theme, status and municipality",
  PageInfo: "pagination value type",
  ChangeConnection: "pagination value type",
  ChangeEdge: "pagination value type",
  CooperationGroupConnection: "pagination value type",
  CooperationGroupEdge: "pagination value type",
  GroupReminderConnection: "pagination value type",
  GroupReminderEdge: "pagination value type",
  OrganisationConnection: "pagination value type",
  OrganisationEdge: "pagination value type",
  PersonConnection: "pagination value type",
  PersonEdge: "pagination value type",
};

/** Root operation types and the federation machinery's types are not records. */
const NOT_RECORDS = new Set(["Query", "Mutation", "Subscription"]);

/**
 * What is wrong with the write coverage of a supergraph (SDL): an object type
 * with neither a write path nor a reason, or with both; a named mutation the
 * `Mutation` type lacks; an entry for a type the supergraph does not have.
 * Empty when every type is accounted for.
 */
export function writeCoverageProblems(
  supergraphSdl: string,
  writes: Readonly<Record<string, readonly string[]>> = WRITE_PATHS,
  readOnly: Readonly<Record<string, string>> = READ_ONLY,
): string[] {
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  const mutations = new Set(Object.keys(schema.getMutationType()?.getFields() ?? {}));
  const types = Object.values(schema.getTypeMap())
    .filter((t) => isObjectType(t) && !t.name.startsWith("_") && !t.name.includes("__") && !NOT_RECORDS.has(t.name))
    .map((t) => t.name)
    .sort();
  const problems: string[] = [];
  for (const name of types) {
    const paths = Object.hasOwn(writes, name) ? writes[name]! : undefined;
    const reason = Object.hasOwn(readOnly, name) ? readOnly[name]!.trim() : undefined;
    if (!paths && !reason) problems.push(`${name}: no write path and no reason it is read-only`);
    if (paths && reason) problems.push(`${name}: listed both with write paths and as read-only`);
    if (paths?.length === 0) problems.push(`${name}: an empty list of write paths`);
    for (const mutation of paths ?? []) if (!mutations.has(mutation)) problems.push(`${name}: mutation ${mutation} is not in the Mutation type`);
  }
  const known = new Set(types);
  for (const name of [...Object.keys(writes), ...Object.keys(readOnly)]) if (!known.has(name)) problems.push(`${name}: listed, but the supergraph has no such type`);
  return problems;
}
