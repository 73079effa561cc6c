import { findRows, RecordSource } from "@yhdyspinta/core";
import { Ctx, Directive, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../context.ts";
import { DocumentRef } from "./references.ts";

/**
 * Which records of this subgraph name a document as their provenance
 * (`record_source.document_id`). The organisations subgraph asks it (as an
 * `_entities` read) before removing a document entered by mistake.
 */
@Resolver(() => DocumentRef)
export class DocumentReferrersResolver {
  @FieldResolver(() => [String], {
    description:
      'Records of the planning subgraph whose provenance names the document, e.g. `Area "area-…"` (at most 5); empty when none. Read by the organisations subgraph before it removes a document.',
  })
  @Directive('@tag(name: "internal")')
  async planningProvenanceReferrers(@Root() document: DocumentRef, @Ctx() { em }: Context): Promise<string[]> {
    const rows = await findRows(em, RecordSource, { documentId: document.id }, { recordType: "asc", recordId: "asc" }, { limit: 5 });
    return rows.map((r) => `${r.recordType} "${r.recordId}"`);
  }
}
