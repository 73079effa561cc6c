import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { createSourceLoader, findRows, groupByKeys, orderByKeys } from "@yhdyspinta/core";
import { ContactPoint } from "../contact/contact-point.entity.ts";
import { Document, DocumentSubject, type DocumentSubjectType } from "./document.entity.ts";
import { documentsOfCounties } from "./document.queries.ts";

const documentOrder = (a: Document, b: Document) =>
  (b.publishedYear ?? 0) - (a.publishedYear ?? 0) || (a.title < b.title ? -1 : a.title > b.title ? 1 : a.id < b.id ? -1 : 1);

/** Loaders of documents, contact points and provenance (merged into the service's loaders). */
export function createDocumentLoaders(em: EntityManager) {
  const documentById = new DataLoader<string, Document | null>(async (ids) => {
    const rows = await findRows(em, Document, { id: { $in: [...ids] } });
    return orderByKeys(ids, rows, (d) => d.id);
  });
  return {
    documentById,
    /** Documents concerning a county: those of the county and those linked to it as subject. One statement per batch. */
    documentsByCounty: new DataLoader<string, Document[]>(async (codes) => {
      const docs = await documentsOfCounties(em, codes);
      return codes.map((code) => {
        const seen = new Map<string, Document>();
        for (const { key, doc } of docs) if (key === code) seen.set(doc.id, doc);
        return [...seen.values()].sort(documentOrder);
      });
    }),
    /** Documents concerning a subject, by `type|id`: two statements per batch. */
    documentsBySubject: new DataLoader<string, Document[]>(async (keys) => {
      const pairs = keys.map((k) => k.split("|") as [DocumentSubjectType, string]);
      const links = await findRows(em, DocumentSubject, {
        subjectType: { $in: [...new Set(pairs.map(([t]) => t))] },
        subjectId: { $in: [...new Set(pairs.map(([, id]) => id))] },
      });
      const docs = await documentById.loadMany([...new Set(links.map((l) => l.documentId))]);
      const byId = new Map(docs.filter((d): d is Document => d !== null && !(d instanceof Error)).map((d) => [d.id, d]));
      return groupByKeys(keys, links, (l) => `${l.subjectType}|${l.subjectId}`).map((list) =>
        list.map((l) => byId.get(l.documentId)).filter((d): d is Document => d !== undefined).sort(documentOrder),
      );
    }),
    contactPointsByOrganisation: new DataLoader<string, ContactPoint[]>(async (ids) => {
      const rows = await findRows(em, ContactPoint, { organisationId: { $in: [...ids] } }, { validFrom: "asc", id: "asc" });
      return groupByKeys(ids, rows, (c) => c.organisationId);
    }),
    sourceOf: createSourceLoader(em),
  };
}
