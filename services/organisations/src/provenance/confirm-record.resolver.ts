import { confirmSourcedRecord, type CountyOfRecord, DateScalar, RecordSource, Scope } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { ContactPoint } from "../contact/contact-point.entity.ts";
import type { Context } from "../context.ts";
import { Document } from "../document/document.entity.ts";
import { Organisation } from "../organisation/organisation.entity.ts";

/**
 * The record types of this subgraph that carry provenance (`provenance`
 * fields), by GraphQL type name, each with how to read a record's county in
 * the writing transaction: undefined when there is no such record, null for
 * a record of no county (a national organisation: admins only).
 */
const SOURCED_TYPES: Record<string, CountyOfRecord> = {
  Organisation: async (tx, id) => (await tx.findOne(Organisation, { id }))?.countyCode,
  Document: async (tx, id) => (await tx.findOne(Document, { id }))?.countyCode,
  ContactPoint: async (tx, id) => {
    const contact = await tx.findOne(ContactPoint, { id });
    return contact ? ((await tx.findOne(Organisation, { id: contact.organisationId }))?.countyCode ?? null) : undefined;
  },
};

@Resolver()
export class ConfirmOrganisationRecordResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => RecordSource, {
    description:
      "Re-confirms an organisations-subgraph record's provenance as still current on a day (default today), changing nothing else; a record without provenance gets one with only the date. Needs `data:write` and a role for the record's county (an admin's for a record of no county).",
  })
  async confirmOrganisationRecord(
    @Arg("recordType", () => String, { description: "GraphQL type of the record: Organisation, Document or ContactPoint." }) recordType: string,
    @Arg("id", () => ID, { description: "Id of the record." }) id: string,
    @Arg("on", () => DateScalar, { nullable: true, description: "Day the record was checked against its source; today (Helsinki) when left out, never in the future." }) on: string | null,
    @Ctx() { em, viewer }: Context,
  ): Promise<RecordSource> {
    return await em.transactional(async (tx) => await confirmSourcedRecord(tx, viewer, SOURCED_TYPES, recordType, id, on));
  }
}
