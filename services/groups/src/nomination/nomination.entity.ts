import { Check, Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { DateScalar, DateTimeScalar } from "@yhdyspinta/core";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum NominationRoundKind {
  NOMINATION_REQUEST = "nomination_request",
  OPEN_CALL = "open_call",
}

registerEnumType(NominationRoundKind, {
  name: "NominationRoundKind",
  description: "How nominees are sought.",
  valuesConfig: {
    NOMINATION_REQUEST: { description: "Nimeämispyyntö: named nominators (e.g. municipalities) are asked to name people." },
    OPEN_CALL: { description: "Haku: an open application window, e.g. per association category." },
  },
});

export enum NominatorKind {
  MUNICIPALITY = "municipality",
  ORGANISATION_CATEGORY = "organisation_category",
}

registerEnumType(NominatorKind, {
  name: "NominatorKind",
  description: "Who is asked to nominate.",
  valuesConfig: {
    MUNICIPALITY: { description: "A municipality (kunta)." },
    ORGANISATION_CATEGORY: { description: "An association category: its associations apply or nominate." },
  },
});

export enum NominationStatus {
  SUBMITTED = "submitted",
  ACCEPTED = "accepted",
  REJECTED = "rejected",
  WITHDRAWN = "withdrawn",
}

registerEnumType(NominationStatus, {
  name: "NominationStatus",
  description: "Where a nomination stands.",
  valuesConfig: {
    SUBMITTED: { description: "Received, not yet decided." },
    ACCEPTED: { description: "The nominee was appointed." },
    REJECTED: { description: "The nominee was not appointed." },
    WITHDRAWN: { description: "The nominator withdrew it; the nominator counts as not having answered." },
  },
});

@Entity({ tableName: "nomination_round" })
@Check({ name: "nomination_round_window_in_order", expression: '"opens_on" is null or "closes_on" >= "opens_on"' })
@Check({ name: "nomination_round_limits_in_order", expression: '"min_per_nominator" is null or "max_per_nominator" is null or "min_per_nominator" <= "max_per_nominator"' })
@Check({ name: "nomination_round_limits_not_negative", expression: '(min_per_nominator is null or min_per_nominator >= 0) and (max_per_nominator is null or max_per_nominator >= 1)' })
@ObjectType("NominationRound", {
  description: "A call for nominees to one or more groups: who is asked, the window, where to submit and the per-nominator limits.",
})
export class NominationRound {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string", length: 2 })
  countyCode!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Title in the source's words." })
  name!: string;

  @Property({ type: "string" })
  @Field(() => NominationRoundKind, { description: "How nominees are sought." })
  kind!: NominationRoundKind;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "First day of the window; null if the source does not say." })
  opensOn: string | null = null;

  @Property({ type: "date" })
  @Field(() => DateScalar, { description: "Last day on which nominations are accepted (inclusive)." })
  closesOn!: string;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Where nominations go, e.g. `kirjaamo@siunsote.fi` (an office address, not personal data)." })
  submitTo: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "How to submit, e.g. `kirjallinen ilmoitus` (in writing)." })
  submissionMethod: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Whom nominators are asked to name, e.g. `työntekijä` (employees)." })
  nominees: string | null = null;

  @Property({ type: "integer", nullable: true })
  @Field(() => Int, { nullable: true, description: "Fewest members one nominator names; null if not stated." })
  minPerNominator: number | null = null;

  @Property({ type: "integer", nullable: true })
  @Field(() => Int, { nullable: true, description: "Most members one nominator names; null if not stated." })
  maxPerNominator: number | null = null;

  @Property({ type: "boolean" })
  @Field(() => Boolean, { description: "Deputies need not be named when a nominator names more than one member." })
  deputiesOptionalWhenSeveralMembers: boolean = false;

  @Property({ type: "string", nullable: true })
  contactPersonId: string | null = null;

  @Property({ type: "string", nullable: true })
  contactOrganisationId: string | null = null;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "Further conditions in the source's words." })
  description: string | null = null;

  @Property({ type: "datetime", columnType: "timestamptz", nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: "When a coordinator closed the round; no nomination is received after it. Null while not closed." })
  closedAt: Date | null = null;
}

/** A group a round fills. */
@Entity({ tableName: "nomination_round_group" })
@Index({ properties: ["groupId"] })
export class NominationRoundGroup {
  @PrimaryKey({ type: "string" })
  roundId!: string;

  @PrimaryKey({ type: "string" })
  groupId!: string;
}

@Entity({ tableName: "nominator" })
@Index({ name: "nominator_round_municipality_unique", expression: 'create unique index "nominator_round_municipality_unique" on "nominator" ("round_id", "municipality_code") where "municipality_code" is not null' })
@Index({ name: "nominator_round_category_unique", expression: 'create unique index "nominator_round_category_unique" on "nominator" ("round_id", "category_id") where "category_id" is not null' })
@ObjectType("Nominator", { description: "One party a nomination round asks: a municipality or an association category." })
export class Nominator {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string" })
  roundId!: string;

  @Property({ type: "string" })
  @Field(() => NominatorKind, { description: "Municipality or association category." })
  kind!: NominatorKind;

  @Property({ type: "string", length: 3, nullable: true })
  municipalityCode: string | null = null;

  @Property({ type: "string", nullable: true })
  categoryId: string | null = null;

  @Property({ type: "string", nullable: true })
  groupId: string | null = null;

  @Property({ type: "integer" })
  ordinal: number = 0;
}

@Entity({ tableName: "nomination" })
@Index({ name: "nomination_nominator_person_unique", expression: `create unique index "nomination_nominator_person_unique" on "nomination" ("nominator_id", "person_id") where "status" in ('submitted', 'accepted')` })
@Index({ name: "nomination_membership_id_unique", expression: 'create unique index "nomination_membership_id_unique" on "nomination" ("membership_id") where "membership_id" is not null' })
@ObjectType("Nomination", { description: "A nominee put forward in a round by one nominator, with its status." })
export class Nomination {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string" })
  roundId!: string;

  @Index()
  @Property({ type: "string" })
  nominatorId!: string;

  @Property({ type: "string" })
  personId!: string;

  @Property({ type: "string", nullable: true })
  organisationId: string | null = null;

  @Property({ type: "string", nullable: true })
  groupId: string | null = null;

  @Property({ type: "boolean" })
  @Field(() => Boolean, { description: "Nominated as a deputy (varajäsen) rather than a member." })
  asDeputy: boolean = false;

  @Property({ type: "string" })
  @Field(() => NominationStatus, { description: "Where the nomination stands." })
  status!: NominationStatus;

  @Property({ type: "date" })
  @Field(() => DateScalar, { description: "Day the nomination was received." })
  submittedOn!: string;

  /** The membership an accepted nomination became (unique: a nomination is appointed once). */
  @Property({ type: "string", nullable: true })
  membershipId: string | null = null;
}
