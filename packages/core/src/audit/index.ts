/**
 * Audit trail, by job: the stored row (`entity.ts`), masking of contact fields
 * (`masking.ts`), the caller a request's writes are audited as (`actor.ts`),
 * recording changes in the writing transaction (`record.ts`), the `changes`
 * field that reads them (`changes-field.ts`), and the per-request cache it
 * keeps its loaders in (`request-cache.ts`).
 */
export * from "./actor.ts";
export * from "./changes-field.ts";
export * from "./entity.ts";
export * from "./masking.ts";
export * from "./record.ts";
export * from "./request-cache.ts";
export * from "./known-at.ts";
