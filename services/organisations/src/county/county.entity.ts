import { Entity, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum CountyKind {
  WELLBEING_SERVICES_COUNTY = "wellbeing_services_county",
  CITY_OF_HELSINKI = "city_of_helsinki",
  /** Åland is outside the social and health care reform; kept only as the region of its municipalities. */
  ALAND = "aland",
}

registerEnumType(CountyKind, {
  name: "CountyKind",
  description: "What organises social, health and rescue services in the area.",
  valuesConfig: {
    WELLBEING_SERVICES_COUNTY: { description: "One of the 21 wellbeing services counties (hyvinvointialue)." },
    CITY_OF_HELSINKI: { description: "The City of Helsinki, which organises these services itself." },
    ALAND: { description: "Åland, outside the reform: never returned as a county." },
  },
});

@Entity({ tableName: "county" })
@ObjectType("WellbeingServicesCounty", {
  description:
    "A wellbeing services county (hyvinvointialue) or the City of Helsinki, identified by Statistics Finland's 2-digit code.",
})
@Directive('@key(fields: "code")')
export class County {
  @PrimaryKey({ type: "string", length: 2 })
  @Field(() => ID, { description: "Statistics Finland code, e.g. \"14\" for Pohjois-Karjala, \"90\" for Helsinki." })
  code!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Finnish name." })
  nameFi!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Swedish name." })
  nameSv!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "English name." })
  nameEn!: string;

  @Property({ type: "string" })
  @Field(() => CountyKind, { description: "County proper or the City of Helsinki." })
  kind!: CountyKind;

  @Property({ type: "integer" })
  @Field(() => Int, { description: "Region id in THL's Sotkanet (category HYVINVOINTIALUE)." })
  sotkanetRegionId!: number;
}
