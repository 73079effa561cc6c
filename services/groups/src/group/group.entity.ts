import { Check, Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { DateScalar } from "@yhdyspinta/core";
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { isActiveOn } from "../membership/membership.entity.ts";
import { CooperationGroupKind, GroupBasis, GroupLevel } from "./group-kind.ts";

@Entity({ tableName: "cooperation_group" })
@Index({ name: "cooperation_group_active_name_unique", expression: 'create unique index "cooperation_group_active_name_unique" on "cooperation_group" ("county_code", lower("name")) where "ends_on" is null' })
@Check({ name: "cooperation_group_dates_in_order", expression: 'starts_on is null or ends_on is null or ends_on >= starts_on' })
@ObjectType("CooperationGroup", {
  description:
    "A cooperation or partnership group between a wellbeing services county and its partners (W3C ORG OrganizationalCollaboration): why it exists, who appoints and convenes it, its seats, members, meetings and nomination rounds.",
})
@Directive('@key(fields: "id")')
export class CooperationGroup {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string", length: 2 })
  countyCode!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Name as the county uses it." })
  name!: string;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Short name or acronym, e.g. JYRY, Hyry, KESKINEN." })
  shortName: string | null = null;

  @Property({ type: "string" })
  @Field(() => CooperationGroupKind, { description: "What sort of body the group is." })
  kind!: CooperationGroupKind;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "What the group is for, in the county's words (Finnish)." })
  description: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => GroupBasis, { nullable: true, description: "Why the group exists; null where the source does not say." })
  basis: GroupBasis | null = null;

  @Property({ type: "json", defaultRaw: "'[]'" })
  @Field(() => [String], {
    description: "Laws the group rests on, as Finnish statute numbers with sections, e.g. `612/2021 7 §`, `379/2011 46 §`.",
  })
  legalBasis: string[] = [];

  @Property({ type: "string", nullable: true })
  @Field(() => String, {
    nullable: true,
    description: "Who appoints the group and under which rule, e.g. `Hyvinvointialuejohtaja (hallintosääntö 31 §)`.",
  })
  appointedBy: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Body the group reports to, e.g. `Yhdyspintalautakunta`." })
  reportsTo: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => GroupLevel, { nullable: true, description: "Level of the county's cooperation structure the group works at." })
  level: GroupLevel | null = null;

  @Index()
  @Property({ type: "string", nullable: true })
  areaId: string | null = null;

  @Index()
  @Property({ type: "string", nullable: true })
  parentId: string | null = null;

  @Property({ type: "json", defaultRaw: "'[]'" })
  convenerIds: string[] = [];

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "How the group is convened, in the source's words (Finnish)." })
  conveningNote: string | null = null;

  @Property({ type: "json", defaultRaw: "'[]'" })
  secretariatIds: string[] = [];

  @Property({ type: "text", nullable: true })
  @Field(() => String, {
    nullable: true,
    description: "Who sits in the group and how members and chairs are chosen, in the source's words (Finnish).",
  })
  composition: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, {
    nullable: true,
    description: "Council term (valtuustokausi) the current composition serves, e.g. `2022–2025`; a renewal sets it to the new term's years.",
    deprecationReason: "Terms are data: use `currentTerm { term { startsOn endsOn } }`, `terms` and `termStatus`.",
  })
  councilTerm: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, {
    nullable: true,
    description: "Last day of the current composition's term, where stated; a renewal sets it to the new term's end.",
    deprecationReason: "Terms are data: use `currentTerm { endsOn }` and `termStatus`.",
  })
  termEndsOn: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Day the group starts (or started) working; null if not stated." })
  startsOn: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Last day of the group's work; null while it continues." })
  endsOn: string | null = null;

  @Property({ type: "integer", nullable: true })
  @Field(() => Int, { nullable: true, description: "How many times a year the group meets, as stated (about)." })
  meetingsPerYear: number | null = null;

  @Property({ type: "integer", nullable: true })
  @Field(() => Int, { nullable: true, description: "Minimum number of meetings a year, where the source says 'at least'." })
  minMeetingsPerYear: number | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Meeting rhythm in the source's words, e.g. `muutaman kuukauden välein`." })
  meetingFrequency: string | null = null;

  @Property({ type: "boolean" })
  @Field(() => Boolean, {
    description: "The group holds the annual negotiation on health-promotion goals and measures required by 612/2021 7 §.",
  })
  annualNegotiation: boolean = false;

  @Property({ type: "json", defaultRaw: "'[]'" })
  @Field(() => [String], { description: "The group's tasks in the source's order (Finnish)." })
  tasks: string[] = [];

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "Compensation rule in the source's words, e.g. no meeting fees." })
  compensation: string | null = null;

  @Property({ type: "boolean", nullable: true })
  @Field(() => Boolean, { nullable: true, description: "Members are paid meeting fees; null if the source does not say." })
  paysMeetingFees: boolean | null = null;
}

/** A municipality a group covers (by the organisations subgraph's key). */
@Entity({ tableName: "group_municipality" })
@Index({ properties: ["municipalityCode"] })
export class GroupMunicipality {
  @PrimaryKey({ type: "string" })
  groupId!: string;

  @PrimaryKey({ type: "string", length: 3 })
  municipalityCode!: string;
}

/** A named contact person of a group (not a member), e.g. Pirkanmaa JYRY's planning manager. */
@Entity({ tableName: "group_contact" })
@Directive('@tag(name: "personal")')
@ObjectType("GroupContact", { description: "A person named as a group's contact (lisätiedot), with their title." })
export class GroupContact {
  @PrimaryKey({ type: "string" })
  groupId!: string;

  @PrimaryKey({ type: "string" })
  personId!: string;

  @Property({ type: "string", nullable: true })
  organisationId: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Title as the source gives it, e.g. `suunnittelupäällikkö`." })
  title: string | null = null;

  @Property({ type: "integer" })
  ordinal: number = 0;
}

/** Filters on a group list: kind and the day the groups must be working on. */
export interface GroupFilterKey {
  kind: CooperationGroupKind | null;
  /** Only groups working on this day; null: all. */
  activeOn: string | null;
}

/** Groups are listed by name, then id. */
export const groupOrder = (a: CooperationGroup, b: CooperationGroup): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

export function groupMatches(g: CooperationGroup, f: GroupFilterKey): boolean {
  if (f.kind !== null && g.kind !== f.kind) return false;
  if (f.activeOn !== null && !isActiveOn(g, f.activeOn)) return false;
  return true;
}
