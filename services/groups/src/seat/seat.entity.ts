import { Check, Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { DateScalar } from "@yhdyspinta/core";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum SeatConstituency {
  ASSOCIATION_CATEGORY = "association_category",
  MUNICIPALITY = "municipality",
  AGENCY = "agency",
  SECTOR = "sector",
  THEME = "theme",
}

registerEnumType(SeatConstituency, {
  name: "SeatConstituency",
  description: "Whom a seat represents.",
  valuesConfig: {
    ASSOCIATION_CATEGORY: { description: "An association category (järjestökategoria), e.g. Pirkanmaa's 19." },
    MUNICIPALITY: { description: "One municipality." },
    AGENCY: { description: "A named public agency or institution (ELY, TE, AVI, Kela, police…)." },
    SECTOR: { description: "A kind of actor without a named organisation: associations, parishes, companies, experts by experience, educational institutions…" },
    THEME: { description: "A wellbeing theme, e.g. one representative per theme in Pohjois-Karjala's county-wide group." },
  },
});

/** A position in a group that exists independent of who holds it (Popolo Post). */
@Entity({ tableName: "group_seat" })
@Index({ name: "group_seat_active_label_unique", expression: `create unique index "group_seat_active_label_unique" on "group_seat" ("group_id", lower("label"), coalesce("municipality_code", ''), coalesce("organisation_id", ''), coalesce("category_id", '')) where "ends_on" is null` })
@Check({ name: "group_seat_limits_in_order", expression: '"min_members" is null or "max_members" is null or "min_members" <= "max_members"' })
@Check({ name: "group_seat_limits_not_negative", expression: '(min_members is null or min_members >= 0) and (max_members is null or max_members >= 1) and (deputies is null or deputies >= 0)' })
@ObjectType("GroupSeat", {
  description: "A seat in a group for one constituency (Popolo Post): whom it represents and how many members and deputies it takes.",
})
export class GroupSeat {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string" })
  groupId!: string;

  @Property({ type: "integer" })
  ordinal: number = 0;

  @Property({ type: "string" })
  @Field(() => SeatConstituency, { description: "Whom the seat represents." })
  constituency!: SeatConstituency;

  @Property({ type: "string" })
  @Field(() => String, { description: "Label in the source's words, e.g. `Liikunta`, `Kela`, `Seurakuntien edustajat`." })
  label!: string;

  @Property({ type: "string", nullable: true })
  categoryId: string | null = null;

  @Property({ type: "string", length: 3, nullable: true })
  municipalityCode: string | null = null;

  @Property({ type: "string", nullable: true })
  organisationId: string | null = null;

  @Property({ type: "integer", nullable: true })
  @Field(() => Int, { nullable: true, description: "Fewest members the constituency names; null if not stated." })
  minMembers: number | null = null;

  @Property({ type: "integer", nullable: true })
  @Field(() => Int, { nullable: true, description: "Most members the constituency names; null if not stated." })
  maxMembers: number | null = null;

  @Property({ type: "integer", nullable: true })
  @Field(() => Int, { nullable: true, description: "Deputies (varajäsenet) the seat takes; null if not stated or optional." })
  deputies: number | null = null;

  @Property({ type: "boolean" })
  @Field(() => Boolean, { description: "Deputies need not be named when more than one member is (Pohjois-Karjala)." })
  deputiesOptionalWhenSeveralMembers: boolean = false;

  @Property({ type: "boolean" })
  @Field(() => Boolean, { description: "Holders may speak but not vote (puheoikeudellinen)." })
  speakingRightOnly: boolean = false;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Last day the seat exists (inclusive); null while it continues." })
  endsOn: string | null = null;

  /** The group's term (`GroupTerm`) the seat was set up for; it serves later terms too until it ends. Null when not recorded. */
  @Index()
  @Property({ type: "string", nullable: true })
  groupTermId: string | null = null;
}
