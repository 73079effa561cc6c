import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { assertDataSubjectRole, JSONObjectScalar, rowsAbout, scrubbableValues } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { DataSubject } from "./data-subject.entity.ts";

@Resolver(() => DataSubject)
export class DataSubjectResolver {
  @FieldResolver(() => JSONObjectScalar, {
    description: "Every row of the planning subgraph that refers to the person (by id, in any column or recorded change), by table.",
  })
  async planning(@Root() subject: DataSubject, @Ctx() { em, viewer, references }: Context): Promise<Record<string, unknown>> {
    assertDataSubjectRole(viewer);
    // Their name, e-mail or phone typed into free text (a plan's description, a note) is theirs too.
    return await rowsAbout(em, subject.personId, scrubbableValues((await references.personValues?.(subject.personId)) ?? []));
  }
}

/** Federation: `DataSubject @key(personId)`, resolved from the key alone. */
export const dataSubjectReference = {
  DataSubject: {
    __resolveReference: (reference: { personId: string }) => Object.assign(new DataSubject(), { personId: reference.personId }),
  },
};
