import { randomUUID } from "node:crypto";
import type { ChangeSet, EntityManager as CoreEntityManager, EntityMetadata, EntityProperty, EventSubscriber, FlushEventArgs, Platform } from "@mikro-orm/core";
import { ChangeSetType, JsonType } from "@mikro-orm/core";
import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root, getMetadataStorage } from "type-graphql";
import { type Viewer, ViewerRole } from "./auth.ts";
import type { BaseContext } from "./context.ts";
import { BadUserInputError, ForbiddenError } from "./errors.ts";
import { cacheKey, groupByKeys } from "./loaders.ts";
import { type Connection, connectionTypes, decodeCursor, pageSize, toConnection } from "./pagination.ts";
import { InstantScalar, JSONObjectScalar } from "./scalars/index.ts";

/**
 * Audit trail. Every change a subgraph writes through MikroORM is recorded,
 * in the same flush (and so the same transaction), in the owning service's
 * `change_record` table: who (token subject and role), when, which entity
 * (GraphQL type name and id), the operation, and the values before and after
 * with contact fields masked. Writes done with raw SQL call `recordChange`
 * in their transaction. Reads: the `changes` field of each audited type.
 */

/** Who makes the changes of a request, as carried on its EntityManager (and every fork of it). */
export interface AuditActor {
  subject: string | null;
  role: string | null;
}

/** Key of the actor in the EntityManager's logger context, which MikroORM copies into every fork and transaction. */
const ACTOR_KEY = "auditActor";

/** Forks the request's EntityManager with its caller attached: everything written through it (and its transactions) is audited as theirs. */
export function forkForViewer(em: CoreEntityManager, viewer: Viewer): EntityManager {
  const actor: AuditActor = { subject: viewer.subject, role: viewer.role };
  return em.fork({ loggerContext: { [ACTOR_KEY]: actor } }) as EntityManager;
}

/** The caller a fork carries; null outside a request (start-up seeding, migrations), whose writes are not audited. */
export function auditActorOf(em: CoreEntityManager): AuditActor | null {
  const raw = (em.getLoggerContext({ disableContextResolution: true }) as Record<string, unknown>)[ACTOR_KEY];
  if (!raw || typeof raw !== "object") return null;
  const actor = raw as Partial<AuditActor>;
  return { subject: actor.subject ?? null, role: actor.role ?? null };
}

/** Operation of a recorded change. */
export type ChangeOperation = "CREATE" | "UPDATE" | "DELETE";

/** Contact fields: never stored in the audit trail, only whether they were set. */
const CONTACT_FIELD = /(^|_)(e?mail|email|phone|mobile|puhelin|sahkoposti)$|(Email|Phone|Mobile)$/i;

/** Marker that replaces a non-empty contact value in recorded values. */
export const MASKED = "***";

export function isContactField(name: string): boolean {
  return CONTACT_FIELD.test(name);
}

/** A JSON-safe copy of recorded values, with contact fields masked. */
export function maskValues(values: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!values) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (isContactField(key)) {
      out[key] = value === null || value === "" ? value : MASKED;
      continue;
    }
    out[key] = toJson(value);
  }
  return out;
}

function toJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

/** Names of the fields whose values differ between `before` and `after` (both already masked, so a changed e-mail still shows). */
function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null, raw: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys]
    .filter((k) => JSON.stringify(toJson(raw.before?.[k] ?? null)) !== JSON.stringify(toJson(raw.after?.[k] ?? null)))
    .sort();
}

/**
 * One recorded change of a record. Each subgraph keeps the changes of its own
 * records; the GraphQL type is the same in each (a shareable value type).
 */
@Entity({ tableName: "change_record" })
@Index({ properties: ["entityType", "entityId", "changedAt"] })
@ObjectType("Change", { description: "One recorded change of a record: who, when, what, and the values before and after (contact fields masked)." })
@Directive("@shareable")
@Directive('@tag(name: "internal")')
export class ChangeRecord {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Stable identifier of the change." })
  id!: string;

  @Property({ type: "datetime" })
  @Field(() => InstantScalar, { description: "When the change was recorded (ISO 8601, UTC)." })
  changedAt!: Date;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Token subject (`sub`) of the caller who made the change." })
  actorSubject: string | null = null;

  @Property({ type: "string", nullable: true })
  @Field(() => String, { nullable: true, description: "Role of the caller: analyst, coordinator or admin; null for a token without a role." })
  actorRole: string | null = null;

  @Property({ type: "string" })
  @Field(() => String, { description: "GraphQL type of the changed record, e.g. \"GroupMembership\"." })
  entityType!: string;

  @Property({ type: "string" })
  @Field(() => ID, { description: "Id of the changed record." })
  entityId!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "CREATE, UPDATE or DELETE." })
  operation!: ChangeOperation;

  @Property({ type: "json", nullable: true })
  @Field(() => JSONObjectScalar, { nullable: true, description: "The record's fields before the change (null when created); contact fields show `***`." })
  before: Record<string, unknown> | null = null;

  @Property({ type: "json", nullable: true })
  @Field(() => JSONObjectScalar, { nullable: true, description: "The record's fields after the change (null when deleted); contact fields show `***`." })
  after: Record<string, unknown> | null = null;

  @Property({ type: "json" })
  @Field(() => [String], { description: "Names of the fields the change set or altered, contact fields included." })
  changedFields: string[] = [];
}

/**
 * SQL of the audit table (each subgraph's migration runs it once). Idempotent, because the
 * benchmark runs all three subgraphs on one database (their entity types differ).
 */
export const CHANGE_RECORD_DDL = [
  `create table if not exists "change_record" ("id" varchar(255) not null, "changed_at" timestamptz not null, "actor_subject" varchar(255) null, "actor_role" varchar(255) null, "entity_type" varchar(255) not null, "entity_id" varchar(255) not null, "operation" varchar(255) not null, "before" jsonb null, "after" jsonb null, "changed_fields" jsonb not null, primary key ("id"));`,
  `create index if not exists "change_record_entity_type_entity_id_changed_at_index" on "change_record" ("entity_type", "entity_id", "changed_at");`,
];

/** GraphQL type name of an entity class (its `@ObjectType` name), else the class name. */
const typeNames = new WeakMap<object, string>();
function graphqlTypeName(target: Function): string {
  const cached = typeNames.get(target);
  if (cached) return cached;
  const found = getMetadataStorage().objectTypes.find((o) => o.target === target);
  const name = found?.name ?? target.name;
  typeNames.set(target, name);
  return name;
}

function operationOf(type: ChangeSetType): ChangeOperation | null {
  switch (type) {
    case ChangeSetType.CREATE:
      return "CREATE";
    case ChangeSetType.UPDATE:
    case ChangeSetType.UPDATE_EARLY:
      return "UPDATE";
    case ChangeSetType.DELETE:
    case ChangeSetType.DELETE_EARLY:
      return "DELETE";
    default:
      return null;
  }
}

/**
 * Snapshot values as the application sees them: the unit of work keeps them in
 * database form (e.g. a text array as "{a,b}"), custom types convert back.
 */
function jsValues(meta: EntityMetadata<object>, data: Record<string, unknown> | null, platform: Platform): Record<string, unknown> | null {
  if (!data) return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const prop = (meta.properties as Record<string, EntityProperty<object> | undefined>)[key];
    if (prop?.customType && value !== null && value !== undefined) {
      try {
        const converted = prop.customType.convertToJSValue(value, platform);
        // A json column's snapshot is its serialised text, which PostgreSQL's driver would parse on read.
        out[key] = prop.customType instanceof JsonType && typeof converted === "string" ? JSON.parse(converted) : converted;
        continue;
      } catch {
        // keep the stored form
      }
    }
    out[key] = value;
  }
  return out;
}

/**
 * Records every change set of a flush as a `ChangeRecord` in the same flush,
 * so the rows are inserted in the same transaction as the changes they
 * describe: a failed transaction leaves neither. Registered once for every
 * service by `createOrm`; any write through the ORM on a request's
 * EntityManager is audited without further code.
 */
export class AuditSubscriber implements EventSubscriber {
  async onFlush(args: FlushEventArgs): Promise<void> {
    const actor = auditActorOf(args.em);
    if (!actor) return;
    const comparator = args.em.getComparator();
    const platform = args.em.getPlatform();
    const now = new Date();
    for (const cs of args.uow.getChangeSets() as ChangeSet<object>[]) {
      if (cs.entity instanceof ChangeRecord) continue;
      const operation = operationOf(cs.type);
      if (!operation) continue;
      // A delete's change set carries no original snapshot: the entity as loaded is the last state.
      const original = (cs.originalEntity as Record<string, unknown> | undefined) ?? (operation === "DELETE" ? (comparator.prepareEntity(cs.entity) as Record<string, unknown>) : null);
      const rawBefore = operation === "CREATE" ? null : jsValues(cs.meta, original, platform);
      const rawAfter = operation === "DELETE" ? null : jsValues(cs.meta, comparator.prepareEntity(cs.entity) as Record<string, unknown>, platform);
      const before = maskValues(rawBefore);
      const after = maskValues(rawAfter);
      const record = args.em.create(ChangeRecord, {
        id: randomUUID(),
        changedAt: now,
        actorSubject: actor.subject,
        actorRole: actor.role,
        entityType: graphqlTypeName(cs.meta.class as Function),
        entityId: cs.getSerializedPrimaryKey() ?? "",
        operation,
        before,
        after,
        changedFields: changedFields(before, after, { before: rawBefore, after: rawAfter }),
      });
      args.uow.computeChangeSet(record);
    }
  }
}

/**
 * Records a change written with raw SQL (the ORM cannot see it), in the
 * caller's transaction: pass the transaction's EntityManager. Values are
 * masked like the automatic ones; the actor is the request's caller.
 */
export async function recordChange(
  em: EntityManager,
  change: { entityType: string; entityId: string; operation: ChangeOperation; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null },
): Promise<void> {
  const actor = auditActorOf(em);
  if (!actor) return;
  const before = maskValues(change.before ?? null);
  const after = maskValues(change.after ?? null);
  const fields = changedFields(before, after, { before: change.before ?? null, after: change.after ?? null });
  await em.getConnection().execute(
    `insert into change_record (id, changed_at, actor_subject, actor_role, entity_type, entity_id, operation, before, after, changed_fields)
     values (?, now(), ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)`,
    [
      randomUUID(),
      actor.subject,
      actor.role,
      change.entityType,
      change.entityId,
      change.operation,
      before === null ? null : JSON.stringify(before),
      after === null ? null : JSON.stringify(after),
      JSON.stringify(fields),
    ],
    "run",
    em.getTransactionContext(),
  );
}

/** Who may read a record's history: an admin everywhere, a coordinator in its counties; otherwise `FORBIDDEN` naming the county. */
export function assertCanReadChanges(viewer: Viewer, countyCode: string | null): void {
  if (viewer.subject && viewer.role === ViewerRole.Admin) return;
  if (viewer.subject && viewer.role === ViewerRole.Coordinator && countyCode !== null && viewer.counties.has(countyCode)) return;
  if (viewer.role !== ViewerRole.Coordinator) {
    throw new ForbiddenError(`Not authorised to read change histories: only an admin, or a coordinator of the record's county, reads them (${viewer.role ? `role ${viewer.role}` : "a caller without a role"})`);
  }
  const what = countyCode === null ? "records of no county (admin only)" : `county ${countyCode}`;
  const error = new ForbiddenError(`Not authorised to read the change history of ${what}: role coordinator of counties [${[...viewer.counties].join(", ")}]`);
  error.extensions["county"] = countyCode;
  throw error;
}

const changeTypes = connectionTypes(ChangeRecord, "Change", "recorded change");
// The connection types appear in every subgraph: shareable like PageInfo.
Directive("@shareable")(changeTypes.ConnectionType);
Directive("@shareable")(changeTypes.EdgeType);
export const ChangeConnection = changeTypes.ConnectionType;

interface ChangeRow {
  id: string;
  changed_at: string;
  actor_subject: string | null;
  actor_role: string | null;
  entity_type: string;
  entity_id: string;
  operation: ChangeOperation;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changed_fields: string[];
}

/** The changes of one record, newest first (ties by id), a page after `after`, from `since` on. */
export async function findChanges(
  em: EntityManager,
  args: { entityType: string; entityId: string; since?: Date | null; first?: number | null; after?: string | null },
): Promise<Connection<ChangeRecord>> {
  const limit = pageSize(args.first);
  const cursor = decodeCursor(args.after, 2);
  if (cursor && Number.isNaN(Date.parse(String(cursor[0])))) throw new BadUserInputError("after", "is not a cursor issued by this API");
  const where = [`entity_type = ?`, `entity_id = ?`];
  const params: unknown[] = [args.entityType, args.entityId];
  if (args.since) {
    where.push(`changed_at >= ?`);
    params.push(args.since);
  }
  const connection = em.getConnection();
  const [rows, counted] = await Promise.all([
    connection.execute<ChangeRow[]>(
      `select id, to_json(changed_at) #>> '{}' as changed_at, actor_subject, actor_role, entity_type, entity_id, operation, before, after, changed_fields
       from change_record where ${[...where, ...(cursor ? [`(changed_at, id) < (?::timestamptz, ?)`] : [])].join(" and ")}
       order by changed_at desc, id desc limit ?`,
      [...params, ...(cursor ?? []), limit + 1],
    ),
    connection.execute<{ count: string }[]>(`select count(*) as count from change_record where ${where.join(" and ")}`, params),
  ]);
  return changeConnection(rows, limit, Number(counted[0]?.count ?? 0), cursor !== null);
}

/** A page of change rows (newest first, up to `limit + 1`) as a connection. */
function changeConnection(rows: readonly ChangeRow[], limit: number, totalCount: number, hasPrevious: boolean): Connection<ChangeRecord> {
  const cursors = new Map<ChangeRecord, [string, string]>();
  const records = rows.map((r) => {
    const record = Object.assign(new ChangeRecord(), {
      id: r.id,
      changedAt: new Date(r.changed_at),
      actorSubject: r.actor_subject,
      actorRole: r.actor_role,
      entityType: r.entity_type,
      entityId: r.entity_id,
      operation: r.operation,
      before: r.before,
      after: r.after,
      changedFields: r.changed_fields ?? [],
    });
    cursors.set(record, [r.changed_at, r.id]);
    return record;
  });
  return toConnection(records, limit, totalCount, (r) => cursors.get(r)!, hasPrevious);
}

/**
 * The first page of the changes of many records of one type in one statement:
 * each record's newest `first` changes (from `since` on) and its total count.
 * Answers in the order of `entityIds`.
 */
export async function findFirstChangesOfMany(
  em: EntityManager,
  args: { entityType: string; entityIds: readonly string[]; since?: Date | null; first?: number | null },
): Promise<Connection<ChangeRecord>[]> {
  const limit = pageSize(args.first);
  if (args.entityIds.length === 0) return [];
  const where = [`entity_type = ?`, `entity_id in (${args.entityIds.map(() => "?").join(", ")})`];
  const params: unknown[] = [args.entityType, ...args.entityIds];
  if (args.since) {
    where.push(`changed_at >= ?`);
    params.push(args.since);
  }
  const rows = await em.getConnection().execute<(ChangeRow & { total: string })[]>(
    `select id, to_json(changed_at) #>> '{}' as changed_at, actor_subject, actor_role, entity_type, entity_id, operation, before, after, changed_fields, total
     from (
       select c.*, row_number() over (partition by entity_id order by changed_at desc, id desc) as rank, count(*) over (partition by entity_id) as total
       from change_record c where ${where.join(" and ")}
     ) ranked
     where rank <= ? order by entity_id, rank`,
    [...params, limit + 1],
  );
  const byEntity = groupByKeys(args.entityIds, rows, (r) => r.entity_id);
  return byEntity.map((own) => changeConnection(own, limit, Number(own[0]?.total ?? 0), false));
}

/** Per request (its EntityManager) and arguments: one loader of the first pages of changes. */
const firstChangesLoaders = new WeakMap<object, Map<string, DataLoader<string, Connection<ChangeRecord>>>>();

function firstChangesLoader(em: EntityManager, entityType: string, since: Date | null, first: number | null): DataLoader<string, Connection<ChangeRecord>> {
  let loaders = firstChangesLoaders.get(em);
  if (!loaders) firstChangesLoaders.set(em, (loaders = new Map()));
  const key = cacheKey({ entityType, since: since?.toISOString() ?? null, first });
  let loader = loaders.get(key);
  if (!loader) {
    loader = new DataLoader((entityIds: readonly string[]) => findFirstChangesOfMany(em, { entityType, entityIds, since, first }));
    loaders.set(key, loader);
  }
  return loader;
}

/**
 * A `changes` field for one audited record type of a subgraph: its history,
 * newest first, for an admin or a coordinator of `countyOf(record)`.
 * `entityType` is the GraphQL type name the records are audited under.
 */
export function changesResolver<T extends { id: string }, C extends BaseContext>(
  type: new () => T,
  entityType: string,
  countyOf: (record: T, context: C) => Promise<string | null> | string | null,
) {
  @Resolver(() => type)
  class ChangesResolver {
    @FieldResolver(() => ChangeConnection, {
      nullable: true,
      description:
        "Recorded changes of this record, newest first (who, when, before and after; contact fields masked). For an admin, or a coordinator of the record's county; otherwise FORBIDDEN naming the county.",
    })
    async changes(
      @Root() record: T,
      @Arg("since", () => InstantScalar, { nullable: true, description: "Only changes at or after this instant (or day)." }) since: Date | null,
      @Arg("first", () => Int, { nullable: true, description: "Page size, 1–500 (default 50)." }) first: number | null,
      @Arg("after", () => String, { nullable: true, description: "Cursor of the last change of the previous page." }) after: string | null,
      @Ctx() context: C,
    ): Promise<Connection<ChangeRecord>> {
      const viewer = context.viewer;
      // Only a coordinator's answer depends on the county: an admin reads all, others none (no lookup).
      const needsCounty = viewer.subject !== null && viewer.role === ViewerRole.Coordinator;
      if (!(viewer.subject && viewer.role === ViewerRole.Admin)) assertCanReadChanges(viewer, needsCounty ? await countyOf(record, context) : null);
      // A list of records asks for each one's first page: one statement for all of them.
      if (!after) return await firstChangesLoader(context.em, entityType, since, first).load(record.id);
      return await findChanges(context.em, { entityType, entityId: record.id, since, first, after });
    }
  }
  Object.defineProperty(ChangesResolver, "name", { value: `${entityType}ChangesResolver` });
  return ChangesResolver;
}
