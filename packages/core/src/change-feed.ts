import type { EntityManager } from "@mikro-orm/postgresql";
import { Arg, Ctx, Directive, Field, ID, Int, ObjectType, Query, Resolver, getMetadataStorage } from "type-graphql";
import { type ChangeOperation, ChangeRecord } from "./audit/entity.ts";
import { InstantScalar } from "./scalars/index.ts";
import type { ChangeRow } from "./audit/changes-field.ts";
import { ViewerRole, type Viewer } from "./auth.ts";
import type { BaseContext } from "./context.ts";
import { BadUserInputError, ForbiddenError } from "./errors.ts";
import { pageSize } from "./pagination.ts";

/**
 * The change feed of a subgraph: a transactional outbox over its audit trail.
 *
 * Every `change_record` row gets, when its transaction commits, a row in
 * `change_outbox` with a commit sequence number (`seq`). The number is taken
 * by a deferred constraint trigger (so at commit time, after every statement
 * of the transaction) under a transaction-scoped advisory lock that is held
 * until the commit is visible: sequence order is commit order, and a reader
 * that sees `seq` N sees every committed row below N. A reader paging by
 * `seq > position` therefore never skips a row that commits later with a lower
 * number (the gap a plain bigserial would leave), whatever the replica or
 * restart: the position is a number in the subgraph's own database.
 * Aborted transactions leave gaps in the numbers, never rows.
 *
 * The same trigger sends `pg_notify('change_feed', '<seq>')`, delivered by
 * PostgreSQL at commit, so webhook, SSE and cache readers can LISTEN instead
 * of polling. Deletions and erasures are `DELETE` changes (tombstones: the
 * last values, `after` null) like any other.
 *
 * The cost: audited commits of one database are serialised for the moment
 * between their last statement and their commit (one insert and the commit
 * itself); other work is not.
 */

/** Channel of the commit notifications; the payload is the new `seq`. */
export const CHANGE_FEED_CHANNEL = "change_feed";

/** The outbox table: maintained by SQL (migrations and a trigger), left alone by the ORM's schema generator. */
export const CHANGE_OUTBOX_TABLE = "change_outbox";

/** Key of the advisory lock that orders the outbox's commits (an arbitrary constant: "yhdyspinta change feed"). */
const OUTBOX_LOCK_KEY = 7_261_127_027;

/**
 * SQL of the outbox (each subgraph's migration runs it once after the audit
 * table). Idempotent, because the benchmark runs all three subgraphs on one
 * database.
 */
export const CHANGE_OUTBOX_DDL = [
  `create sequence if not exists "change_outbox_seq";`,
  `create table if not exists "change_outbox" ("seq" bigint not null, "change_id" varchar(255) not null, "committed_at" timestamptz not null default clock_timestamp(), primary key ("seq"));`,
  `create or replace function "change_outbox_append"() returns trigger language plpgsql as $$
declare
  next_seq bigint;
begin
  -- Held until the commit is visible: the numbers are handed out in commit order.
  perform pg_advisory_xact_lock(${OUTBOX_LOCK_KEY});
  next_seq := nextval('change_outbox_seq');
  insert into change_outbox (seq, change_id) values (next_seq, new.id);
  perform pg_notify('${CHANGE_FEED_CHANNEL}', next_seq::text);
  return null;
end
$$;`,
  `do $$ begin
  if not exists (select 1 from pg_trigger where tgname = 'change_outbox_append' and tgrelid = 'change_record'::regclass) then
    create constraint trigger "change_outbox_append" after insert on "change_record" deferrable initially deferred for each row execute function "change_outbox_append"();
  end if;
end $$;`,
];

/** SQL that undoes `CHANGE_OUTBOX_DDL` (a migration's `down`). */
export const CHANGE_OUTBOX_DROP = [
  `drop trigger if exists "change_outbox_append" on "change_record";`,
  `drop function if exists "change_outbox_append"();`,
  `drop table if exists "change_outbox";`,
  `drop sequence if exists "change_outbox_seq";`,
];

/** SQL of the county of a change from its recorded values (`c` is the change_record row). */
export type CountySql = string;

/** The record's own `countyCode` (before or after the change). */
export const ownCounty: CountySql = `coalesce(c.after->>'countyCode', c.before->>'countyCode')`;

/** The county of the record a field of the change points at, e.g. `countyVia("cooperation_group", "groupId")`. */
export function countyVia(table: string, field: string): CountySql {
  if (!/^[a-z_]+$/.test(table) || !/^[A-Za-z]+$/.test(field)) throw new Error(`countyVia: bad table or field ${table}.${field}`);
  return `(select x.county_code from "${table}" x where x.id = coalesce(c.after->>'${field}', c.before->>'${field}'))`;
}

@ObjectType("ChangeEvent", { description: "One committed change in a subgraph's change feed." })
@Directive("@shareable")
// The feed is for coordinators and admins: out of the public contract.
@Directive('@tag(name: "internal")')
export class ChangeEvent {
  @Field(() => String, { description: "Position of the change in its subgraph's feed (commit order); pass it as `after` to resume behind it." })
  position!: string;

  @Field(() => String, { description: "Subgraph whose feed this is: groups, organisations or planning." })
  subgraph!: string;

  @Field(() => InstantScalar, { description: "When the change's transaction committed." })
  committedAt!: Date;

  @Field(() => ID, { nullable: true, description: "County the changed record belongs to; null for records of no county (admin only)." })
  countyCode!: string | null;

  @Field(() => ChangeRecord, { description: "The change: record type and id, operation (DELETE is a tombstone), actor, values before and after with contact fields masked." })
  change!: ChangeRecord;
}

@ObjectType("ChangeEventPage", { description: "A page of a subgraph's change feed, in commit order." })
@Directive("@shareable")
// The feed is for coordinators and admins: out of the public contract.
@Directive('@tag(name: "internal")')
export class ChangeEventPage {
  @Field(() => [ChangeEvent])
  events!: ChangeEvent[];

  @Field(() => String, { description: "Position after this page: the last event's, or `after` when the page is empty." })
  position!: string;

  @Field(() => Boolean, { description: "Whether more committed changes follow this page." })
  hasMore!: boolean;
}

interface FeedRow extends ChangeRow {
  seq: string;
  committed_at: string;
  county_code: string | null;
}

export interface ChangeFeedSource {
  /** Name of the subgraph (the gateway's key for its position). */
  subgraph: string;
  /** County of each audited type; types not named use `ownCounty`. */
  counties: Record<string, CountySql>;
}

/** The counties a caller reads the feed of: null for all (admin); otherwise FORBIDDEN like `changes`. */
export function feedCounties(viewer: Viewer, asked: readonly string[] | null): string[] | null {
  if (viewer.subject && viewer.role === ViewerRole.Admin) return asked ? [...asked] : null;
  if (viewer.subject && viewer.role === ViewerRole.Coordinator) {
    const outside = (asked ?? []).filter((code) => !viewer.counties.has(code));
    if (outside.length > 0) {
      const error = new ForbiddenError(`Not authorised to read the change feed of county ${outside.join(", ")}: role coordinator of counties [${[...viewer.counties].join(", ")}]`);
      error.extensions["county"] = outside[0];
      throw error;
    }
    return asked ? [...asked] : [...viewer.counties];
  }
  throw new ForbiddenError(`Not authorised to read the change feed: only an admin, or a coordinator of its counties, reads it (${viewer.role ? `role ${viewer.role}` : "a caller without a role"})`);
}

function typeNameOf(target: Function): string {
  return getMetadataStorage().objectTypes.find((o) => o.target === target)?.name ?? target.name;
}

/** GraphQL type names of the entities the subgraph's ORM maps (its audited types), and the types named in `counties`. */
const ownedTypesCache = new WeakMap<object, ReadonlySet<string>>();
function ownedTypes(em: EntityManager, source: ChangeFeedSource): ReadonlySet<string> {
  const metadata = em.getMetadata();
  let owned = ownedTypesCache.get(metadata);
  if (!owned) {
    const classes = [...metadata.getAll().values()].map((meta) => meta.class as Function | undefined).filter((c): c is Function => typeof c === "function");
    owned = new Set([...classes.map(typeNameOf), ...Object.keys(source.counties)]);
    ownedTypesCache.set(metadata, owned);
  }
  return owned;
}

/** A feed position: a non-negative integer as text. */
export function parsePosition(value: string | null | undefined, field = "after"): string {
  if (value === null || value === undefined || value === "") return "0";
  if (!/^\d{1,18}$/.test(value)) throw new BadUserInputError(field, "is not a position of this feed (a non-negative integer)");
  return String(BigInt(value));
}

/** One page of the feed after `after`, in commit order, for the given counties (null: all). */
export async function readChangeFeed(
  em: EntityManager,
  source: ChangeFeedSource,
  args: { after: string; first: number; types: readonly string[] | null; counties: readonly string[] | null },
): Promise<ChangeEventPage> {
  // Only the changes of this subgraph's own entities: the benchmark runs every subgraph on one database.
  const owned = ownedTypes(em, source);
  const types = args.types ? [...new Set(args.types)].filter((t) => owned.has(t)) : [...owned];
  if (types.length === 0 || (args.counties && args.counties.length === 0)) return { events: [], position: args.after, hasMore: false };
  const cases = Object.entries(source.counties);
  const countyExpr = cases.length === 0 ? ownCounty : `case c.entity_type ${cases.map(([type]) => `when '${type.replace(/'/g, "")}' then ${source.counties[type]}`).join(" ")} else ${ownCounty} end`;
  const params: unknown[] = [args.after];
  let where = `o.seq > ?::bigint`;
  where += ` and c.entity_type in (${types.map(() => "?").join(", ")})`;
  params.push(...types);
  if (args.counties) {
    where += ` and ${countyExpr} in (${args.counties.map(() => "?").join(", ")})`;
    params.push(...args.counties);
  }
  params.push(args.first + 1);
  // In the outbox's key order with a limit: the page reads its rows and stops, however long the feed.
  const rows = await em.getConnection().execute<FeedRow[]>(
    `/* changeFeed */ select o.seq::text as seq, to_json(o.committed_at) #>> '{}' as committed_at, ${countyExpr} as county_code,
       c.id, to_json(c.changed_at) #>> '{}' as changed_at, c.actor_subject, c.actor_role, c.entity_type, c.entity_id, c.operation, c.before, c.after, c.changed_fields
     from change_outbox o join change_record c on c.id = o.change_id
     where ${where}
     order by o.seq limit ?`,
    params,
  );
  const page = rows.slice(0, args.first);
  const events = page.map((r) => ({
    position: r.seq,
    subgraph: source.subgraph,
    committedAt: new Date(r.committed_at),
    countyCode: r.county_code,
    change: Object.assign(new ChangeRecord(), {
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
    }),
  }));
  return { events, position: page.at(-1)?.seq ?? args.after, hasMore: rows.length > args.first };
}

/**
 * The subgraph's feed field, `<subgraph>ChangeFeed(after, first, types,
 * countyCodes)`: an admin reads every change, a coordinator those of its
 * counties. The gateway merges the three into `GET /changes` (gateway/src/change-feed).
 */
export function changeFeedResolver<C extends BaseContext>(source: ChangeFeedSource) {
  const fieldName = `${source.subgraph}ChangeFeed`;
  @Resolver()
  class ChangeFeedResolver {
    @Query(() => ChangeEventPage, {
      name: fieldName,
      description: `Changes committed in the ${source.subgraph} subgraph, in commit order, after a position (a resumable stream; deletions are DELETE tombstones; contact fields masked). For an admin, or a coordinator for its counties; the gateway's GET /changes merges every subgraph's feed.`,
    })
    async feed(
      @Arg("after", () => String, { nullable: true, description: "Position of the last change already read (default: from the start)." }) after: string | null,
      @Arg("first", () => Int, { nullable: true, description: "Page size, 1–500 (default 50)." }) first: number | null,
      @Arg("types", () => [String], { nullable: true, description: "Only changes of these record types, e.g. GroupMembership." }) types: string[] | null,
      @Arg("countyCodes", () => [ID], { nullable: true, description: "Only changes of records of these counties (a coordinator: default its own)." }) countyCodes: string[] | null,
      @Ctx() context: C,
    ): Promise<ChangeEventPage> {
      const counties = feedCounties(context.viewer, countyCodes);
      for (const type of types ?? []) if (!/^[A-Z][A-Za-z]{0,63}$/.test(type)) throw new BadUserInputError("types", `"${type.slice(0, 40)}" is not a record type name`);
      return await readChangeFeed(context.em, source, { after: parsePosition(after), first: pageSize(first), types, counties });
    }
  }
  Object.defineProperty(ChangeFeedResolver, "name", { value: `${source.subgraph}ChangeFeedResolver` });
  return ChangeFeedResolver;
}
