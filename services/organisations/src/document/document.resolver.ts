import { DAY_ARGUMENT_DEPRECATION, dayArgument } from "@yhdyspinta/core";
import { DateScalar, RecordSource, findUnconfirmed, recordKey, helsinkiToday } from "@yhdyspinta/core";
import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { ContactPoint } from "../contact/contact-point.entity.ts";
import { County } from "../county/county.entity.ts";
import { Organisation } from "../organisation/organisation.entity.ts";
import { organisationOn, predecessorsOf } from "../organisation/organisation.rules.ts";
import { Document, DocumentSubjectType } from "./document.entity.ts";

/** `CooperationGroup` of the groups subgraph, referred to by key; this subgraph adds `documents`. */
@ObjectType("CooperationGroup", { description: "A cooperation group, partnership group, partnership table or network." })
@Directive('@key(fields: "id")')
export class CooperationGroupRef {
  @Field(() => ID, { description: "Stable identifier." })
  id!: string;
}

const today = (): string => helsinkiToday();
const isValidOn = (from: string | null, to: string | null, day: string) => (from === null || from <= day) && (to === null || day <= to);

@Resolver(() => Document)
export class DocumentResolver {
  @Query(() => Document, { nullable: true, description: "A source document by id; null if there is none." })
  async document(@Arg("id", () => ID, { description: "Document id." }) id: string, @Ctx() { loaders }: Context) {
    return await loaders.documentById.load(id);
  }

  @Query(() => [RecordSource], {
    description:
      "Records of the organisations subgraph (documents, organisations, contact points) whose provenance was last confirmed more than `months` months ago, oldest first.",
  })
  async unconfirmedOrganisationRecords(
    @Arg("months", () => Int, { description: "Age in whole months, 0–1200." }) months: number,
    @Ctx() { em }: Context,
  ) {
    return await findUnconfirmed(em, months);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: "The publishing organisation where it is in the data." })
  async publisher(@Root() doc: Document, @Ctx() { loaders }: Context) {
    return doc.publisherId ? await loaders.organisationById.load(doc.publisherId) : null;
  }

  @FieldResolver(() => County, { nullable: true, description: "The county the document concerns." })
  async county(@Root() doc: Document, @Ctx() { loaders }: Context) {
    return doc.countyCode ? await loaders.countyByCode.load(doc.countyCode) : null;
  }

  @FieldResolver(() => RecordSource, { nullable: true, description: "Where the record of this document comes from (the page that refers to it)." })
  async provenance(@Root() doc: Document, @Ctx() { loaders }: Context) {
    return await loaders.sourceOf.load(recordKey("Document", doc.id));
  }
}

@Resolver(() => County)
export class CountyDocumentsResolver {
  @FieldResolver(() => [Document], { description: "Source documents concerning the county, newest year first, then by title." })
  async documents(@Root() county: County, @Ctx() { loaders }: Context) {
    return await loaders.documentsByCounty.load(county.code);
  }
}

@Resolver(() => CooperationGroupRef)
export class GroupDocumentsResolver {
  @FieldResolver(() => [Document], { nullable: true, description: "Source documents concerning the group, newest year first." })
  async documents(@Root() group: CooperationGroupRef, @Ctx() { loaders }: Context) {
    return await loaders.documentsBySubject.load(`${DocumentSubjectType.GROUP}|${group.id}`);
  }
}

@Resolver(() => ContactPoint)
export class ContactPointResolver {
  @FieldResolver(() => RecordSource, { nullable: true, description: "Where the contact point comes from." })
  async provenance(@Root() contact: ContactPoint, @Ctx() { loaders }: Context) {
    return await loaders.sourceOf.load(recordKey("ContactPoint", contact.id));
  }
}

/** An organisation's documents, contact points, provenance and its changes over time. */
@Resolver(() => Organisation)
export class OrganisationHistoryResolver {
  @FieldResolver(() => [Document], { description: "Source documents concerning the organisation or published by it." })
  async documents(@Root() organisation: Organisation, @Ctx() { loaders }: Context) {
    return await loaders.documentsBySubject.load(`${DocumentSubjectType.ORGANISATION}|${organisation.id}`);
  }

  @FieldResolver(() => [ContactPoint], {
    description: "Public contact points (addresses, registry e-mail, web address) valid on `activeOn` (default today); all of them when `all` is true.",
  })
  async contactPoints(
    @Root() organisation: Organisation,
    @Ctx() { loaders }: Context,
    @Arg("asOn", () => DateScalar, { nullable: true, description: "Day the contact points are valid on; default today.", deprecationReason: DAY_ARGUMENT_DEPRECATION }) asOn: string | null,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "Day the contact points are valid on; default today in Helsinki." }) activeOn: string | null,
    @Arg("all", () => Boolean, { nullable: true, description: "Every contact point, past and future too." }) all: boolean | null,
  ) {
    const rows = await loaders.contactPointsByOrganisation.load(organisation.id);
    if (all) return rows;
    const day = dayArgument(activeOn, asOn, "asOn") ?? today();
    return rows.filter((c) => isValidOn(c.validFrom, c.validTo, day));
  }

  @FieldResolver(() => Organisation, {
    nullable: true,
    description: "The (first) organisation that took over its tasks when it ceased (see `validTo`); null if it still exists or none did.",
    deprecationReason: "Use `successors`: an organisation's tasks may pass to several.",
  })
  async successor(@Root() organisation: Organisation, @Ctx() { loaders }: Context) {
    return organisation.successorId ? await loaders.organisationById.load(organisation.successorId) : null;
  }

  @FieldResolver(() => [Organisation], { description: "Organisations whose tasks (all or some) passed to this one, by name." })
  async predecessors(@Root() organisation: Organisation, @Ctx() { loaders }: Context) {
    return await predecessorsOf(organisation, loaders);
  }

  @FieldResolver(() => Organisation, {
    description:
      "The organisation that held this one's tasks on the given day: itself while it existed, its successor (following the chain) after it ceased, its sole predecessor before it began; where its tasks were split among several successors, itself (see `heldBy`).",
  })
  async asOn(
    @Root() organisation: Organisation,
    @Arg("date", () => DateScalar, { nullable: true, description: "The day.", deprecationReason: DAY_ARGUMENT_DEPRECATION }) date: string | null,
    @Arg("activeOn", () => DateScalar, { nullable: true, description: "The day; default today in Helsinki." }) activeOn: string | null,
    @Ctx() ctx: Context,
  ) {
    return await organisationOn(organisation, dayArgument(activeOn, date, "date") ?? today(), ctx);
  }

  @FieldResolver(() => Organisation, { description: "The organisation holding its tasks today: itself, or its (latest) successor; itself where its tasks were split among several (see `heldBy`)." })
  async current(@Root() organisation: Organisation, @Ctx() ctx: Context) {
    return await organisationOn(organisation, today(), ctx);
  }

  @FieldResolver(() => RecordSource, { nullable: true, description: "Where the record comes from and when it was last confirmed; null where not recorded (e.g. rows from the official classification)." })
  async provenance(@Root() organisation: Organisation, @Ctx() { loaders }: Context) {
    return await loaders.sourceOf.load(recordKey("Organisation", organisation.id));
  }
}
