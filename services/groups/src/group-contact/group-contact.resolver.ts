import { BadUserInputError, Scope } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { checkReferences } from "../county-scope.rules.ts";
import { GroupContact } from "../group/group.entity.ts";
import { checkGroupNotEnded, lockGroupFor } from "../group/group.rules.ts";
import { RemoveGroupContactInput, SetGroupContactInput } from "./group-contact.input.ts";

/**
 * A group's named contacts (lisätiedot): people who answer for the group
 * without sitting in it. Each mutation needs `data:write` and a role for the
 * group's county, runs with the group row locked and is audited.
 */
@Resolver()
export class GroupContactWriteResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => GroupContact, {
    description:
      "Names a person as a group's contact, or changes the contact's organisation, title or place. Refused for a group that has ended. Needs `data:write` and a role for the group's county.",
  })
  async setGroupContact(
    @Arg("input", () => SetGroupContactInput, { description: "The contact." }) input: SetGroupContactInput,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<GroupContact> {
    await checkReferences({ references, viewer }, [
      { field: "input.personId", type: "Person", keys: [input.personId] },
      ...(input.organisationId ? [{ field: "input.organisationId", type: "Organisation" as const, keys: [input.organisationId] }] : []),
    ]);
    return await em.transactional(async (tx) => {
      const group = await lockGroupFor(tx, viewer, input.groupId, "input.groupId");
      checkGroupNotEnded(group, "input.groupId");
      let contact = await tx.findOne(GroupContact, { groupId: group.id, personId: input.personId });
      if (!contact) {
        const last = await tx.findOne(GroupContact, { groupId: group.id }, { orderBy: { ordinal: "desc" } });
        contact = tx.create(GroupContact, { groupId: group.id, personId: input.personId, ordinal: last ? last.ordinal + 1 : 0 });
      }
      if (input.organisationId !== undefined) contact.organisationId = input.organisationId;
      if (input.title !== undefined) contact.title = input.title;
      if (input.ordinal != null) contact.ordinal = input.ordinal;
      await tx.flush();
      return contact;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, { description: "Removes a person from a group's contacts; returns the person's id. Needs `data:write` and a role for the group's county." })
  async removeGroupContact(
    @Arg("input", () => RemoveGroupContactInput, { description: "Which contact." }) input: RemoveGroupContactInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const group = await lockGroupFor(tx, viewer, input.groupId, "input.groupId");
      const contact = await tx.findOne(GroupContact, { groupId: group.id, personId: input.personId });
      if (!contact) throw new BadUserInputError("input.personId", `person "${input.personId}" is not a contact of group ${group.id}`);
      tx.remove(contact);
      return input.personId;
    });
  }
}
