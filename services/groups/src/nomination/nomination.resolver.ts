import { DateScalar, DAY_ARGUMENT_DEPRECATION, dayArgument, findRows, indexOnce, helsinkiToday } from "@yhdyspinta/core";
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import {
  categoryRef,
  CountyRef,
  countyRef,
  MunicipalityRef,
  municipalityRef,
  OrganisationCategoryRef,
  OrganisationRef,
  organisationRef,
  PersonRef,
  personRef,
} from "../federation/references.ts";
import { CooperationGroup } from "../group/group.entity.ts";
import { Nomination, NominationRound, NominationStatus, Nominator } from "./nomination.entity.ts";
import { nominationsOf } from "./nomination.loaders.ts";
import { isOpenOn } from "./nomination.rules.ts";

const idOf = (n: Nominator): string => n.id;

@Resolver(() => NominationRound)
export class NominationRoundResolver {
  @Query(() => [NominationRound], { description: "Nomination rounds, latest deadline first." })
  async nominationRounds(
    @Arg("countyCode", () => ID, { nullable: true, description: "Only this county's rounds." }) countyCode: string | null,
    @Arg("open", () => Boolean, { nullable: true, description: "True: only rounds open on `activeOn`; false: only closed or not yet open ones." })
    open: boolean | null,
    @Arg("asOf", () => DateScalar, { nullable: true, description: "Day `open` refers to; default today in Helsinki.", deprecationReason: DAY_ARGUMENT_DEPRECATION })
    asOf: string | null,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Day `open` refers to; default today in Helsinki." })
    activeOn: string | null,
    @Arg("closedSince", () => DateScalar, {
      nullable: true,
      description: "Only rounds whose deadline is on or after this day: open and recently closed rounds.",
    })
    closedSince: string | null,
    @Ctx() { em, loaders }: Context,
  ): Promise<NominationRound[]> {
    const rounds = await findRows(
      em,
      NominationRound,
      { ...(countyCode ? { countyCode } : {}), ...(closedSince ? { closesOn: { $gte: closedSince } } : {}) },
      { closesOn: "desc", id: "asc" },
    );
    // Their nominators' fields read the round by id (`answeredByDeadline`): no second statement for them.
    for (const round of rounds) loaders.roundById.prime(round.id, round);
    if (open === null || open === undefined) return rounds;
    const day = dayArgument(activeOn, asOf, "asOf") ?? helsinkiToday();
    return rounds.filter((r) => isOpenOn(r, day) === open);
  }

  @Query(() => NominationRound, { nullable: true, description: "A nomination round by id; null if there is none." })
  async nominationRound(
    @Arg("id", () => ID, { description: "The round's id." }) id: string,
    @Ctx() { loaders }: Context,
  ): Promise<NominationRound | null> {
    return await loaders.roundById.load(id);
  }

  @FieldResolver(() => CountyRef, { description: "The county that runs the round." })
  county(@Root() round: NominationRound): CountyRef {
    return countyRef(round.countyCode);
  }

  @FieldResolver(() => Boolean, {
    description: "Whether nominations are accepted on a day (default today in Helsinki): the day is in the window, and the round was not closed early on or before it.",
  })
  isOpen(
    @Root() round: NominationRound,
    @Arg("on", () => DateScalar, { nullable: true, description: "Day to answer for; default today.", deprecationReason: DAY_ARGUMENT_DEPRECATION }) on: string | null,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Day to answer for (YYYY-MM-DD); default today in Helsinki." }) activeOn: string | null,
  ): boolean {
    return isOpenOn(round, dayArgument(activeOn, on, "on") ?? helsinkiToday());
  }

  @FieldResolver(() => [CooperationGroup], { description: "Groups the round fills, by name." })
  async groups(@Root() round: NominationRound, @Ctx() { loaders }: Context): Promise<CooperationGroup[]> {
    return await loaders.groupsByIds(await loaders.groupIdsByRound.load(round.id));
  }

  @FieldResolver(() => [Nominator], { description: "Everyone the round asks, in the source's order." })
  async nominators(@Root() round: NominationRound, @Ctx() { loaders }: Context): Promise<Nominator[]> {
    return await loaders.nominatorsByRound.load(round.id);
  }

  @FieldResolver(() => [Nominator], {
    description: "Nominators that have not answered: no nomination, or only withdrawn ones. Dashboards chase these.",
  })
  async pendingNominators(@Root() round: NominationRound, @Ctx() { loaders }: Context): Promise<Nominator[]> {
    const [nominators, nominations] = await Promise.all([
      loaders.nominatorsByRound.load(round.id),
      loaders.nominationsByRound.load(round.id),
    ]);
    const answered = new Set(nominations.filter((n) => n.status !== NominationStatus.WITHDRAWN).map((n) => n.nominatorId));
    return nominators.filter((n) => !answered.has(n.id));
  }

  @FieldResolver(() => [Nomination], { description: "Nominations received, in order of receipt." })
  async nominations(@Root() round: NominationRound, @Ctx() { loaders }: Context): Promise<Nomination[]> {
    return await loaders.nominationsByRound.load(round.id);
  }

  @FieldResolver(() => PersonRef, { nullable: true, description: "Whom to ask for more information (lisätiedot)." })
  contactPerson(@Root() round: NominationRound): PersonRef | null {
    return round.contactPersonId ? personRef(round.contactPersonId) : null;
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: "The organisation that runs the round." })
  contactOrganisation(@Root() round: NominationRound): OrganisationRef | null {
    return round.contactOrganisationId ? organisationRef(round.contactOrganisationId) : null;
  }
}

@Resolver(() => Nominator)
export class NominatorResolver {
  @FieldResolver(() => MunicipalityRef, { nullable: true, description: "The municipality asked, for kind MUNICIPALITY." })
  municipality(@Root() n: Nominator): MunicipalityRef | null {
    return n.municipalityCode ? municipalityRef(n.municipalityCode) : null;
  }

  @FieldResolver(() => OrganisationCategoryRef, { nullable: true, description: "The association category, for kind ORGANISATION_CATEGORY." })
  category(@Root() n: Nominator): OrganisationCategoryRef | null {
    return n.categoryId ? categoryRef(n.categoryId) : null;
  }

  @FieldResolver(() => CooperationGroup, { nullable: true, description: "The group this nominator's nominees go to." })
  async group(@Root() n: Nominator, @Ctx() { loaders }: Context): Promise<CooperationGroup | null> {
    return n.groupId ? await loaders.groupById.load(n.groupId) : null;
  }

  @FieldResolver(() => [Nomination], { description: "This nominator's nominations in the round." })
  async nominations(@Root() n: Nominator, @Ctx() { loaders }: Context): Promise<Nomination[]> {
    return nominationsOf(await loaders.nominationsByRound.load(n.roundId), n.id);
  }
}

@Resolver(() => Nomination)
export class NominationResolver {
  @FieldResolver(() => NominationRound, { description: "The round." })
  async round(@Root() n: Nomination, @Ctx() { loaders }: Context): Promise<NominationRound> {
    return (await loaders.roundById.load(n.roundId))!;
  }

  @FieldResolver(() => Nominator, { description: "Who nominated." })
  async nominator(@Root() n: Nomination, @Ctx() { loaders }: Context): Promise<Nominator> {
    return indexOnce(await loaders.nominatorsByRound.load(n.roundId), idOf).get(n.nominatorId)![0]!;
  }

  @FieldResolver(() => PersonRef, { nullable: true, description: "The nominee; null (with an error for this item) when the person no longer exists." })
  person(@Root() n: Nomination): PersonRef {
    return personRef(n.personId);
  }

  @FieldResolver(() => OrganisationRef, { nullable: true, description: "The organisation the nominee would represent." })
  organisation(@Root() n: Nomination): OrganisationRef | null {
    return n.organisationId ? organisationRef(n.organisationId) : null;
  }

  @FieldResolver(() => CooperationGroup, { nullable: true, description: "The group the nominee is put forward for." })
  async group(@Root() n: Nomination, @Ctx() { loaders }: Context): Promise<CooperationGroup | null> {
    return n.groupId ? await loaders.groupById.load(n.groupId) : null;
  }
}
