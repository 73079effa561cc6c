import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { assertDataSubjectRole, JSONObjectScalar, rowsAbout } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { DataSubject } from "./data-subject.entity.ts";

@Resolver(() => DataSubject)
export class DataSubjectResolver {
  @FieldResolver(() => JSONObjectScalar, {
    description: "Every row of the planning subgraph that refers to the person (by id, in any column or recorded change), by table.",
  })
  async planning(@Root() subject: DataSubject, @Ctx() { em, viewer }: Context): Promise<Record<string, unknown>> {
    assertDataSubjectRole(viewer);
    return await rowsAbout(em, subject.personId);
  }
}

/** Federation: `DataSubject @key(personId)`, resolved from the key alone. */
export const dataSubjectReference = {
  DataSubject: {
    __resolveReference: (reference: { personId: string }) => Object.assign(new DataSubject(), { personId: reference.personId }),
  },
};
