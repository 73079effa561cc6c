import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import { Arg, Ctx, Directive, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { type Viewer, ViewerRole } from "../auth.ts";
import type { BaseContext } from "../context.ts";
import { BadUserInputError, ForbiddenError } from "../errors.ts";
import { cacheKey, groupByKeys } from "../loaders.ts";
import { type Connection, connectionTypes, decodeCursor, pageSize, toConnection } from "../pagination.ts";
import { InstantScalar } from "../scalars/index.ts";
import { type ChangeOperation, ChangeRecord } from "./entity.ts";

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

/** A `change_record` row as hand SQL reads it (also the change feed's rows). */
export interface ChangeRow {
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

/** The request's loader of the first pages of changes for one set of arguments (kept in its context's cache). */
function firstChangesLoader(context: BaseContext, entityType: string, since: Date | null, first: number | null): DataLoader<string, Connection<ChangeRecord>> {
  const em = context.em;
  const key = `changes:${cacheKey({ entityType, since: since?.toISOString() ?? null, first })}`;
  return context.cache.getOrCreate(key, () => new DataLoader((entityIds: readonly string[]) => findFirstChangesOfMany(em, { entityType, entityIds, since, first })));
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
      if (!after) return await firstChangesLoader(context, entityType, since, first).load(record.id);
      return await findChanges(context.em, { entityType, entityId: record.id, since, first, after });
    }
  }
  Object.defineProperty(ChangesResolver, "name", { value: `${entityType}ChangesResolver` });
  return ChangesResolver;
}
