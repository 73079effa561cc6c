import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { BadUserInputError, RecordSource, Scope, writeProvenance } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { lockOrganisationToWrite } from "../organisation/organisation.rules.ts";
import { ContactPoint } from "./contact-point.entity.ts";
import { CreateContactPointInput, EndContactPointInput, UpdateContactPointInput } from "./contact-point.input.ts";
import { checkContactPoint, lockContactPoint } from "./contact-point.rules.ts";

/** Writes of organisations' public contact points (addresses, registry e-mail, web address). */
@Resolver(() => ContactPoint)
export class ContactPointWriteResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => ContactPoint, {
    description:
      "Adds a public contact point to an organisation, e.g. \"Joupin neuvola, Hallituskatu 20\". Needs scope `data:write` and a role for the organisation's county (an organisation of no county: admin).",
  })
  async createContactPoint(
    @Arg("input", () => CreateContactPointInput, { description: "The contact point." }) input: CreateContactPointInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<ContactPoint> {
    return await em.transactional(async (tx) => {
      const organisation = await lockOrganisationToWrite(tx as EntityManager, input.organisationId, "input.organisationId", viewer);
      await checkContactPoint(tx as EntityManager, organisation.id, input, null);
      const contact = tx.create(ContactPoint, {
        id: `contact-${randomUUID()}`,
        organisationId: organisation.id,
        label: input.label.trim(),
        visitingAddress: input.visitingAddress ?? null,
        postalAddress: input.postalAddress ?? null,
        registryEmail: input.registryEmail ?? null,
        website: input.website ?? null,
        validFrom: input.validFrom ?? null,
        validTo: input.validTo ?? null,
      });
      await tx.flush();
      await writeProvenance(tx as EntityManager, "ContactPoint", contact.id, input.provenance);
      return contact;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ContactPoint, {
    description: "Corrects a contact point. Needs scope `data:write` and a role for its organisation's county.",
  })
  async updateContactPoint(
    @Arg("id", () => ID, { description: "Id of the contact point." }) id: string,
    @Arg("input", () => UpdateContactPointInput, { description: "The changes." }) input: UpdateContactPointInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<ContactPoint> {
    if (input.label === null) throw new BadUserInputError("input.label", "must not be null");
    return await em.transactional(async (tx) => {
      const { contact } = await lockContactPoint(tx as EntityManager, id, "id", viewer);
      await checkContactPoint(tx as EntityManager, contact.organisationId, input, contact);
      if (input.label) contact.label = input.label.trim();
      if (input.visitingAddress !== undefined) contact.visitingAddress = input.visitingAddress;
      if (input.postalAddress !== undefined) contact.postalAddress = input.postalAddress;
      if (input.registryEmail !== undefined) contact.registryEmail = input.registryEmail;
      if (input.website !== undefined) contact.website = input.website;
      if (input.validFrom !== undefined) contact.validFrom = input.validFrom;
      if (input.validTo !== undefined) contact.validTo = input.validTo;
      await tx.flush();
      await writeProvenance(tx as EntityManager, "ContactPoint", contact.id, input.provenance);
      return contact;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ContactPoint, {
    description:
      "Ends a contact point on its last valid day (it stays in the history, `contactPoints(all: true)`). Needs scope `data:write` and a role for its organisation's county. One already ended: BAD_USER_INPUT.",
  })
  async endContactPoint(
    @Arg("input", () => EndContactPointInput, { description: "The contact point and its last day." }) input: EndContactPointInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<ContactPoint> {
    return await em.transactional(async (tx) => {
      const { contact } = await lockContactPoint(tx as EntityManager, input.contactPointId, "input.contactPointId", viewer);
      if (contact.validTo !== null) throw new BadUserInputError("input.contactPointId", `the contact point already ends on ${contact.validTo}`);
      if (contact.validFrom !== null && input.endsOn < contact.validFrom) {
        throw new BadUserInputError("input.endsOn", `must not be before the contact point became valid (${contact.validFrom})`);
      }
      contact.validTo = input.endsOn;
      await tx.flush();
      return contact;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, {
    description:
      "Removes a contact point entered by mistake, with its provenance; returns its id (nothing else refers to a contact point). To record that one is no longer valid, use `endContactPoint`. Needs scope `data:write` and a role for its organisation's county.",
  })
  async removeContactPoint(
    @Arg("contactPointId", () => ID, { description: "Id of the contact point." }) contactPointId: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const { contact } = await lockContactPoint(tx as EntityManager, contactPointId, "contactPointId", viewer);
      const source = await tx.findOne(RecordSource, { recordType: "ContactPoint", recordId: contact.id });
      if (source) tx.remove(source);
      tx.remove(contact);
      await tx.flush();
      return contact.id;
    });
  }
}
