import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Directive, Field, ID, ObjectType } from "type-graphql";

@Entity({ tableName: "area" })
@Index({ name: "area_county_name_unique", expression: 'create unique index "area_county_name_unique" on "area" ("county_code", lower("name"))' })
@ObjectType("Area", { description: "A county's own division into areas, e.g. Pohjois-Karjala's KESKINEN, POHJOINEN, LÄNTINEN and ETELÄINEN." })
@Directive('@key(fields: "id")')
export class Area {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;

  @Index()
  @Property({ type: "string", length: 2 })
  countyCode!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Name as the county uses it, e.g. `KESKINEN`." })
  name!: string;

  @Property({ type: "integer" })
  ordinal: number = 0;
}

/** A municipality in an area. */
@Entity({ tableName: "area_municipality" })
@Index({ properties: ["municipalityCode"] })
export class AreaMunicipality {
  @PrimaryKey({ type: "string" })
  areaId!: string;

  @PrimaryKey({ type: "string", length: 3 })
  municipalityCode!: string;

  @Property({ type: "integer" })
  ordinal: number = 0;
}
