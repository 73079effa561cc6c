import type { EntityManager } from "@mikro-orm/postgresql";
import { auditAlongside, BadUserInputError, RecordSource, type ReferenceChecker, uniqueRuleError, type Viewer } from "@yhdyspinta/core";
import { checkOwnReferences } from "../county-scope.rules.ts";
import { checkWellbeingCounty } from "../county/county.rules.ts";
import { resolveOrganisationId } from "../organisation/organisation-keys.ts";
import { Organisation } from "../organisation/organisation.entity.ts";
import { Document, DocumentSubject, DocumentSubjectType } from "./document.entity.ts";
import type { UpdateDocumentInput } from "./document.input.ts";

/**
 * The rules of a source document written by a coordinator: its county is a
 * wellbeing services county the caller may write (a document of no county:
 * admin), its publisher and the organisations it concerns exist and are of
 * counties the caller may refer to (the county-scope rule), `publishedYear`
 * agrees with `publishedOn`, and its title is unique in its county and year
 * (`document_title_unique`, letter case aside).
 */

/** The organisation a document names, as the record that stays (a merged duplicate reads its survivor). */
async function organisationNamed(tx: EntityManager, id: string, field: string, viewer: Viewer): Promise<Organisation> {
  let organisation = await tx.findOne(Organisation, { id: resolveOrganisationId(id) });
  if (organisation?.mergedInto) organisation = await tx.findOne(Organisation, { id: organisation.mergedInto });
  if (!organisation) throw new BadUserInputError(field, `no organisation "${id}"`);
  checkOwnReferences(viewer, [{ field, type: "Organisation", key: organisation.id, countyCode: organisation.countyCode }]);
  return organisation;
}

/**
 * Checks a new (`current` null) or changed document's references and rules
 * in the writing transaction, replacing `input.publisherId` and
 * `input.organisationIds` by the ids of the records that stay (duplicates
 * dropped). Throws BAD_USER_INPUT naming the field, FORBIDDEN for a
 * reference out of the caller's counties.
 */
export async function checkDocument(tx: EntityManager, input: UpdateDocumentInput, current: Document | null, viewer: Viewer): Promise<void> {
  if (input.countyCode) await checkWellbeingCounty(tx, input.countyCode, "input.countyCode");
  if (input.publisherId) input.publisherId = (await organisationNamed(tx, input.publisherId, "input.publisherId", viewer)).id;
  if (input.organisationIds) {
    const ids: string[] = [];
    for (const id of input.organisationIds) ids.push((await organisationNamed(tx, id, "input.organisationIds", viewer)).id);
    input.organisationIds = [...new Set(ids)];
  }
  const publishedOn = input.publishedOn !== undefined ? input.publishedOn : (current?.publishedOn ?? null);
  if (input.publishedYear === undefined && input.publishedOn) input.publishedYear = Number(input.publishedOn.slice(0, 4));
  const publishedYear = input.publishedYear !== undefined ? input.publishedYear : (current?.publishedYear ?? null);
  if (publishedOn && publishedYear !== null && publishedYear !== Number(publishedOn.slice(0, 4))) {
    throw new BadUserInputError("input.publishedYear", `must be the year of publishedOn (${publishedOn})`);
  }
  const title = (input.title ?? current?.title ?? "").trim();
  const countyCode = input.countyCode !== undefined ? input.countyCode : (current?.countyCode ?? null);
  const same = (await tx.find(Document, { countyCode, publishedYear })).find((d) => d.id !== current?.id && d.title.trim().toLowerCase() === title.toLowerCase());
  if (same) throw uniqueRuleError("document_title_unique", `document ${same.id}`);
}

/** The organisations a document concerns, sorted (read in the writing transaction). */
export async function documentOrganisations(tx: EntityManager, documentId: string): Promise<string[]> {
  const rows = await tx.find(DocumentSubject, { documentId, subjectType: DocumentSubjectType.ORGANISATION }, { orderBy: { subjectId: "asc" } });
  return rows.map((r) => r.subjectId);
}

/**
 * Replaces the organisations a document concerns (its other subjects stay),
 * audited as the document's field `organisationIds` in the change of the
 * write (call before its flush; `before` null for a new document).
 */
export async function writeDocumentOrganisations(tx: EntityManager, document: Document, before: string[] | null, ids: readonly string[]): Promise<void> {
  const after = [...new Set(ids)].sort();
  auditAlongside(tx, document, { before: { organisationIds: before ?? [] }, after: { organisationIds: after } });
  await tx.flush();
  await tx.nativeDelete(DocumentSubject, { documentId: document.id, subjectType: DocumentSubjectType.ORGANISATION });
  if (after.length) {
    await tx.insertMany(DocumentSubject, after.map((subjectId) => ({ documentId: document.id, subjectType: DocumentSubjectType.ORGANISATION, subjectId })));
  }
}

/**
 * A document entered by mistake may be removed only while no record names it
 * as its provenance (`record_source.document_id`): this subgraph's (other
 * than the document's own provenance row) and, asked through their
 * `Document.…ProvenanceReferrers`, the groups and planning subgraphs'.
 * BAD_USER_INPUT naming `id` with the records that do. A record given the
 * document as its source in another subgraph after that answer and before
 * the removal commits is not seen (no distributed lock).
 */
export async function checkDocumentRemovable(tx: EntityManager, document: Document, references: ReferenceChecker): Promise<void> {
  const naming = await tx.find(RecordSource, { documentId: document.id, $not: { recordType: "Document", recordId: document.id } }, { orderBy: { recordType: "asc", recordId: "asc" }, limit: 5 });
  const elsewhere = references.referrers
    ? (
        await Promise.all([
          references.referrers("groups", "Document", document.id, "groupsProvenanceReferrers"),
          references.referrers("planning", "Document", document.id, "planningProvenanceReferrers"),
        ])
      ).flat()
    : [];
  const all = [...naming.map((r) => `${r.recordType} "${r.recordId}"`), ...elsewhere];
  if (all.length > 0) throw new BadUserInputError("id", `document "${document.id}" is the provenance of ${all.join(", ")}; change their provenance first`);
}
