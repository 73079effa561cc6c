import { personalDataScrubRoutes, RecordSource, RegisterSyncReport } from "@yhdyspinta/core";
import { IndicatorValueRevision } from "./indicator/indicator-revision.entity.ts";
import {
  CountyIndicatorFollowUpResolver,
  IndicatorFollowUpResolver,
  IndicatorRegisterResolver,
  IndicatorSyncReportsResolver,
  IndicatorValueRegisterResolver,
  IndicatorValueRevisionResolver,
} from "./indicator/sotkanet-sync.resolver.ts";
import { provenanceResolvers } from "./provenance/provenance.resolver.ts";
import { ConfirmPlanningRecordResolver } from "./provenance/confirm-record.resolver.ts";
import { auditResolvers } from "./audit/audit.resolver.ts";
import { DataSubject } from "./personal-data/data-subject.entity.ts";
import { dataSubjectReference, DataSubjectResolver } from "./personal-data/data-subject.resolver.ts";
import { CountyFollowUpResolver, MeasureFollowUpCellResolver } from "./dashboard/follow-up.resolver.ts";
import type { ServiceDefinition } from "@yhdyspinta/core";
import { GrantAward, GrantProgramme } from "./grant/grant.entity.ts";
import { CountyGrantsResolver, GrantAwardResolver, GrantProgrammeResolver, OrganisationGrantsResolver } from "./grant/grant.resolver.ts";
import { Indicator, IndicatorValue } from "./indicator/indicator.entity.ts";
import {
  CountyIndicatorsResolver,
  IndicatorResolver,
  IndicatorValueResolver,
  MunicipalityIndicatorsResolver,
} from "./indicator/indicator.resolver.ts";
import { createLoaders, type Loaders } from "./loaders.ts";
import { Measure, MeasureProgressNote } from "./measure/measure.entity.ts";
import { MeasureEditResolver } from "./measure-edit/measure-edit.resolver.ts";
import { GrantProgrammeEditResolver } from "./grant-programme-edit/grant-programme-edit.resolver.ts";
import { IndicatorEditResolver } from "./indicator-edit/indicator-edit.resolver.ts";
import { NegotiationEditResolver } from "./negotiation-edit/negotiation-edit.resolver.ts";
import { PlanEditResolver } from "./plan-edit/plan-edit.resolver.ts";
import { StrategyEditResolver } from "./strategy-edit/strategy-edit.resolver.ts";
import { ThemeEditResolver } from "./theme-edit/theme-edit.resolver.ts";
import { GroupMeasuresResolver, measureReference, MeasureResolver, OrganisationMeasuresResolver } from "./measure/measure.resolver.ts";
import { migrations } from "./migrations/index.ts";
import { AnnualNegotiation, AnnualNegotiationPractice } from "./negotiation/negotiation.entity.ts";
import {
  AnnualNegotiationPracticeResolver,
  AnnualNegotiationResolver,
  CountyNegotiationsResolver,
  GroupNegotiationsResolver,
} from "./negotiation/negotiation.resolver.ts";
import { WellbeingGoal, WellbeingPlan } from "./plan/plan.entity.ts";
import {
  CountyPlansResolver,
  MunicipalityPlansResolver,
  wellbeingPlanReference,
  WellbeingGoalResolver,
  WellbeingPlanResolver,
} from "./plan/plan.resolver.ts";
import { seedPlanningSources } from "./provenance/seed.ts";
import { seed } from "./seed/seed.ts";
import { HyteIndicatorResolver, IndicatorFollowUpHyteResolver } from "./hyte/hyte.resolver.ts";
import { HyteIndicator } from "./hyte/hyte-indicator.entity.ts";
import { Strategy } from "./strategy/strategy.entity.ts";
import { CountyStrategyResolver, StrategyCooperationGoalResolver, StrategyResolver } from "./strategy/strategy.resolver.ts";
import { Theme } from "./theme/theme.entity.ts";
import { CountyThemesResolver, GroupThemesResolver, ThemeResolver } from "./theme/theme.resolver.ts";
import { DocumentReferrersResolver } from "./federation/document-referrers.resolver.ts";
import { DocumentRef } from "./federation/references.ts";
import { planningImportRoutes } from "./import/import.routes.ts";

/** The planning subgraph: wellbeing reports and plans, themes, measures, indicators, negotiations, strategy, grants. */
export const planningService: ServiceDefinition<Loaders> = {
  name: "planning",
  entities: [
    WellbeingPlan,
    WellbeingGoal,
    Theme,
    Measure,
    MeasureProgressNote,
    Indicator,
    IndicatorValue,
    AnnualNegotiation,
    AnnualNegotiationPractice,
    Strategy,
    GrantProgramme,
    GrantAward,
    RecordSource,
    IndicatorValueRevision,
    RegisterSyncReport,
    HyteIndicator,
  ],
  migrations,
  // Types of the organisations subgraph no field here returns: its document (which records name it) and the data subject (this subgraph's rows about a person).
  orphanedTypes: [DocumentRef, DataSubject],
  resolvers: [
    DocumentReferrersResolver,
    CountyFollowUpResolver,
    MeasureFollowUpCellResolver,
    WellbeingPlanResolver,
    WellbeingGoalResolver,
    MunicipalityPlansResolver,
    CountyPlansResolver,
    ThemeResolver,
    GroupThemesResolver,
    CountyThemesResolver,
    MeasureResolver,
    MeasureEditResolver,
    GroupMeasuresResolver,
    OrganisationMeasuresResolver,
    IndicatorResolver,
    IndicatorValueResolver,
    MunicipalityIndicatorsResolver,
    CountyIndicatorsResolver,
    AnnualNegotiationResolver,
    AnnualNegotiationPracticeResolver,
    CountyNegotiationsResolver,
    GroupNegotiationsResolver,
    StrategyResolver,
    StrategyCooperationGoalResolver,
    CountyStrategyResolver,
    GrantProgrammeResolver,
    GrantAwardResolver,
    CountyGrantsResolver,
    OrganisationGrantsResolver,
    IndicatorRegisterResolver,
    IndicatorValueRegisterResolver,
    IndicatorValueRevisionResolver,
    IndicatorFollowUpResolver,
    CountyIndicatorFollowUpResolver,
    IndicatorSyncReportsResolver,
    HyteIndicatorResolver,
    IndicatorFollowUpHyteResolver,
    PlanEditResolver,
    ThemeEditResolver,
    NegotiationEditResolver,
    StrategyEditResolver,
    GrantProgrammeEditResolver,
    IndicatorEditResolver,
    ...provenanceResolvers,
    ConfirmPlanningRecordResolver,
    ...auditResolvers,
    DataSubjectResolver,
  ],
  references: { ...wellbeingPlanReference, ...measureReference, ...dataSubjectReference },
  // The records first, then their provenance (provenance/seed.ts reads the records' seeds).
  seed: async (em) => {
    await seed(em);
    await seedPlanningSources(em);
  },
  createLoaders: (em) => createLoaders(em),
  // Bulk import (docs/IMPORT.md), called by the gateway; and the scrub of an erased
  // person's values, called by the organisations subgraph (docs/PERSONAL-DATA.md).
  internalRoutes: (deps) => ({ ...planningImportRoutes(deps), ...personalDataScrubRoutes(deps) }),
};
