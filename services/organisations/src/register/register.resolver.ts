import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { findRows, RegisterProvenance, registerProvenance, syncReportsResolver } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { ContactPoint } from "../contact/contact-point.entity.ts";
import { Organisation } from "../organisation/organisation.entity.ts";
import { OrganisationEndingReview, OrganisationRegisterRecord } from "./register-record.entity.ts";
import { organisationsEndedInRegister } from "./register.queries.ts";

@Resolver(() => Organisation)
export class OrganisationRegisterResolver {
  @FieldResolver(() => OrganisationRegisterRecord, { nullable: true, description: "What PRH/YTJ open data says of the business ID, as last synced; null if not synced (no business ID, or not a company)." })
  async registerRecord(@Root() organisation: Organisation, @Ctx() { loaders }: Context): Promise<OrganisationRegisterRecord | null> {
    return await loaders.registerRecordByOrganisation.load(organisation.id);
  }
}

@Resolver(() => OrganisationRegisterRecord)
export class OrganisationRegisterRecordResolver {
  @FieldResolver(() => RegisterProvenance, { description: "Register, source URL, fetch time and licence attribution." })
  registerProvenance(@Root() record: OrganisationRegisterRecord): RegisterProvenance {
    return registerProvenance(record)!;
  }
}

@Resolver(() => OrganisationEndingReview)
export class OrganisationEndingReviewResolver {
  @FieldResolver(() => Organisation, { nullable: true, description: "The organisation." })
  async organisation(@Root() review: OrganisationEndingReview, @Ctx() { loaders }: Context): Promise<Organisation | null> {
    return await loaders.organisationById.load(review.organisationId);
  }

  @Query(() => [OrganisationEndingReview], {
    description:
      "The coordinator's list: organisations whose business ID PRH/YTJ reports ended and that have no end date of their own yet, oldest report first. A coordinator winds one up (end date, successor) with the organisation mutations; the sync never does.",
  })
  async organisationsEndedInRegister(
    @Arg("countyCode", () => ID, { nullable: true, description: "Only organisations of this county (2-digit code)." }) countyCode: string | null,
    @Ctx() { em }: Context,
  ): Promise<OrganisationEndingReview[]> {
    const open = await organisationsEndedInRegister(em, countyCode);
    if (open.length === 0) return [];
    const rows = await findRows(em, OrganisationEndingReview, { organisationId: { $in: open } });
    return open.map((id) => rows.find((r) => r.organisationId === id)!);
  }
}

/** `organisationSyncReports(register, limit)`: this subgraph's sync reports. */
export const OrganisationSyncReportsResolver = syncReportsResolver("organisationSyncReports", ["ytj", "statfi", "ptv"]);

@Resolver(() => ContactPoint)
export class ContactPointRegisterResolver {
  @FieldResolver(() => RegisterProvenance, { nullable: true, description: "Where a contact point synced from PTV comes from: register, source URL, fetch time and licence attribution; null when typed by hand." })
  registerProvenance(@Root() contact: ContactPoint): RegisterProvenance | null {
    return registerProvenance(contact);
  }
}
