import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";

/**
 * A municipality as classified on 1 January of a year. Codes are stable but
 * the set changes with mergers (Pertunmaa joined Mäntyharju on 1.1.2025), so
 * each year's classification is kept.
 */
@Entity({ tableName: "municipality" })
@Index({ properties: ["countyCode", "year"] })
@ObjectType("Municipality", {
  description: "A Finnish municipality (kunta) with its official 3-digit code, as classified in a given year.",
})
@Directive('@key(fields: "code")')
export class Municipality {
  @PrimaryKey({ type: "string", length: 3 })
  @Field(() => ID, { description: "Official 3-digit municipality code, e.g. \"167\" for Joensuu." })
  code!: string;

  @PrimaryKey({ type: "smallint" })
  @Field(() => Int, { description: "Classification year (state on 1 January) this record describes." })
  year!: number;

  @Property({ type: "string" })
  @Field(() => String, { description: "Finnish name." })
  nameFi!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Swedish name (the Finnish name where there is no separate Swedish one)." })
  nameSv!: string;

  /** Normalised Finnish and Swedish names (searched by `municipalities(search:)`). */
  @Property({ type: "string", default: "" })
  searchText!: string;

  /** Statistics Finland county code; 91 for Åland, which is not a wellbeing services county. */
  @Property({ type: "string", length: 2 })
  countyCode!: string;
}
