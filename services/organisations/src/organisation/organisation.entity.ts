import { Entity, Index, PrimaryKey, Property, Unique } from "@mikro-orm/decorators/legacy";
import { auditedAsList, DateScalar } from "@yhdyspinta/core";
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

/** What kind of actor an organisation is (W3C ORG `org:classification`). */
export enum OrganisationKind {
  ASSOCIATION = "association",
  PARISH = "parish",
  COMPANY = "company",
  MUNICIPALITY = "municipality",
  WELLBEING_SERVICES_COUNTY = "wellbeing_services_county",
  REGIONAL_COUNCIL = "regional_council",
  PUBLIC_AGENCY = "public_agency",
  EDUCATION_INSTITUTION = "education_institution",
  UMBRELLA_ORGANISATION = "umbrella_organisation",
  ORGANISATIONAL_UNIT = "organisational_unit",
}

registerEnumType(OrganisationKind, {
  name: "OrganisationKind",
  description: "What kind of actor an organisation is.",
  valuesConfig: {
    ASSOCIATION: { description: "A registered or unregistered association (järjestö, yhdistys)." },
    PARISH: { description: "A parish or congregation (seurakunta)." },
    COMPANY: { description: "A company or other business (yritys)." },
    MUNICIPALITY: { description: "A municipality or city as an actor (kunta, kaupunki), including the City of Helsinki." },
    WELLBEING_SERVICES_COUNTY: { description: "A wellbeing services county as an actor (hyvinvointialue)." },
    REGIONAL_COUNCIL: { description: "A regional council (maakuntaliitto)." },
    PUBLIC_AGENCY: { description: "A state agency: ELY centre, TE office, AVI, Kela, police and the like." },
    EDUCATION_INSTITUTION: { description: "A vocational or higher education institution (oppilaitos, korkeakoulu)." },
    UMBRELLA_ORGANISATION: {
      description: "An organisation that supports and represents associations (kattojärjestö, järjestötalo, kumppanuusyhdistys).",
    },
    ORGANISATIONAL_UNIT: {
      description: "A unit of another organisation (W3C ORG `org:OrganizationalUnit`), e.g. a county's service area; see `parent`.",
    },
  },
});

/**
 * An actor that takes part in cooperation: an association, parish, company,
 * municipality, wellbeing services county, agency or one of their units.
 */
@Entity({ tableName: "organisation" })
@Index({ properties: ["nameNormalised", "id"] })
@Index({ properties: ["countyCode"] })
@Index({ properties: ["parentId"] })
@Index({ properties: ["successorId"] })
@Index({ properties: ["mergedInto"] })
@ObjectType("Organisation", {
  description:
    "An actor that takes part in cooperation: an association, parish, company, municipality, wellbeing services county, public agency, education institution, umbrella organisation or a unit of one of these.",
})
@Directive('@key(fields: "id")')
export class Organisation {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier, e.g. \"org-county-14\" or \"org-municipality-167\"." })
  id!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Name as the organisation uses it, in Finnish where it has a Finnish name." })
  name!: string;

  @Property({ type: "json" })
  @Field(() => [String], { description: "Other names and abbreviations it is known by, e.g. \"Siun sote\", \"Pohde\"." })
  otherNames: string[] = [];

  /** Normalised name (sort key of every organisation list). */
  @Property({ type: "string" })
  nameNormalised!: string;

  /** Normalised name and other names (searched by `filter.search`). */
  @Property({ type: "text" })
  searchText!: string;

  @Property({ type: "string" })
  @Field(() => OrganisationKind, { description: "What kind of actor this is." })
  kind!: OrganisationKind;

  @Property({ type: "string", length: 9, nullable: true })
  @Unique()
  @Field(() => String, {
    nullable: true,
    description: "Finnish business ID (Y-tunnus), `NNNNNNN-C` with a valid check digit; null where unknown or for units without one.",
  })
  businessId: string | null = null;

  /** Key of the parent organisation (`parent` field). */
  @Property({ type: "string", nullable: true })
  parentId: string | null = null;

  /** Code of the wellbeing services county it works in (`county` field). */
  @Property({ type: "string", length: 2, nullable: true })
  countyCode: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Website URL." })
  website: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "First day the organisation existed under this identity; null: not recorded." })
  validFrom: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Last day it existed (e.g. 2024-12-31 for a wound-up TE office); null: still exists." })
  validTo: string | null = null;

  /**
   * Key of the first organisation that took over its tasks (`successor`
   * field); every successor, with the tasks each took over, is an
   * `OrganisationSuccessor` row (`successors` field).
   */
  @Property({ type: "string", nullable: true })
  successorId: string | null = null;

  /**
   * Key of the organisation this duplicate record was merged into: every
   * reference to this id resolves to that one (`mergeOrganisations`).
   */
  @Property({ type: "string", nullable: true })
  mergedInto: string | null = null;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "The note given when it was wound up or merged into another record; null otherwise." })
  endNote: string | null = null;
}

/**
 * One organisation that took over (some of) the tasks of a wound-up
 * organisation, in the order the wind-up names them (`ordinal`): an AVI's
 * tasks went to an elinvoimakeskus and to the Lupa- ja valvontavirasto.
 */
@Entity({ tableName: "organisation_successor" })
@Index({ properties: ["successorId"] })
@Index({
  name: "organisation_successor_unique",
  expression: 'create unique index "organisation_successor_unique" on "organisation_successor" ("organisation_id", "successor_id")',
})
@ObjectType("OrganisationSuccessor", { description: "An organisation that took over tasks of a wound-up organisation, and which tasks." })
export class OrganisationSuccessor {
  @PrimaryKey({ type: "string" })
  id!: string;

  /** Key of the wound-up organisation. */
  @Property({ type: "string" })
  organisationId!: string;

  /** Key of the organisation that took over tasks (`organisation` field). */
  @Property({ type: "string" })
  successorId!: string;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "The tasks it took over, e.g. \"ympäristöluvat\"; null: all or not recorded." })
  tasks: string | null = null;

  @Property({ type: "int" })
  @Field(() => Int, { description: "Position in the wind-up's list of successors, from 0." })
  ordinal!: number;
}

/** Municipalities an organisation works in (W3C ORG: area of operation). */
@Entity({ tableName: "organisation_municipality" })
@Index({ properties: ["municipalityCode"] })
export class OrganisationMunicipality {
  @PrimaryKey({ type: "string" })
  organisationId!: string;

  @PrimaryKey({ type: "string", length: 3 })
  municipalityCode!: string;
}

/** An organisation's place in a county's classification of associations. */
@Entity({ tableName: "organisation_category_assignment" })
@Index({ properties: ["categoryId"] })
export class OrganisationCategoryAssignment {
  @PrimaryKey({ type: "string" })
  organisationId!: string;

  @PrimaryKey({ type: "string" })
  categoryId!: string;
}

// The link tables are written with `insertMany` and audited as the organisation's lists (organisation-links-audit.ts).
auditedAsList(OrganisationMunicipality, { owner: Organisation, ownerKey: "organisationId", item: "municipalityCode", field: "municipalityCodes" });
auditedAsList(OrganisationCategoryAssignment, { owner: Organisation, ownerKey: "organisationId", item: "categoryId", field: "categoryIds" });
