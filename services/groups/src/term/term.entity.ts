import { Check, Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { DateScalar } from "@yhdyspinta/core";
import { Field, ID, ObjectType, registerEnumType } from "type-graphql";

export enum TermKind {
  COUNTY_COUNCIL = "county_council",
  MUNICIPAL_COUNCIL = "municipal_council",
  HALF_TERM = "half_term",
  CUSTOM = "custom",
}

registerEnumType(TermKind, {
  name: "TermKind",
  description: "Whose period a term is.",
  valuesConfig: {
    COUNTY_COUNCIL: { description: "A term of the wellbeing services counties' councils (aluevaltuusto)." },
    MUNICIPAL_COUNCIL: { description: "A term of the municipal councils (kunnanvaltuusto)." },
    HALF_TERM: { description: "Half of a council term (e.g. a body that sits for two years); `parent` is the council term." },
    CUSTOM: { description: "A period a group's own decision states, e.g. to the end of 2025." },
  },
});

export enum GroupTermStatus {
  SERVING = "serving",
  CARRY_OVER = "carry_over",
  ENDED = "ended",
  UPCOMING = "upcoming",
  NOT_STATED = "not_stated",
}

registerEnumType(GroupTermStatus, {
  name: "GroupTermStatus",
  description: "Where a group's composition stands on a day.",
  valuesConfig: {
    SERVING: { description: "A term of the group covers the day and its composition is appointed (or was never renewed)." },
    CARRY_OVER: { description: "A next term has started but its composition is not yet appointed: the previous members serve on (carry-over)." },
    ENDED: { description: "The group's last term ended before the day and no next term has been started." },
    UPCOMING: { description: "The group's first term starts after the day." },
    NOT_STATED: { description: "No term of the group is recorded." },
  },
});

/**
 * A period a body sits for: a council term (reference data, shared by every
 * county's or municipality's council: `countyCode` and `municipalityCode`
 * null), a half term, or a period of one group's own.
 */
@Entity({ tableName: "term" })
@Check({ name: "term_dates_in_order", expression: '"ends_on" is null or "ends_on" >= "starts_on"' })
@ObjectType("Term", { description: "A period a body sits for: a council term, a half term, or a group's own period, with its start and end days." })
export class Term {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier, e.g. `county-council-2025-2029`." })
  id!: string;

  @Property({ type: "string" })
  @Field(() => TermKind, { description: "Whose period it is." })
  kind!: TermKind;

  @Property({ type: "string" })
  @Field(() => String, { description: "Label, e.g. `Aluevaltuustokausi 2025–2029`." })
  label!: string;

  @Index()
  @Property({ type: "string", length: 2, nullable: true })
  countyCode: string | null = null;

  @Property({ type: "string", length: 3, nullable: true })
  municipalityCode: string | null = null;

  @Index()
  @Property({ type: "string", nullable: true })
  groupId: string | null = null;

  @Property({ type: "string", nullable: true })
  parentId: string | null = null;

  @Property({ type: "date" })
  @Field(() => DateScalar, { description: "First day of the term." })
  startsOn!: string;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Last day of the term (inclusive); null when the source states no end." })
  endsOn: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Election day that chose the council, for council terms." })
  electedOn: string | null = null;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "Where the dates come from (statute, decision or document)." })
  source: string | null = null;
}

/**
 * A group's composition for one term: the seats and memberships that serve
 * it, its own dates within the term, the nomination round that fills it and
 * the day its composition was appointed.
 */
@Entity({ tableName: "group_term" })
@Index({ name: "group_term_group_term_unique", expression: 'create unique index "group_term_group_term_unique" on "group_term" ("group_id", "term_id")' })
@Check({ name: "group_term_dates_in_order", expression: '"ends_on" is null or "ends_on" >= "starts_on"' })
@ObjectType("GroupTerm", { description: "A group's composition for one term: its dates, the round that fills it and when it was appointed." })
export class GroupTerm {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string" })
  groupId!: string;

  @Property({ type: "string" })
  termId!: string;

  @Property({ type: "string", nullable: true })
  previousId: string | null = null;

  @Property({ type: "date" })
  @Field(() => DateScalar, { description: "First day this composition serves (the term's start, or later when the group began during the term)." })
  startsOn!: string;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Last day of the term for this group (inclusive); null when not stated." })
  endsOn: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, {
    nullable: true,
    description: "Day the composition was appointed; null while a renewal is in progress (the previous members serve on as carried over).",
  })
  appointedOn: string | null = null;

  @Property({ type: "string", nullable: true })
  roundId: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "The group's `councilTerm` text this row was migrated from, kept as it was." })
  migratedFrom: string | null = null;
}

/** A `councilTerm` text the terms migration could not read as a term, kept for a coordinator to decide. */
@Entity({ tableName: "council_term_migration_issue" })
@ObjectType("CouncilTermMigrationIssue", { description: "A group's `councilTerm` text that could not be read as a term when terms became data." })
export class CouncilTermMigrationIssue {
  @PrimaryKey({ type: "string" })
  groupId!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "The text as it was stored (it stays in `councilTerm`)." })
  councilTerm!: string;

  @Property({ type: "text" })
  @Field(() => String, { description: "Why it could not be read." })
  reason!: string;
}

/** Days as YYYY-MM-DD strings. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A group's status on `day` from its terms (any order). */
export function groupTermStatus(terms: readonly GroupTerm[], day: string): GroupTermStatus {
  if (terms.length === 0) return GroupTermStatus.NOT_STATED;
  const covering = terms.find((t) => t.startsOn <= day && (t.endsOn === null || t.endsOn >= day));
  if (covering) return covering.previousId !== null && (covering.appointedOn === null || covering.appointedOn > day) ? GroupTermStatus.CARRY_OVER : GroupTermStatus.SERVING;
  if (terms.every((t) => t.startsOn > day)) return GroupTermStatus.UPCOMING;
  return GroupTermStatus.ENDED;
}
