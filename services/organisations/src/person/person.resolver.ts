import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  assertCanWriteCounty,
  BadUserInputError,
  connectionTypes,
  NotFoundError,
  decodeCursor,
  pageSize,
  Scope,
  toConnection,
  type Connection,
} from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { countyOfOrganisation } from "./person.rules.ts";
import { Organisation } from "../organisation/organisation.entity.ts";
import { normaliseSearch } from "../search.ts";
import { resolveOrganisationId } from "../organisation/organisation-keys.ts";
import { Person } from "./person.entity.ts";
import { CreatePersonInput, UpdatePersonInput } from "./person.input.ts";
import { peoplePage } from "./person.queries.ts";

export const { ConnectionType: PersonConnection } = connectionTypes(Person, "Person", "person");

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => PersonConnection, {
    description: "People in official roles, a page at a time, ordered by name (ignoring case and diacritics) and id.",
  })
  async people(
    @Arg("search", () => String, { nullable: true, description: "Name contains this text, ignoring case and diacritics." })
    search: string | null,
    @Arg("organisationId", () => ID, { nullable: true, description: "Works for the organisation with this id." })
    organisationId: string | null,
    @Arg("first", () => Int, { nullable: true, description: "Page size, 1–500 (default 50)." }) first: number | null,
    @Arg("after", () => String, { nullable: true, description: "Cursor of the item after which the page starts (`pageInfo.endCursor`)." })
    after: string | null,
    @Ctx() { em }: Context,
  ): Promise<Connection<Person>> {
    if (search && search.length > 200) throw new BadUserInputError("search", "must be at most 200 characters");
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2);
    const { people, total } = await peoplePage(em, { search, organisationId, cursor, limit: limit + 1 });
    return toConnection(people, limit, total, (p) => [p.nameNormalised, p.id], cursor !== null);
  }

  @Query(() => Person, { nullable: true, description: "A person by id; null if there is none." })
  async person(@Arg("id", () => ID, { description: "Person id." }) id: string, @Ctx() { loaders }: Context): Promise<Person | null> {
    return await loaders.personById.load(id);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "The organisation the person works for in this role." })
  async organisation(@Root() person: Person, @Ctx() { loaders }: Context): Promise<Organisation | null> {
    return person.organisationId ? await loaders.organisationById.load(person.organisationId) : null;
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Person, {
    description: "Records a person in an official role. Needs scope `data:write`; reading back e-mail and phone needs `contacts:read`.",
  })
  async createPerson(
    @Arg("input", () => CreatePersonInput, { description: "The person." }) input: CreatePersonInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Person> {
    return await em.transactional(async (tx) => {
      if (input.organisationId) input.organisationId = resolveOrganisationId(input.organisationId);
      assertCanWriteCounty(viewer, await countyOfOrganisation(tx, input.organisationId ?? null, "input.organisationId"));
      const name = input.name.trim();
      const person = tx.create(Person, {
        id: `person-${randomUUID()}`,
        name,
        nameNormalised: normaliseSearch(name),
        title: input.title ?? null,
        organisationId: input.organisationId ?? null,
        email: input.email ?? null,
        phone: input.phone ?? null,
      });
      try {
        await tx.flush();
      } catch (error) {
        // Driver errors can quote the statement with its values; the caller's
        // e-mail and phone must not reach the error log, so only the class is kept.
        throw new Error(`could not save the person (${error instanceof Error ? error.name : "unknown error"})`);
      }
      return person;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Person, {
    description: "Changes a person's record. Needs scope `data:write`; reading back e-mail and phone needs `contacts:read`.",
  })
  async updatePerson(
    @Arg("id", () => ID, { description: "Id of the person to change." }) id: string,
    @Arg("input", () => UpdatePersonInput, { description: "The changes." }) input: UpdatePersonInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Person> {
    if (input.name === null) throw new BadUserInputError("input.name", "must not be null");
    return await em.transactional(async (tx) => {
      const person = await tx.findOne(Person, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!person) throw new NotFoundError("Person", id);
      assertCanWriteCounty(viewer, await countyOfOrganisation(tx, person.organisationId, "organisationId"));
      if (input.organisationId) input.organisationId = resolveOrganisationId(input.organisationId);
      if (input.organisationId !== undefined) {
        assertCanWriteCounty(viewer, await countyOfOrganisation(tx, input.organisationId ?? null, "input.organisationId"));
      }
      if (input.name) {
        person.name = input.name.trim();
        person.nameNormalised = normaliseSearch(person.name);
      }
      if (input.title !== undefined) person.title = input.title;
      if (input.organisationId !== undefined) person.organisationId = input.organisationId;
      if (input.email !== undefined) person.email = input.email;
      if (input.phone !== undefined) person.phone = input.phone;
      try {
        await tx.flush();
      } catch (error) {
        // As in createPerson: keep the values out of the error log.
        throw new Error(`could not save the person (${error instanceof Error ? error.name : "unknown error"})`);
      }
      return person;
    });
  }
}

/** Federation: `Person @key(id)`. */
export const personReference = {
  Person: {
    // A key that no longer resolves is an error for that item only (the referring field is nullable).
    __resolveReference: async (reference: { id: string }, context: Context) => {
      const found = await context.loaders.personById.load(reference.id);
      if (!found) throw new NotFoundError("Person", reference.id);
      return found;
    },
  },
};
