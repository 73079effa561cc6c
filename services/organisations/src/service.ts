import type { EntityManager } from "@mikro-orm/postgresql";
import type { ServiceDefinition } from "@yhdyspinta/core";
import type { Classification } from "./classification.ts";
import { County } from "./county/county.entity.ts";
import { countyReference, CountyResolver } from "./county/county.resolver.ts";
import { createLoaders, type Loaders } from "./loaders.ts";
import { migrations } from "./migrations/index.ts";
import { Municipality } from "./municipality/municipality.entity.ts";
import { classificationYears } from "./municipality/municipality.queries.ts";
import { municipalityReference, MunicipalityResolver } from "./municipality/municipality.resolver.ts";
import { seed } from "./seed/seed.ts";
import { CountyNameResolver, MunicipalityNameResolver } from "./county/names.resolver.ts";
import { RecordSource, RegisterSyncReport } from "@yhdyspinta/core";
import { OrganisationEndingReview, OrganisationRegisterRecord } from "./register/register-record.entity.ts";
import { ContactPointRegisterResolver, OrganisationEndingReviewResolver, OrganisationRegisterRecordResolver, OrganisationRegisterResolver, OrganisationSyncReportsResolver } from "./register/register.resolver.ts";
import { ContactPoint } from "./contact/contact-point.entity.ts";
import { ConfirmOrganisationRecordResolver } from "./provenance/confirm-record.resolver.ts";
import { Document, DocumentSubject } from "./document/document.entity.ts";
import {
  ContactPointResolver,
  CountyDocumentsResolver,
  CooperationGroupRef,
  DocumentResolver,
  GroupDocumentsResolver,
  OrganisationHistoryResolver,
} from "./document/document.resolver.ts";
import { OrganisationCategory } from "./category/category.entity.ts";
import { categoryReference, CategoryResolver } from "./category/category.resolver.ts";
import { Organisation, OrganisationCategoryAssignment, OrganisationMunicipality, OrganisationSuccessor } from "./organisation/organisation.entity.ts";
import { OrganisationLifecycleResolver, OrganisationSuccessorResolver } from "./organisation/organisation-lifecycle.resolver.ts";
import { organisationReference, OrganisationResolver } from "./organisation/organisation.resolver.ts";
import { Person } from "./person/person.entity.ts";
import { personReference, PersonResolver } from "./person/person.resolver.ts";
import { auditResolvers } from "./audit/audit.resolver.ts";
import { WebhookResolver } from "./webhook/webhook.resolver.ts";
import { ContactPointWriteResolver } from "./contact/contact-point.resolver.ts";
import { DocumentWriteResolver } from "./document/document-write.resolver.ts";
import { startWebhookWorker } from "./webhook/webhook.worker.ts";
import { DataSubjectRequest } from "./personal-data/data-subject.entity.ts";
import { dataSubjectReference, DataSubjectResolver } from "./personal-data/data-subject.resolver.ts";
import { startRetentionJob } from "./personal-data/retention.ts";
import { startScrubWorker } from "./personal-data/scrub.delivery.ts";
import { readConfig } from "@yhdyspinta/core";
import { organisationImportRoutes } from "./import/import.routes.ts";

/** Reads the classification years present; the current one is the latest not in the future. */
async function prepare(em: EntityManager): Promise<Classification> {
  const years = await classificationYears(em);
  const thisYear = new Date().getFullYear();
  const current = [...years].reverse().find((y) => y <= thisYear) ?? years.at(-1) ?? thisYear;
  return { years, currentYear: current };
}

/** The organisations subgraph: counties, municipalities, organisations, people. */
export const organisationsService: ServiceDefinition<Loaders, Classification> = {
  name: "organisations",
  entities: [County, Municipality, Organisation, OrganisationMunicipality, OrganisationCategoryAssignment, OrganisationCategory, Person, Document, DocumentSubject, ContactPoint, RecordSource, OrganisationRegisterRecord, OrganisationEndingReview, RegisterSyncReport, OrganisationSuccessor, DataSubjectRequest],
  // The groups subgraph's type this subgraph adds `documents` to; no field returns it here.
  orphanedTypes: [CooperationGroupRef],
  migrations,
  resolvers: [CountyResolver, MunicipalityResolver, OrganisationResolver, CategoryResolver, PersonResolver, DocumentResolver, CountyDocumentsResolver, GroupDocumentsResolver, ContactPointResolver, OrganisationHistoryResolver, CountyNameResolver, MunicipalityNameResolver, OrganisationRegisterResolver, OrganisationRegisterRecordResolver, OrganisationEndingReviewResolver, OrganisationSyncReportsResolver, OrganisationLifecycleResolver, OrganisationSuccessorResolver, ...auditResolvers, WebhookResolver, ConfirmOrganisationRecordResolver, DocumentWriteResolver, ContactPointWriteResolver, DataSubjectResolver, ContactPointRegisterResolver],
  references: {
    ...countyReference,
    ...municipalityReference,
    ...organisationReference,
    ...categoryReference,
    ...personReference,
    ...dataSubjectReference,
  },
  seed,
  prepare,
  createLoaders,
  // Webhook delivery from the change feed: its store is in this subgraph's database (docs/WEBHOOKS.md).
  // And the retention job (RETENTION_JOB, docs/PERSONAL-DATA.md).
  // And the delivery of anonymised people's values to the other subgraphs to scrub (docs/PERSONAL-DATA.md "Erasure").
  background: async (context) => {
    const webhooks = await startWebhookWorker(context);
    const scrubs = await startScrubWorker(context, readConfig());
    const retention = startRetentionJob(context, readConfig().retention);
    return {
      async stop() {
        await retention.stop();
        await scrubs.stop();
        await webhooks.stop();
      },
    };
  },
  // Bulk import of organisations and people (docs/IMPORT.md), called by the gateway.
  internalRoutes: organisationImportRoutes,
};
