import { GroupContactWriteResolver } from "./group-contact/group-contact.resolver.ts";
import {
  GroupOccupancyResolver,
  MunicipalityCoverageResolver,
  NominatorAnswerResolver,
  SeatOccupancyResolver,
} from "./dashboard/dashboard.resolver.ts";
import type { ServiceDefinition } from "@yhdyspinta/core";
import { Area, AreaMunicipality } from "./area/area.entity.ts";
import { areaReference, AreaResolver } from "./area/area.resolver.ts";
import { CoordinationResolver } from "./coordination/coordination.resolver.ts";
import { CooperationGroup, GroupContact, GroupMunicipality } from "./group/group.entity.ts";
import {
  cooperationGroupReference,
  CooperationGroupResolver,
  CountyGroupsResolver,
  GroupContactResolver,
  MunicipalityGroupsResolver,
} from "./group/group.resolver.ts";
import { CooperationLevel, LiaisonHolder, LiaisonRole } from "./liaison/liaison.entity.ts";
import { CooperationLevelResolver, CountyLiaisonsResolver, LiaisonHolderResolver, LiaisonRoleResolver } from "./liaison/liaison.resolver.ts";
import { RegisterWorkflowResolver } from "./register-workflow/register-workflow.resolver.ts";
import { createLoaders, type Loaders } from "./loaders.ts";
import { Meeting } from "./meeting/meeting.entity.ts";
import { MeetingResolver } from "./meeting/meeting.resolver.ts";
import { Membership } from "./membership/membership.entity.ts";
import {
  MembershipResolver,
  OrganisationMembershipsResolver,
  PersonMembershipsResolver,
} from "./membership/membership.resolver.ts";
import { migrations } from "./migrations/index.ts";
import { Nomination, NominationRound, NominationRoundGroup, Nominator } from "./nomination/nomination.entity.ts";
import { NominationResolver, NominationRoundResolver, NominatorResolver } from "./nomination/nomination.resolver.ts";
import { GroupSeat } from "./seat/seat.entity.ts";
import { GroupSeatResolver } from "./seat/seat.resolver.ts";
import { seed } from "./seed/seed.ts";
import { GroupWorkflowResolver } from "./group-workflow/group-workflow.resolver.ts";
import { MeetingAttendance } from "./meeting-record/meeting-record.entity.ts";
import { MeetingAttendanceResolver, MeetingRecordResolver } from "./meeting-record/meeting-record.resolver.ts";
import { NominationStatusChange } from "./round-workflow/round-workflow.entity.ts";
import { NominationHistoryResolver, RoundWorkflowResolver } from "./round-workflow/round-workflow.resolver.ts";
import { personalDataScrubRoutes, RecordSource } from "@yhdyspinta/core";
import { provenanceResolvers } from "./provenance/provenance.resolver.ts";
import { auditResolvers } from "./audit/audit.resolver.ts";
import { CouncilTermMigrationIssue, GroupTerm, Term } from "./term/term.entity.ts";
import {
  CouncilTermMigrationIssueResolver,
  GroupTermResolver,
  GroupTermsResolver,
  MembershipTermResolver,
  SeatTermResolver,
  TermResolver,
} from "./term/term.resolver.ts";
import { GroupAlertsResolver, RoundDeadlineResolver, SeatVacancyResolver } from "./alerts/alerts.resolver.ts";
import { Reminder } from "./reminder/reminder.entity.ts";
import { ReminderResolver } from "./reminder/reminder.resolver.ts";
import { startReminderWorker } from "./reminder/reminder.worker.ts";
import { DataSubject } from "./personal-data/data-subject.entity.ts";
import { dataSubjectReference, DataSubjectResolver } from "./personal-data/data-subject.resolver.ts";
import { groupImportRoutes } from "./import/import.routes.ts";
import { CategoryReferrersResolver } from "./federation/category-referrers.resolver.ts";
import { DocumentReferrersResolver } from "./federation/document-referrers.resolver.ts";
import { DocumentRef } from "./federation/references.ts";

/** The groups subgraph: cooperation and partnership groups, areas, seats, memberships, rounds, meetings, liaisons. */
export const groupsService: ServiceDefinition<Loaders> = {
  name: "groups",
  entities: [
    CooperationGroup,
    GroupMunicipality,
    GroupContact,
    Area,
    AreaMunicipality,
    GroupSeat,
    Membership,
    Meeting,
    NominationRound,
    NominationRoundGroup,
    Nominator,
    Nomination,
    NominationStatusChange,
    MeetingAttendance,
    CooperationLevel,
    LiaisonRole,
    LiaisonHolder,
    RecordSource,
    Term,
    GroupTerm,
    CouncilTermMigrationIssue,
    Reminder,
  ],
  migrations,
  // Types of the organisations subgraph no field here returns: its document (which records name it) and the data subject (this subgraph's rows about a person).
  orphanedTypes: [DocumentRef, DataSubject],
  resolvers: [
    DocumentReferrersResolver,
    CooperationGroupResolver,
    CategoryReferrersResolver,
    MunicipalityCoverageResolver,
    SeatOccupancyResolver,
    GroupOccupancyResolver,
    NominatorAnswerResolver,
    GroupContactResolver,
    GroupContactWriteResolver,
    MunicipalityGroupsResolver,
    CountyGroupsResolver,
    AreaResolver,
    GroupSeatResolver,
    MembershipResolver,
    PersonMembershipsResolver,
    OrganisationMembershipsResolver,
    MeetingResolver,
    NominationRoundResolver,
    NominatorResolver,
    NominationResolver,
    NominationHistoryResolver,
    RoundWorkflowResolver,
    GroupWorkflowResolver,
    MeetingRecordResolver,
    MeetingAttendanceResolver,
    CooperationLevelResolver,
    LiaisonRoleResolver,
    CountyLiaisonsResolver,
    LiaisonHolderResolver,
    RegisterWorkflowResolver,
    CoordinationResolver,
    TermResolver,
    GroupTermResolver,
    GroupTermsResolver,
    MembershipTermResolver,
    SeatTermResolver,
    CouncilTermMigrationIssueResolver,
    GroupAlertsResolver,
    SeatVacancyResolver,
    RoundDeadlineResolver,
    ReminderResolver,
    ...provenanceResolvers,
    ...auditResolvers,
    DataSubjectResolver,
  ],
  references: { ...cooperationGroupReference, ...areaReference, ...dataSubjectReference },
  seed,
  createLoaders: (em) => createLoaders(em),
  background: startReminderWorker,
  // Bulk import of groups, seats and memberships (docs/IMPORT.md), called by the gateway;
  // and the scrub of an erased person's values, called by the organisations subgraph (docs/PERSONAL-DATA.md).
  internalRoutes: (deps) => ({ ...groupImportRoutes(deps), ...personalDataScrubRoutes(deps) }),
};
