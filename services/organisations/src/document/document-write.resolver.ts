import { randomUUID } from "node:crypto";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertCanWriteCounty, auditAlongside, BadUserInputError, NotFoundError, RecordSource, Scope, writeProvenance } from "@yhdyspinta/core";
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import type { Context } from "../context.ts";
import { Document, DocumentSubject } from "./document.entity.ts";
import { CreateDocumentInput, UpdateDocumentInput } from "./document.input.ts";
import { checkDocument, checkDocumentRemovable, documentOrganisations, writeDocumentOrganisations } from "./document.rules.ts";

/**
 * Publishing and correcting source documents (handbooks, memos, reports). A
 * document has no end: a superseded one stays as the source of what it
 * stated. One entered by mistake is removed while no record of any subgraph
 * names it as provenance (`checkDocumentRemovable`).
 */
@Resolver(() => Document)
export class DocumentWriteResolver {
  @Authorized(Scope.DataWrite)
  @Mutation(() => Document, {
    description:
      "Records a source document, e.g. a county's handbook. Needs scope `data:write` and a role for its county (a document of no county: admin). A title already used in the county for the same year: BAD_USER_INPUT `input.title`.",
  })
  async createDocument(
    @Arg("input", () => CreateDocumentInput, { description: "The document." }) input: CreateDocumentInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Document> {
    assertCanWriteCounty(viewer, input.countyCode ?? null);
    return await em.transactional(async (tx) => {
      await checkDocument(tx as EntityManager, input, null, viewer);
      const document = tx.create(Document, {
        id: `doc-${randomUUID()}`,
        title: input.title.trim(),
        kind: input.kind,
        publisherName: input.publisherName.trim(),
        publisherId: input.publisherId ?? null,
        publishedOn: input.publishedOn ?? null,
        publishedPeriod: input.publishedPeriod ?? null,
        publishedYear: input.publishedYear ?? null,
        language: input.language ?? "fi",
        url: input.url ?? null,
        countyCode: input.countyCode ?? null,
        description: input.description ?? null,
      });
      await writeDocumentOrganisations(tx as EntityManager, document, null, input.organisationIds ?? []);
      await writeProvenance(tx as EntityManager, "Document", document.id, input.provenance);
      return document;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => Document, {
    description: "Corrects a source document. Needs scope `data:write` and a role for its county, before and after the change.",
  })
  async updateDocument(
    @Arg("id", () => ID, { description: "Id of the document." }) id: string,
    @Arg("input", () => UpdateDocumentInput, { description: "The changes." }) input: UpdateDocumentInput,
    @Ctx() { em, viewer }: Context,
  ): Promise<Document> {
    for (const field of ["title", "kind", "publisherName", "language"] as const) {
      if (input[field] === null) throw new BadUserInputError(`input.${field}`, "must not be null");
    }
    return await em.transactional(async (tx) => {
      const document = await tx.findOne(Document, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!document) throw new NotFoundError("Document", id);
      assertCanWriteCounty(viewer, document.countyCode);
      if (input.countyCode !== undefined) assertCanWriteCounty(viewer, input.countyCode ?? null);
      await checkDocument(tx as EntityManager, input, document, viewer);
      if (input.title) document.title = input.title.trim();
      if (input.kind) document.kind = input.kind;
      if (input.publisherName) document.publisherName = input.publisherName.trim();
      if (input.language) document.language = input.language;
      if (input.publisherId !== undefined) document.publisherId = input.publisherId;
      if (input.publishedOn !== undefined) document.publishedOn = input.publishedOn;
      if (input.publishedPeriod !== undefined) document.publishedPeriod = input.publishedPeriod;
      if (input.publishedYear !== undefined) document.publishedYear = input.publishedYear;
      if (input.url !== undefined) document.url = input.url;
      if (input.countyCode !== undefined) document.countyCode = input.countyCode;
      if (input.description !== undefined) document.description = input.description;
      if (input.organisationIds !== undefined) {
        await writeDocumentOrganisations(tx as EntityManager, document, await documentOrganisations(tx as EntityManager, document.id), input.organisationIds ?? []);
      }
      await tx.flush();
      await writeProvenance(tx as EntityManager, "Document", document.id, input.provenance);
      return document;
    });
  }

  @Authorized(Scope.DataWrite)
  @Mutation(() => ID, {
    description:
      "Removes a document entered by mistake, with what it concerns and its own provenance; returns its id. Refused (BAD_USER_INPUT `id`, naming them) while a record of any subgraph names it as its provenance. Needs scope `data:write` and a role for its county (a document of no county: admin).",
  })
  async removeDocument(
    @Arg("id", () => ID, { description: "Id of the document." }) id: string,
    @Ctx() { em, viewer, references }: Context,
  ): Promise<string> {
    return await em.transactional(async (tx) => {
      const document = await tx.findOne(Document, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!document) throw new BadUserInputError("id", `no document "${id}"`);
      assertCanWriteCounty(viewer, document.countyCode);
      await checkDocumentRemovable(tx as EntityManager, document, references);
      const source = await tx.findOne(RecordSource, { recordType: "Document", recordId: document.id });
      if (source) tx.remove(source);
      // Its organisations in its DELETE, as its writes audit them: a `knownAt` read brings them back with it.
      auditAlongside(tx, document, { before: { organisationIds: await documentOrganisations(tx as EntityManager, document.id) }, after: { organisationIds: [] } });
      tx.remove(document);
      await tx.flush();
      await tx.nativeDelete(DocumentSubject, { documentId: document.id });
      return document.id;
    });
  }
}
