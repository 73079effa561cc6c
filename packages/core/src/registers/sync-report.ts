import { Entity, Index, PrimaryKey, Property } from "@mikro-orm/decorators/legacy";
import type { EntityManager } from "@mikro-orm/postgresql";
import { Arg, Ctx, Directive, Field, ID, Int, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { InstantScalar } from "../scalars/index.ts";
import type { BaseContext } from "../context.ts";
import { BadUserInputError } from "../errors.ts";
import { findRows } from "../loaders.ts";

/** How a sync run ended. */
export enum RegisterSyncStatus {
  SUCCEEDED = "succeeded",
  FAILED = "failed",
}

registerEnumType(RegisterSyncStatus, {
  name: "RegisterSyncStatus",
  description: "How a sync run from a public register ended.",
  valuesConfig: {
    SUCCEEDED: { description: "The register answered; its records were written (or, in a dry run, counted)." },
    FAILED: { description: "The register was down or answered nonsense: nothing was written; `failure` says why." },
  },
});

/** A record the sync refused, and why. */
@ObjectType("RegisterSyncRefusal", { description: "A record a sync refused to write, and why." })
@Directive("@shareable")
export class RegisterSyncRefusal {
  @Field(() => String, { description: "The record in the register's terms, e.g. \"indicator 127, region 999, 2023, total\"." })
  record!: string;

  @Field(() => String, { description: "Why it was refused, e.g. \"unknown Sotkanet region 999\"." })
  reason!: string;
}

/**
 * One sync run from a public register: what it changed (or would have, in a
 * dry run), what it refused and why, or why it failed. Each subgraph keeps
 * the reports of the registers it syncs; the GraphQL type is the same in each.
 */
@Entity({ tableName: "register_sync_report" })
@Index({ properties: ["register", "startedAt"] })
@ObjectType("RegisterSyncReport", { description: "One sync run from a public register: created, updated, unchanged and refused records, or why it failed." })
@Directive("@shareable")
export class RegisterSyncReport {
  @PrimaryKey({ type: "string" })
  @Field(() => ID, { description: "Identifier of the run." })
  id!: string;

  @Property({ type: "string" })
  @Field(() => String, { description: "Register, e.g. \"sotkanet\" or \"ytj\"." })
  register!: string;

  @Property({ type: "boolean" })
  @Field(() => Boolean, { description: "True for a dry run: the counts say what would have changed; nothing was written." })
  dryRun!: boolean;

  @Property({ type: "string" })
  @Field(() => RegisterSyncStatus, { description: "Whether the run succeeded or failed." })
  status!: RegisterSyncStatus;

  @Property({ type: "datetime" })
  @Field(() => InstantScalar, { description: "When the run started (ISO 8601, UTC)." })
  startedAt!: Date;

  @Property({ type: "datetime" })
  @Field(() => InstantScalar, { description: "When the run ended (ISO 8601, UTC)." })
  finishedAt!: Date;

  @Property({ type: "text" })
  @Field(() => String, { description: "Base URL of the register the run read." })
  sourceUrl!: string;

  @Property({ type: "integer" })
  @Field(() => Int, { description: "Records created." })
  created = 0;

  @Property({ type: "integer" })
  @Field(() => Int, { description: "Records updated (a revised value keeps the old one in its history)." })
  updated = 0;

  @Property({ type: "integer" })
  @Field(() => Int, { description: "Records the register gave that were already as stored." })
  unchanged = 0;

  @Property({ type: "json" })
  @Field(() => [RegisterSyncRefusal], { description: "Records refused, with reasons (at most 1000 are kept)." })
  refused: RegisterSyncRefusal[] = [];

  @Property({ type: "integer" })
  @Field(() => Int, { description: "Number of records refused (also those beyond the 1000 kept)." })
  refusedCount = 0;

  @Property({ type: "integer" })
  @Field(() => Int, { description: "HTTP requests sent to the register, retries included." })
  requests = 0;

  @Property({ type: "text", nullable: true })
  @Field(() => String, { nullable: true, description: "Why the run failed (register down, 429 storm, malformed answer); null when it succeeded." })
  failure: string | null = null;
}

/** SQL of the report table (each syncing subgraph's migration runs it once; idempotent like `record_source`). */
export const REGISTER_SYNC_REPORT_DDL = [
  `create table if not exists "register_sync_report" ("id" varchar(255) not null, "register" varchar(255) not null, "dry_run" boolean not null, "status" varchar(255) not null, "started_at" timestamptz not null, "finished_at" timestamptz not null, "source_url" text not null, "created" int not null default 0, "updated" int not null default 0, "unchanged" int not null default 0, "refused" jsonb not null, "refused_count" int not null default 0, "requests" int not null default 0, "failure" text null, primary key ("id"));`,
  `create index if not exists "register_sync_report_register_started_at_index" on "register_sync_report" ("register", "started_at");`,
];

/** The latest reports, newest first. */
export async function findSyncReports(em: EntityManager, register: string | null, limit: number): Promise<RegisterSyncReport[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new BadUserInputError("limit", "must be a whole number 1–100");
  return await findRows(em, RegisterSyncReport, register ? { register } : {}, { startedAt: "desc", id: "desc" }, { limit });
}

/**
 * A resolver class answering `<queryName>(register, limit)` from this
 * subgraph's reports. Each subgraph names its query after what it syncs
 * (two subgraphs may not resolve the same root field differently).
 */
export function syncReportsResolver(queryName: string, registers: readonly string[]): new () => object {
  @Resolver()
  class SyncReportsResolver {
    @Query(() => [RegisterSyncReport], {
      name: queryName,
      description: `Latest sync runs from the public registers this subgraph syncs (${registers.join(", ")}), newest first.`,
    })
    async reports(
      @Arg("register", () => String, { nullable: true, description: `Only this register: ${registers.join(" or ")}.` }) register: string | null | undefined,
      @Arg("limit", () => Int, { defaultValue: 20, description: "How many reports, 1–100." }) limit: number,
      @Ctx() ctx: BaseContext,
    ): Promise<RegisterSyncReport[]> {
      // An omitted nullable argument arrives as undefined, not null.
      const only = register ?? null;
      if (only !== null && !registers.includes(only)) throw new BadUserInputError("register", `must be one of ${registers.join(", ")}`);
      return await findSyncReports(ctx.em, only, limit);
    }
  }
  Object.defineProperty(SyncReportsResolver, "name", { value: `${queryName[0]!.toUpperCase()}${queryName.slice(1)}Resolver` });
  return SyncReportsResolver;
}
