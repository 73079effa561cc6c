import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Field, ID, Int, ObjectType } from "type-graphql";

/**
 * A wellbeing theme (teema, painopiste) that a county, its groups and plans
 * share, e.g. Pohjois-Karjala's six (seed 002).
 */
@Entity({ tableName: "theme" })
@Index({ name: "theme_county_name_unique", expression: 'create unique index "theme_county_name_unique" on "theme" ("county_code", lower("name"))' })
@Index({ properties: ["groupIds"], type: "gin" })
@ObjectType("Theme", {
  description: "A shared wellbeing theme (teema) of a county, which its cooperation groups and wellbeing plans refer to.",
})
export class Theme {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier, e.g. \"theme-14-elintavat\"." })
  id!: string;

  @Index()
  @Property({ type: "string", length: 2 })
  countyCode!: string;

  @Property({ type: "integer" })
  @Field(() => Int, { description: "Position in the county's own list of themes, from 1." })
  position!: number;

  @Property({ type: "string" })
  @Field(() => String, { description: "Name as the county writes it (Finnish), e.g. \"Elintavat\"." })
  name!: string;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "English name, e.g. \"Lifestyle\"." })
  nameEn: string | null = null;

  /** Cooperation groups (groups subgraph keys) that work on this theme. */
  @Property({ type: "string[]" })
  groupIds: string[] = [];
}
