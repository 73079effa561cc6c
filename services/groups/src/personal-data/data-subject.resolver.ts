import { Arg, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { assertDataSubjectRole, DateScalar, JSONObjectScalar, rowsAbout, scrubbableValues } from "@yhdyspinta/core";
import DataLoader from "dataloader";
import type { Context } from "../context.ts";
import { DataSubject, DataSubjectRoles } from "./data-subject.entity.ts";
import { personRoles, type PersonRoles } from "./personal-data.queries.ts";

/** Today in Helsinki (YYYY-MM-DD). */
function today(): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Helsinki" }).format(new Date());
}

@Resolver(() => DataSubject)
export class DataSubjectResolver {
  @FieldResolver(() => JSONObjectScalar, {
    description: "Every row of the groups subgraph about the person (memberships, nominations, group contacts, attendance, rounds they are the contact of, and their changes), by table.",
  })
  async groups(@Root() subject: DataSubject, @Ctx() { em, viewer, references }: Context): Promise<Record<string, unknown>> {
    assertDataSubjectRole(viewer);
    // Their name, e-mail or phone typed into free text (a meeting's decisions, a note) is theirs too.
    return await rowsAbout(em, subject.personId, scrubbableValues((await references.personValues?.(subject.personId)) ?? []));
  }

  @FieldResolver(() => DataSubjectRoles, { description: "The person's roles in groups on a day (what the retention job and an erasure decide by)." })
  async roles(
    @Root() subject: DataSubject,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "The day (default today in Helsinki)." }) activeOn: string | null,
    @Ctx() context: Context,
  ): Promise<PersonRoles> {
    assertDataSubjectRole(context.viewer);
    const day = activeOn ?? today();
    const loader = context.cache.getOrCreate(`personRoles:${day}`, () => new DataLoader<string, PersonRoles>(async (ids) => await personRoles(context.em, ids, day)));
    return await loader.load(subject.personId);
  }
}

/** Federation: `DataSubject @key(personId)`, resolved from the key alone. */
export const dataSubjectReference = {
  DataSubject: {
    __resolveReference: (reference: { personId: string }) => Object.assign(new DataSubject(), { personId: reference.personId }),
  },
};
