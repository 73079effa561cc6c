import { randomUUID } from "node:crypto";
import type { ChangeSet, EntityManager as CoreEntityManager, EntityMetadata, EntityName, EntityProperty, EventSubscriber, FlushEventArgs, Platform } from "@mikro-orm/core";
import { ChangeSetType, helper, JsonType } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { getMetadataStorage } from "type-graphql";
import { auditActorOf } from "./actor.ts";
import { type ChangeOperation, ChangeRecord } from "./entity.ts";
import { changedFields, maskValues, toJson } from "./masking.ts";

/** GraphQL type name of an entity class (its `@ObjectType` name), else the class name. */
const typeNames = new WeakMap<object, string>();
export function graphqlTypeName(target: Function): string {
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
 * A row read or written with raw SQL (keyed by column) as the audit trail
 * holds its entity: each column the entity maps, under its property name, as
 * the ORM's own entries are keyed, so that a `knownAt` read can rebuild the
 * whole row from it (known-at.ts). A numeric column the driver gives as text
 * (`numeric`) becomes a number; columns the entity does not map are left out.
 * For `recordChange` of a raw-SQL write: pass rows with every column.
 */
export function auditedRow(em: EntityManager, entity: EntityName<object>, row: object): Record<string, unknown> {
  const values = row as Readonly<Record<string, unknown>>;
  const meta = em.getMetadata(entity);
  const out: Record<string, unknown> = {};
  for (const prop of meta.props) {
    const column = prop.fieldNames?.length === 1 ? prop.fieldNames[0]! : undefined;
    if (!column || !(column in values)) continue;
    const value = values[column];
    out[prop.name] = prop.runtimeType === "number" && typeof value === "string" ? Number(value) : value;
  }
  return out;
}

/** Values a record's change also shows, kept outside its own columns (see `auditAlongside`). */
export interface AlongsideValues {
  /** The values as they were; for a new record, each field's empty value. */
  before: Record<string, unknown>;
  /** The values as the write leaves them; its keys are the fields the write sets. */
  after: Record<string, unknown>;
}

/**
 * Values registered for the next flush of a unit of work, per entity. Keyed by
 * the unit of work (one per request fork or transaction), so nothing outlives it.
 */
const alongside = new WeakMap<object, Map<object, AlongsideValues>>();

/**
 * Audits values a write keeps outside the entity's own columns (e.g. the lists
 * of a link table written with `insertMany`) as fields of the entity: the next
 * flush of `em` adds them to the change it records for the entity (its CREATE,
 * or the UPDATE of its own fields), or else records an UPDATE of them alone
 * (over the entity's unchanged row, so that `knownAt` can rebuild it).
 * Nothing is recorded for them when they stay the same. Call it before that
 * flush, in the transaction that writes the values.
 */
export function auditAlongside(em: CoreEntityManager, entity: object, values: AlongsideValues): void {
  const uow = em.getUnitOfWork();
  let pending = alongside.get(uow);
  if (!pending) alongside.set(uow, (pending = new Map()));
  pending.set(entity, values);
}

/** The fields of `values` whose value changes (sorted), the empty value standing in for a missing one. */
function alongsideChanged(values: AlongsideValues): string[] {
  return Object.keys(values.after)
    .filter((k) => JSON.stringify(toJson(values.before[k] ?? null)) !== JSON.stringify(toJson(values.after[k] ?? null)))
    .sort();
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
    const pending = alongside.get(args.uow);
    alongside.delete(args.uow);
    const actor = auditActorOf(args.em);
    if (!actor) return;
    const comparator = args.em.getComparator();
    const platform = args.em.getPlatform();
    const now = new Date();
    const record = (entity: object, change: Omit<ChangeRecord, "id" | "changedAt" | "actorSubject" | "actorRole" | "entityType">) => {
      const row = args.em.create(ChangeRecord, {
        id: randomUUID(),
        changedAt: now,
        actorSubject: actor.subject,
        actorRole: actor.role,
        entityType: graphqlTypeName(entity.constructor),
        ...change,
      });
      args.uow.computeChangeSet(row);
    };
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
      let fields = changedFields(before, after, { before: rawBefore, after: rawAfter });
      const extra = pending?.get(cs.entity);
      pending?.delete(cs.entity);
      const extraChanged = extra ? alongsideChanged(extra) : [];
      if (!extra || extraChanged.length === 0) {
        record(cs.entity, { entityId: cs.getSerializedPrimaryKey() ?? "", operation, before, after, changedFields: fields });
        continue;
      }
      // The values alongside: every field the write sets, in both snapshots (a new record has no `before`).
      fields = [...new Set([...fields, ...extraChanged])].sort();
      record(cs.entity, {
        entityId: cs.getSerializedPrimaryKey() ?? "",
        operation,
        before: before === null ? null : maskValues({ ...before, ...Object.fromEntries(Object.keys(extra.after).map((k) => [k, extra.before[k]])) }),
        // A DELETE leaves nothing after it: the values alongside show what it removed (in `before`).
        after: operation === "DELETE" ? null : maskValues({ ...(after ?? {}), ...extra.after }),
        changedFields: fields,
      });
    }
    // Values alongside an entity whose own fields did not change: an UPDATE of the changed ones, over
    // the entity's whole row (unchanged) as every entry holds it, so that a `knownAt` read rebuilds it.
    for (const [entity, extra] of pending ?? []) {
      const changed = alongsideChanged(extra);
      if (changed.length === 0) continue;
      const row = jsValues(helper(entity).__meta, comparator.prepareEntity(entity) as Record<string, unknown>, platform) ?? {};
      const pick = (values: Record<string, unknown>) => ({ ...row, ...Object.fromEntries(changed.map((k) => [k, values[k]])) });
      const before = pick(extra.before);
      const after = pick(extra.after);
      record(entity, {
        entityId: helper(entity).getSerializedPrimaryKey() ?? "",
        operation: "UPDATE",
        before: maskValues(before),
        after: maskValues(after),
        changedFields: changedFields(maskValues(before), maskValues(after), { before, after }),
      });
    }
  }
}

/**
 * Records a change written with raw SQL (the ORM cannot see it), in the
 * caller's transaction: pass the transaction's EntityManager. Values are
 * masked like the automatic ones; the actor is the request's caller. Pass
 * whole rows keyed by property (`auditedRow`), as the automatic ones are: a `knownAt` read
 * rebuilds a row from the `before` of its first later change (known-at.ts).
 * Returns the change's id (null outside a request: nothing is recorded).
 */
export async function recordChange(
  em: EntityManager,
  change: { entityType: string; entityId: string; operation: ChangeOperation; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null },
): Promise<string | null> {
  const actor = auditActorOf(em);
  if (!actor) return null;
  const id = randomUUID();
  const before = maskValues(change.before ?? null);
  const after = maskValues(change.after ?? null);
  const fields = changedFields(before, after, { before: change.before ?? null, after: change.after ?? null });
  await em.getConnection().execute(
    `insert into change_record (id, changed_at, actor_subject, actor_role, entity_type, entity_id, operation, before, after, changed_fields)
     values (?, now(), ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)`,
    [
      id,
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
  return id;
}
