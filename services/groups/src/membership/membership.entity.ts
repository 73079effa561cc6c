import type { Opt } from "@mikro-orm/core";
import { Check, Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { DateScalar, DateTimeScalar } from "@yhdyspinta/core";
import { Field, ID, ObjectType, registerEnumType } from "type-graphql";

export enum MembershipRole {
  CHAIR = "chair",
  VICE_CHAIR = "vice_chair",
  MEMBER = "member",
  DEPUTY = "deputy",
  SPEAKING_RIGHT = "speaking_right",
  SECRETARY = "secretary",
  COORDINATOR = "coordinator",
}

registerEnumType(MembershipRole, {
  name: "MembershipRole",
  description: "What a person does in a group.",
  valuesConfig: {
    CHAIR: { description: "Puheenjohtaja." },
    VICE_CHAIR: { description: "Varapuheenjohtaja." },
    MEMBER: { description: "Varsinainen jäsen." },
    DEPUTY: { description: "Varajäsen: deputy of a named member (see `deputyOf`)." },
    SPEAKING_RIGHT: { description: "Puheoikeudellinen: may speak, does not vote." },
    SECRETARY: { description: "Sihteeri." },
    COORDINATOR: { description: "Koordinaattori: prepares and coordinates the group's work." },
  },
});

/**
 * A person's membership in a group on behalf of an organisation (Popolo
 * Membership with `on_behalf_of`). Never overwritten: a change ends one row
 * (`endsOn`) and starts another, so any date can be answered.
 */
@Entity({ tableName: "membership" })
@Check({ name: "membership_dates_in_order", expression: '"starts_on" is null or "ends_on" is null or "ends_on" >= "starts_on"' })
@Index({ properties: ["groupId", "startsOn"] })
@ObjectType("GroupMembership", {
  description:
    "A person's membership in a group on behalf of an organisation, with role and dates. History is kept: a change ends a membership and records a new one.",
})
export class Membership {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Property({ type: "string" })
  groupId!: string;

  @Property({ type: "string", nullable: true })
  seatId: string | null = null;

  @Index()
  @Property({ type: "string" })
  personId!: string;

  @Index()
  @Property({ type: "string", nullable: true })
  organisationId: string | null = null;

  @Property({ type: "string" })
  @Field(() => MembershipRole, { description: "What the person does in the group." })
  role!: MembershipRole;

  @Property({ type: "string", nullable: true })
  deputyOfId: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Title in the group as the source gives it, e.g. `järjestöyhteistyöryhmän koordinaattori`." })
  title: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "First day of the membership; null if the source does not say." })
  startsOn: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Last day of the membership (inclusive); null while it continues." })
  endsOn: string | null = null;

  @Property({ type: "datetime", columnType: "timestamptz", nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: "When the membership was marked as recorded by mistake; it then never counts as held." })
  correctedAt: Date | null = null;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "Why the membership was corrected." })
  correctionNote: string | null = null;

  /** The group's term (`GroupTerm`) the membership serves; null when not recorded (then the term covering its start). */
  @Index()
  @Property({ type: "string", nullable: true })
  groupTermId: string | null = null;

  /** Marked at a renewal: the member serves on after `endsOn` until a successor is appointed or `carryOverEndsOn`. */
  @Property({ type: "boolean", defaultRaw: "false" })
  carryOver: Opt<boolean> = false;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, {
    nullable: true,
    description: "Carry-over: last day the member serves on after the term's end (a stated last day, or the day before the successors were appointed); null while open or not carried over.",
  })
  carryOverEndsOn: string | null = null;

  /** Not stored: set on the copy a list read for one day returns when the member serves that day as carried over. */
  carriedOverOnDay?: boolean;
}

/**
 * Active on `day`: started on or before it (or start unknown), not ended before
 * it (or serving on after its end as carried over, see `isCarriedOverOn`), and
 * not corrected as recorded by mistake.
 */
export function isActiveOn(
  m: { startsOn: string | null; endsOn: string | null; correctedAt?: Date | null; carryOver?: boolean; carryOverEndsOn?: string | null },
  day: string,
): boolean {
  if (m.correctedAt) return false;
  return (m.startsOn === null || m.startsOn <= day) && (m.endsOn === null || m.endsOn >= day || isCarriedOverOn(m, day));
}

/**
 * Carry-over: the membership's term ended before `day`, but it was marked at a
 * renewal to serve on until a successor is appointed or a stated last day.
 */
export function isCarriedOverOn(m: { endsOn: string | null; correctedAt?: Date | null; carryOver?: boolean; carryOverEndsOn?: string | null }, day: string): boolean {
  if (m.correctedAt || !m.carryOver || m.endsOn === null || m.endsOn >= day) return false;
  return m.carryOverEndsOn == null || m.carryOverEndsOn >= day;
}

/** Roles in the order a group's members are listed. */
export const ROLE_ORDER = ["chair", "vice_chair", "member", "deputy", "speaking_right", "secretary", "coordinator"];

/** Memberships by role, then start day, then id. */
export function membershipOrder(a: Membership, b: Membership): number {
  const ra = ROLE_ORDER.indexOf(a.role);
  const rb = ROLE_ORDER.indexOf(b.role);
  if (ra !== rb) return ra - rb;
  const sa = a.startsOn ?? "";
  const sb = b.startsOn ?? "";
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
