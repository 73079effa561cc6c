import { DateScalar, JSONObjectScalar } from "@yhdyspinta/core";
import { Directive, Field, ID, ObjectType } from "type-graphql";

/**
 * A person as the subject of a data-subject request (docs/PERSONAL-DATA.md):
 * owned by the organisations subgraph, which checks who may ask; this
 * subgraph adds what it holds about the person and their roles.
 */
@ObjectType("DataSubject", { description: "Everything held about one person, for a data-subject request (admin or data protection officer)." })
@Directive('@key(fields: "personId")')
@Directive('@tag(name: "internal")')
export class DataSubject {
  @Field(() => ID, { description: "Id of the person." })
  personId!: string;
}

@ObjectType("DataSubjectRoles", { description: "A person's roles in groups on a day: whether any continues, when the last ended, and a seat held by appointment." })
@Directive('@tag(name: "internal")')
export class DataSubjectRoles {
  @Field(() => Boolean, { description: "Any membership, group contact, nomination, attendance or nomination-round contact refers to the person." })
  hasRoles!: boolean;

  @Field(() => Boolean, { description: "A role continues on the day: a membership not ended, a group contact, a nomination not decided, an open round's contact." })
  ongoing!: boolean;

  @Field(() => DateScalar, { nullable: true, description: "Last day a role ended (membership or nomination-round contact); null if none ended." })
  lastRoleEndedOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Last closing day of a round in which the person was not appointed (rejected or withdrawn); null if none." })
  lastNotAppointedRoundClosedOn!: string | null;

  @Field(() => String, { nullable: true, description: "A seat held on the day by appointment (a group's seat or an accepted nomination), described; null if none." })
  appointedSeat!: string | null;
}

export { JSONObjectScalar };
