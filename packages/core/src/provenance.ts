import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import { IsOptional, IsUrl, Length, MaxLength } from "class-validator";
import { Directive, Field, ID, InputType, ObjectType } from "type-graphql";
import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { assertCanWriteCounty, type Viewer } from "./auth.ts";
import { BadUserInputError } from "./errors.ts";
import { findRows, orderByKeys } from "./loaders.ts";
import { DateScalar, helsinkiToday } from "./scalars/index.ts";

/**
 * Where a record comes from: the source document (an organisations-subgraph
 * `Document`, by key) or a URL, the place in it, the decision behind the
 * record where one is known, and when the record was last checked against
 * its source. Every subgraph keeps the provenance of its own records in a
 * `record_source` table keyed by record type and id; the GraphQL type is the
 * same in each (a shareable value type).
 */
@Entity({ tableName: "record_source" })
@Index({ properties: ["lastConfirmedOn"] })
@ObjectType("Provenance", {
  description:
    "Where a record comes from: source document or URL, the place in it, the decision behind it where known, and when it was last confirmed.",
})
@Directive("@shareable")
export class RecordSource {
  @PrimaryKey({ type: "string" })
  @Field(() => String, { description: "GraphQL type of the record, e.g. \"CooperationGroup\"." })
  recordType!: string;

  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Id of the record." })
  recordId!: string;

  @Property({ type: "string", nullable: true })
  @Field(() => ID, { nullable: true, description: "Key of the source `Document` (query `document(id:)`); null when the source is only a URL." })
  documentId: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "URL of the source where it has one." })
  url: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Place in the source: section or heading, e.g. \"Nimeämispyyntö\"." })
  section: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Body that made the decision behind the record, e.g. \"Hyvinvointialuejohtaja\"; null where not known." })
  decisionBody: string | null = null;

  @Property({ type: "date", nullable: true })
  @Field(() => DateScalar, { nullable: true, description: "Date of the decision; null where not known." })
  decisionDate: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Section (pykälä) of the decision or of the rule it rests on, e.g. \"hallintosääntö 31 §\"." })
  decisionSection: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Record number (diaarinumero) of the decision; null where not known." })
  decisionRecordNumber: string | null = null;

  @Property({ type: "date" })
  @Field(() => DateScalar, { description: "Day the record was last checked against its source." })
  lastConfirmedOn!: string;
}

/** One seeded record's provenance (what a seed module states; `lastConfirmedOn` defaults to the seed's check date). */
export type SourceSeed = Omit<Partial<RecordSource>, "recordType" | "recordId"> & { recordType: string; recordId: string };

/** Day the demo data was last checked against seeds 000–004. */
export const SEED_CONFIRMED_ON = "2026-11-23";

/** Key of a record for the provenance loader. */
export const recordKey = (recordType: string, recordId: string): string => `${recordType}|${recordId}`;

/** The date `months` calendar months before `today` (YYYY-MM-DD). */
export function monthsBefore(today: string, months: number): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

/**
 * SQL of the provenance table (each subgraph's migration runs it once). Idempotent, because
 * the benchmark runs all three subgraphs on one database and they share this table there
 * (record types differ per subgraph, so their rows never collide).
 */
export const RECORD_SOURCE_DDL = [
  `create table if not exists "record_source" ("record_type" varchar(255) not null, "record_id" varchar(255) not null, "document_id" varchar(255) null, "url" varchar(255) null, "section" varchar(255) null, "decision_body" varchar(255) null, "decision_date" date null, "decision_section" varchar(255) null, "decision_record_number" varchar(255) null, "last_confirmed_on" date not null, primary key ("record_type", "record_id"));`,
  `create index if not exists "record_source_last_confirmed_on_index" on "record_source" ("last_confirmed_on");`,
];

/**
 * Provenance of records by `recordKey(type, id)`: one statement per batch.
 * Pass the request's EntityManager.
 */
export function createSourceLoader(em: EntityManager): DataLoader<string, RecordSource | null> {
  return new DataLoader<string, RecordSource | null>(async (keys) => {
    const pairs = keys.map((k) => k.split("|") as [string, string]);
    const rows = await findRows(em, RecordSource, {
      recordType: { $in: [...new Set(pairs.map(([t]) => t))] },
      recordId: { $in: [...new Set(pairs.map(([, id]) => id))] },
    });
    return orderByKeys(keys, rows, (r) => recordKey(r.recordType, r.recordId));
  });
}

/** Records whose provenance was last confirmed before `months` months ago (or never: no row), oldest first. */
export async function findUnconfirmed(em: EntityManager, months: number, today = helsinkiToday()): Promise<RecordSource[]> {
  if (!Number.isInteger(months) || months < 0 || months > 1200) throw new BadUserInputError("months", "must be a whole number 0–1200");
  return await findRows(em, RecordSource, { lastConfirmedOn: { $lt: monthsBefore(today, months) } }, { lastConfirmedOn: "asc", recordType: "asc", recordId: "asc" });
}

/** Stores the seeded provenance rows that are missing (rows already present may have been re-confirmed since). */
export async function seedSources(em: EntityManager, rows: SourceSeed[]): Promise<void> {
  if (rows.length === 0) return;
  await em.upsertMany(
    RecordSource,
    rows.map((r) => ({ lastConfirmedOn: SEED_CONFIRMED_ON, documentId: null, url: null, section: null, decisionBody: null, decisionDate: null, decisionSection: null, decisionRecordNumber: null, ...r })),
    { onConflictAction: "ignore", batchSize: 500 },
  );
}

/**
 * Provenance as a write states it: every mutation that creates or edits a
 * sourced record takes an optional `provenance` of this type. Fields left out
 * keep their stored value; `lastConfirmedOn` defaults to today (Helsinki).
 */
@InputType("ProvenanceInput", { description: "Where the record comes from; fields left out keep their stored value, `lastConfirmedOn` defaults to today." })
export class ProvenanceInput {
  @Field(() => ID, { nullable: true, description: "Key of the source `Document`." })
  @IsOptional()
  @Length(1, 200)
  documentId?: string | null;

  @Field(() => String, { nullable: true, description: "URL of the source (http or https)." })
  @IsOptional()
  @MaxLength(2000)
  @IsUrl({ protocols: ["http", "https"], require_protocol: true }, { message: "must be an http(s) URL" })
  url?: string | null;

  @Field(() => String, { nullable: true, description: "Place in the source: section or heading." })
  @IsOptional()
  @Length(1, 300)
  section?: string | null;

  @Field(() => String, { nullable: true, description: "Body that made the decision behind the record." })
  @IsOptional()
  @Length(1, 300)
  decisionBody?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Date of the decision." })
  @IsOptional()
  decisionDate?: string | null;

  @Field(() => String, { nullable: true, description: "Section (pykälä) of the decision or of the rule it rests on." })
  @IsOptional()
  @Length(1, 100)
  decisionSection?: string | null;

  @Field(() => String, { nullable: true, description: "Record number (diaarinumero) of the decision." })
  @IsOptional()
  @Length(1, 100)
  decisionRecordNumber?: string | null;

  @Field(() => DateScalar, { nullable: true, description: "Day the record was checked against its source; today (Helsinki) when left out, never in the future." })
  @IsOptional()
  lastConfirmedOn?: string | null;
}

const PROVENANCE_FIELDS = ["documentId", "url", "section", "decisionBody", "decisionDate", "decisionSection", "decisionRecordNumber"] as const;

/**
 * Stores a write's provenance for a record, in the caller's transaction (pass
 * the transaction's EntityManager; the write is audited like any other). Does
 * nothing when `input` is null or undefined. `path` names the argument in
 * errors (e.g. "input.provenance").
 */
export async function writeProvenance(
  em: EntityManager,
  recordType: string,
  recordId: string,
  input: ProvenanceInput | null | undefined,
  path = "input.provenance",
  today = helsinkiToday(),
): Promise<RecordSource | null> {
  if (!input) return null;
  const confirmed = input.lastConfirmedOn ?? today;
  if (confirmed > today) throw new BadUserInputError(`${path}.lastConfirmedOn`, "must not be in the future");
  if (input.decisionDate && input.decisionDate > today) throw new BadUserInputError(`${path}.decisionDate`, "must not be in the future");
  let row = await em.findOne(RecordSource, { recordType, recordId });
  if (!row) {
    row = em.create(RecordSource, { recordType, recordId, lastConfirmedOn: confirmed });
  }
  for (const field of PROVENANCE_FIELDS) {
    const value = input[field];
    if (value !== undefined) row[field] = value;
  }
  row.lastConfirmedOn = confirmed;
  await em.flush();
  return row;
}

/**
 * Re-confirms a record's provenance on `on` (default today) without changing
 * anything else; a record without provenance gets a row with only the date.
 * Call inside the write's transaction, after checking the record exists and
 * the caller may write it.
 */
export async function confirmProvenance(em: EntityManager, recordType: string, recordId: string, on: string | null | undefined, path = "on", today = helsinkiToday()): Promise<RecordSource> {
  const day = on ?? today;
  if (day > today) throw new BadUserInputError(path, "must not be in the future");
  const row = (await writeProvenance(em, recordType, recordId, { lastConfirmedOn: day }, path, today)) as RecordSource;
  return row;
}

/**
 * How a subgraph finds the county of one of its sourced records, read in the
 * writing transaction: undefined when there is no such record, null for a
 * record of no county (only an admin may write it).
 */
export type CountyOfRecord = (tx: EntityManager, id: string) => Promise<string | null | undefined>;

/**
 * A subgraph's `confirm…Record` mutation, in the caller's transaction: the
 * type must be one of `countyOf`'s (BAD_USER_INPUT naming `recordType`), the
 * record must exist (naming `id`) and the caller may write its county
 * (FORBIDDEN); then the provenance is re-confirmed on `on`.
 */
export async function confirmSourcedRecord(
  tx: EntityManager,
  viewer: Viewer,
  countyOf: Readonly<Record<string, CountyOfRecord>>,
  recordType: string,
  id: string,
  on: string | null | undefined,
): Promise<RecordSource> {
  const county = Object.hasOwn(countyOf, recordType) ? countyOf[recordType] : undefined;
  if (!county) throw new BadUserInputError("recordType", `must be one of ${Object.keys(countyOf).join(", ")}`);
  const code = await county(tx, id);
  if (code === undefined) throw new BadUserInputError("id", `no ${recordType} "${id}"`);
  assertCanWriteCounty(viewer, code);
  return await confirmProvenance(tx, recordType, id, on);
}

/**
 * `writeProvenance` for many records of one type at once (the bulk import's
 * chunks): one read of their rows, then the same fields set on each, left
 * for the caller's next flush (which audits them) instead of a flush each.
 */
export async function stageProvenanceMany(em: EntityManager, recordType: string, recordIds: readonly string[], input: ProvenanceInput, today = helsinkiToday()): Promise<void> {
  if (recordIds.length === 0) return;
  const confirmed = input.lastConfirmedOn ?? today;
  if (confirmed > today) throw new BadUserInputError("input.provenance.lastConfirmedOn", "must not be in the future");
  if (input.decisionDate && input.decisionDate > today) throw new BadUserInputError("input.provenance.decisionDate", "must not be in the future");
  const ids = [...new Set(recordIds)];
  const rows = new Map((await em.find(RecordSource, { recordType, recordId: { $in: ids } })).map((r) => [r.recordId, r]));
  for (const recordId of ids) {
    const row = rows.get(recordId) ?? em.create(RecordSource, { recordType, recordId, lastConfirmedOn: confirmed });
    for (const field of PROVENANCE_FIELDS) {
      const value = input[field];
      if (value !== undefined) row[field] = value;
    }
    row.lastConfirmedOn = confirmed;
  }
}
