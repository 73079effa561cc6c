import { type Constructor, DefaultLogger, type LogContext, type LoggerNamespace, type LoggerOptions, type MigrationObject } from "@mikro-orm/core";
import { Migrator } from "@mikro-orm/migrations";
import { MikroORM } from "@mikro-orm/postgresql";
import type { Migration } from "@mikro-orm/migrations";
import { ReflectMetadataProvider } from "@mikro-orm/decorators/legacy";
import pg from "pg";
import { ChangeRecord } from "./audit/entity.ts";
import { AuditSubscriber } from "./audit/record.ts";
import { CHANGE_OUTBOX_TABLE } from "./change-feed.ts";
import { logger } from "./logger.ts";
import { useFastTextArrays } from "./pg-arrays.ts";
import { recordStatement } from "./statement-log.ts";

export type Orm = MikroORM;

export interface OrmOptions {
  /** URL of this service's own database. */
  databaseUrl: string;
  /**
   * A read-only copy of it (a PostgreSQL streaming replica): MikroORM's
   * `replicas`, so finds outside a transaction and `getConnection("read")`
   * use it while flushes and transactions stay on the primary.
   */
  readDatabaseUrl?: string | undefined;
  entities: Constructor[];
  migrations: (MigrationObject | Constructor<Migration>)[];
  /** Pool size per process. */
  poolMax?: number;
  /**
   * Table that records applied migrations. Each service names its own, so
   * that services can share one database when a deployment wants that (the
   * benchmark's single-query reference reads all tables from one database).
   */
  migrationsTable?: string;
  /** Server-side bound of one statement (PostgreSQL `statement_timeout`). */
  statementTimeoutMs?: number;
  /** Longest wait for a pooled connection (pg `connectionTimeoutMillis`). */
  acquireTimeoutMs?: number;
}

/** Defaults below the gateway's subgraph fetch timeout (10 s), so a slow statement fails in its subgraph first. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 8_000;
export const DEFAULT_ACQUIRE_TIMEOUT_MS = 5_000;

/**
 * Logger that counts every SQL statement the ORM sends and keeps the last
 * ones' text (for the N+1 and column guards in tests and the `/debug/stats`
 * endpoint) and prints nothing: query parameters may hold personal data, so
 * they are never logged (with `debug` off the ORM hands over the statement
 * with placeholders). What the ORM does log
 * (e.g. the migrations it applies) goes to the process's JSON log.
 */
class CountingLogger extends DefaultLogger {
  override log(namespace: LoggerNamespace | string, message: string, context?: LogContext): void {
    if (!this.isEnabled(namespace as LoggerNamespace, context)) return;
    const fields = { component: `orm:${namespace}` };
    const text = message.replace(/\s+/g, " ").trim();
    if (context?.level === "error") logger().error(fields, text);
    else if (context?.level === "warning") logger().warn(fields, text);
    else logger().info(fields, text);
  }

  override logQuery(context: LogContext): void {
    recordStatement(context.query ?? "", context.took ?? 0, context.level === "error");
    if (context.level === "error") {
      // Statement text only, never parameters.
      super.log("query", `failed: ${context.query ?? ""}`.slice(0, 500), { ...context, params: [], enabled: false });
    }
  }
}

/** Opens the ORM on a service database. Schema changes come only from migrations. */
export async function createOrm(options: OrmOptions): Promise<Orm> {
  return await MikroORM.init({
    clientUrl: options.databaseUrl,
    ...(options.readDatabaseUrl ? { replicas: [{ name: "read", clientUrl: options.readDatabaseUrl }], preferReadReplicas: true } : {}),
    // Every service keeps an audit trail of its own records (see audit/).
    entities: options.entities.includes(ChangeRecord) ? options.entities : [...options.entities, ChangeRecord],
    subscribers: [new AuditSubscriber()],
    // The change feed's outbox and its trigger are SQL of the migrations, not entities (see change-feed.ts).
    // So are the webhook tables (organisations' webhook.queries.ts): their writes must not be audited into the feed they deliver,
    // and the scrub outbox (organisations' scrub.queries.ts): it holds an erased person's values until delivered, which no change may record.
    schemaGenerator: { skipTables: [CHANGE_OUTBOX_TABLE, "webhook_endpoint", "webhook_dead_letter", "personal_data_scrub"], ignoreTriggers: true, ignoreRoutines: true },
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    migrations: {
      migrationsList: options.migrations,
      tableName: options.migrationsTable ?? "mikro_orm_migrations",
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
    pool: { min: 0, max: options.poolMax ?? 10 },
    // Passed to pg's Pool: PostgreSQL cancels a statement running longer than
    // statement_timeout; query_timeout bounds the wait on the client side too
    // (a server that does not answer at all); connectionTimeoutMillis bounds
    // acquiring a connection.
    driverOptions: {
      statement_timeout: options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      query_timeout: (options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS) + 1_000,
      connectionTimeoutMillis: options.acquireTimeoutMs ?? DEFAULT_ACQUIRE_TIMEOUT_MS,
      // Text arrays (the entities' id lists) parsed without pg's per-character parser (pg-arrays.ts).
      onPoolCreated: useFastTextArrays,
    },
    debug: false,
    loggerFactory: (loggerOptions: LoggerOptions) => new CountingLogger(loggerOptions),
    // Every request forks its own EntityManager; using the global one is a bug.
    allowGlobalContext: false,
    ensureDatabase: false,
    discovery: { warnWhenNoEntities: true },
  });
}

/** Applies pending committed migrations. Never syncs or drops the schema. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

/**
 * Runs `task` while holding a PostgreSQL session-level advisory lock named
 * `name` on the database of `url`, so concurrent processes (replicas starting
 * at the same moment, a migration job) run it one at a time. The lock lives
 * on a connection of its own and ends with it, also if the process dies.
 */
export async function withAdvisoryLock<T>(url: string, name: string, task: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(hashtext($1))", [name]);
    try {
      return await task();
    } finally {
      await client.query("select pg_advisory_unlock(hashtext($1))", [name]);
    }
  } finally {
    await client.end();
  }
}

/** Replaces the database name in a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || "postgres";
}

/** Creates the database named in `url` if it does not exist, connecting through `postgres`. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`create database ${client.escapeIdentifier(name)}`);
      } catch (error) {
        // Another process may have created it at the same moment: PostgreSQL
        // reports that as duplicate_database or as a unique violation on pg_database.
        const code = (error as { code?: string }).code;
        if (code !== "42P04" && code !== "23505") throw error;
      }
    }
  } finally {
    await client.end();
  }
}
