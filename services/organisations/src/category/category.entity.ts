import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";

/**
 * A county's own classification of associations (järjestökategoria), e.g.
 * Pirkanmaa's 19 categories from "Asukas- ja kylätoiminta" to "Vanhustyö".
 */
@Entity({ tableName: "organisation_category" })
@Index({ properties: ["countyCode", "position"] })
@Index({ name: "organisation_category_county_name_unique", expression: 'create unique index "organisation_category_county_name_unique" on "organisation_category" ("county_code", "name_normalised")' })
@ObjectType("OrganisationCategory", {
  description:
    "A category in a wellbeing services county's own classification of associations (järjestökategoria), e.g. Pirkanmaa's \"Nuoriso\".",
})
@Directive('@key(fields: "id")')
export class OrganisationCategory {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier, e.g. \"category-08-nuoriso\"." })
  id!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Name as the county gives it, e.g. \"Nuoriso\"." })
  name!: string;

  /** Normalised name (matched by `OrganisationFilter.category`). */
  @Property({ type: "string" })
  nameNormalised!: string;

  /** Code of the county whose classification this is (`county` field). */
  @Property({ type: "string", length: 2 })
  countyCode!: string;

  @Property({ type: "smallint" })
  @Field(() => Int, { description: "Position in the county's list (1 = first), the order the county uses." })
  position!: number;
}
