import { randomUUID } from "node:crypto";
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanHandleDataSubject, assertDataSubjectRole, BadUserInputError, JSONObjectScalar, NotFoundError, readConfig, subgraphUrl } from "@yhdyspinta/core";
import type { Context } from "../context.ts";
import { countyOfOrganisation } from "../person/person.rules.ts";
import { DataSubject, DataSubjectRequest, DataSubjectRequestKind, DataSubjectRequestOutcome } from "./data-subject.entity.ts";
import { groupRoles, type GroupsConnection } from "./groups-roles.ts";
import { identifyingValues, lockPerson, rowsAboutPerson } from "./personal-data.queries.ts";
import { anonymisePerson } from "./personal-data.rules.ts";
import { helsinkiDay } from "./retention.ts";
import { deliverScrubsOf, scrubTargets } from "./scrub.delivery.ts";
import { ormScrubStore } from "./scrub.queries.ts";

/** Where the groups subgraph is, from the process's configuration. */
function groupsConnection(): GroupsConnection {
  const config = readConfig();
  return { url: subgraphUrl(config, "groups"), internalSecret: config.internalAuthSecret };
}

/** Records an answered request in the register (audited like every write). */
async function recordRequest(tx: EntityManager, request: Omit<DataSubjectRequest, "id" | "answeredAt">): Promise<DataSubjectRequest> {
  const row = tx.create(DataSubjectRequest, { id: `dsr-${randomUUID()}`, answeredAt: new Date(), ...request });
  await tx.flush();
  return row;
}

@Resolver(() => DataSubject)
export class DataSubjectResolver {
  @Query(() => DataSubject, {
    description:
      "Everything held about a person in every subgraph (GDPR art. 15 access): ask `organisations`, `groups` and `planning`. For an admin or the data protection officer (role data_protection) of the person's county; each request is recorded in the register of data-subject requests and the audit trail. The gateway's GET /personal-data/<id>.html shows the same as a page.",
  })
  async dataSubject(@Arg("personId", () => ID, { description: "Id of the person." }) personId: string, @Ctx() { em, viewer }: Context): Promise<DataSubject> {
    return await em.transactional(async (tx) => {
      const person = await lockPerson(tx as EntityManager, personId);
      if (!person) throw new NotFoundError("Person", personId);
      const countyCode = await countyOfOrganisation(tx as EntityManager, person.organisationId, "personId");
      assertCanHandleDataSubject(viewer, countyCode);
      await recordRequest(tx as EntityManager, { personId, kind: DataSubjectRequestKind.ACCESS, outcome: DataSubjectRequestOutcome.PROVIDED, reason: null, countyCode });
      return Object.assign(new DataSubject(), { personId, countyCode });
    });
  }

  @FieldResolver(() => JSONObjectScalar, {
    description: "Every row of the organisations subgraph about the person (their record, the changes recorded of it, data-subject requests, webhook messages kept for replay), by table.",
  })
  async organisations(@Root() subject: DataSubject, @Ctx() { em, viewer }: Context): Promise<Record<string, unknown>> {
    assertDataSubjectRole(viewer);
    return await rowsAboutPerson(em, subject.personId, await identifyingValues(em, subject.personId));
  }

  @Mutation(() => DataSubjectRequest, {
    description:
      "Erases a person's personal data on request (GDPR art. 17): their name, title, e-mail and phone are anonymised in the record, in every recorded change and in webhook messages kept for replay; their roles in groups stay without them, and the change feed gets a DELETE tombstone of the person. Refused (outcome REFUSED with the reason) while the person holds a seat by appointment, whose public appointment decision is the legal basis to keep the record. For an admin or the data protection officer of the person's county.",
  })
  async erasePersonalData(
    @Arg("personId", () => ID, { description: "Id of the person." }) personId: string,
    @Arg("reason", () => String, { description: "The request as recorded, e.g. its registry number (1–500 characters)." }) reason: string,
    @Ctx() { em, viewer }: Context,
  ): Promise<DataSubjectRequest> {
    if (!reason.trim() || reason.length > 500) throw new BadUserInputError("reason", "must be 1–500 characters, not blank");
    // The county is checked before asking groups: another county's caller learns nothing of the person's roles.
    const county = await em.transactional(async (tx) => {
      const person = await lockPerson(tx as EntityManager, personId);
      if (!person) throw new NotFoundError("Person", personId);
      const countyCode = await countyOfOrganisation(tx as EntityManager, person.organisationId, "personId");
      assertCanHandleDataSubject(viewer, countyCode);
      return countyCode;
    });
    const now = new Date();
    const roles = (await groupRoles(groupsConnection(), [personId], helsinkiDay(now))).get(personId)!;
    let erasureId: string | null = null;
    const answer = await em.transactional(async (tx) => {
      const person = await lockPerson(tx as EntityManager, personId);
      if (!person) throw new NotFoundError("Person", personId);
      const countyCode = await countyOfOrganisation(tx as EntityManager, person.organisationId, "personId");
      assertCanHandleDataSubject(viewer, countyCode);
      const base = { personId, kind: DataSubjectRequestKind.ERASURE, countyCode: countyCode ?? county };
      if (person.anonymisedAt) return await recordRequest(tx as EntityManager, { ...base, outcome: DataSubjectRequestOutcome.ALREADY_ERASED, reason: reason.trim() });
      if (roles.appointedSeat) {
        return await recordRequest(tx as EntityManager, {
          ...base,
          outcome: DataSubjectRequestOutcome.REFUSED,
          reason: `The person holds a seat by appointment (${roles.appointedSeat}): the public body's appointment decision is the legal basis to keep the record while the seat lasts (GDPR art. 17(3)(b) and (e)); ask again once it has ended.`,
        });
      }
      erasureId = await anonymisePerson(tx as EntityManager, person, `erasure on request: ${reason.trim()}`, now);
      return await recordRequest(tx as EntityManager, { ...base, outcome: DataSubjectRequestOutcome.ERASED, reason: reason.trim() });
    });
    // Committed: the values go to the other subgraphs now; one that cannot take them gets them from the worker later.
    if (erasureId) await deliverScrubsOf(ormScrubStore(em), erasureId, scrubTargets(readConfig()));
    return answer;
  }
}

/** Federation: `DataSubject @key(personId)` (read again with the caller's checks when another subgraph refers to it). */
export const dataSubjectReference = {
  DataSubject: {
    __resolveReference: (reference: { personId: string }, context: Context) => {
      assertDataSubjectRole(context.viewer);
      return Object.assign(new DataSubject(), { personId: reference.personId, countyCode: null });
    },
  },
};
