import type { Constructor, MigrationObject } from "@mikro-orm/core";
import type { Migration } from "@mikro-orm/migrations";
import type { EntityManager } from "@mikro-orm/postgresql";
import { printSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLSchema } from "graphql";
import type { NonEmptyArray } from "type-graphql";
import { scopeAuthChecker } from "./auth.ts";
import { createOrm, ensureDatabase, migrate, type Orm, withAdvisoryLock } from "./database.ts";
import { readConfig, SERVICE_NAMES, type ServiceName, type SubgraphExecutorKind, subgraphUrl } from "./config.ts";
import { buildFederatedSchema, type ReferenceResolvers } from "./federation.ts";
import type { RunningHttpServer } from "./http.ts";
import { startSubgraph, type InternalRouteDeps } from "./subgraph.ts";
import type { Routes } from "./http.ts";
import type { RouterAuthOptions } from "./internal-auth.ts";
import { validateArgument } from "./validation.ts";
import { configureLogger } from "./logger.ts";
import { startTracing, stopTracing } from "./tracing.ts";
import { startProcessMetrics } from "./metrics.ts";

/** Everything that makes one subgraph service; the runner does the rest. */
export interface ServiceDefinition<Loaders, State = undefined> {
  /** Lower-case service name: `organisations`, `groups`, `planning` (its port and URLs come from the config module). */
  name: ServiceName;
  entities: Constructor[];
  migrations: (MigrationObject | Constructor<Migration>)[];
  resolvers: NonEmptyArray<Function>;
  orphanedTypes?: Function[];
  references: ReferenceResolvers;
  /** Loads the demo data; must be idempotent (it runs at every start). */
  seed?: (em: EntityManager) => Promise<void>;
  /** Reads, once at start-up, what the loaders need (e.g. reference years). */
  prepare?: (em: EntityManager) => Promise<State>;
  createLoaders: (em: EntityManager, state: State) => Loaders;
  /**
   * Work the service runs beside its HTTP server (e.g. the organisations
   * subgraph's webhook delivery), started once the server listens and
   * stopped before it closes.
   */
  background?: (context: BackgroundContext) => Promise<{ stop(): Promise<void> }>;
  /** Internal HTTP routes next to GraphQL (guarded by the gateway's signature), e.g. the bulk import's. */
  internalRoutes?: (deps: InternalRouteDeps) => Routes;
}

/** What a service's `background` work gets. */
export interface BackgroundContext {
  orm: Orm;
  databaseUrl: string;
  /** Every subgraph's URL by service name (this one's included when known). */
  subgraphUrls: Readonly<Record<string, string>>;
  internalAuthSecret: string | undefined;
}

export interface ServiceOptions {
  databaseUrl: string;
  /**
   * Optional read-only copy of the database (`<NAME>_READ_DATABASE_URL`, a
   * PostgreSQL streaming replica): queries' loaders and lists read from it;
   * mutations (their writes and their own re-reads) and migrations use the primary.
   */
  readDatabaseUrl?: string | undefined;
  port: number;
  host?: string;
  seed?: boolean;
  internalAuthSecret?: string | undefined;
  /** Routers other than ours (see `RouterAuthOptions`). */
  router?: RouterAuthOptions | undefined;
  debugStats?: boolean;
  /** How operations are executed (default `jit`). */
  executor?: SubgraphExecutorKind;
  /** Serve introspection (default true). */
  introspection?: boolean;
  /** Create the database if it is missing (default true). */
  createDatabase?: boolean;
  /** Other subgraphs' URLs by service name (references are checked against them on write). */
  subgraphUrls?: Readonly<Record<string, string>>;
  /** PostgreSQL statement_timeout of the service's connections (default 8 s). */
  statementTimeoutMs?: number;
  /** Longest wait for a pooled database connection (default 5 s). */
  acquireTimeoutMs?: number;
  /**
   * Apply pending migrations (and the seed) at start (default true). A
   * deployment that runs them in a separate job starts replicas with false.
   */
  migrate?: boolean;
  /** Receives one line per start-up step (migrations, seed). */
  progress?: (line: string) => void;
}

function elapsed(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

export interface RunningService extends RunningHttpServer {
  orm: Orm;
}

/** The subgraph schema of a service, built without a database. */
export async function buildServiceSchema<L, S>(definition: ServiceDefinition<L, S>): Promise<GraphQLSchema> {
  return await buildFederatedSchema(
    {
      resolvers: definition.resolvers,
      ...(definition.orphanedTypes ? { orphanedTypes: definition.orphanedTypes } : {}),
      authChecker: scopeAuthChecker,
      authMode: "error",
      // One validation path for every service: the input classes' class-validator
      // rules, failures named by their full argument path (`input.businessId`).
      validateFn: validateArgument,
    },
    definition.references,
  );
}

/** The SDL the service publishes (what `_service { sdl }` answers). */
export async function serviceSdl<L, S>(definition: ServiceDefinition<L, S>): Promise<string> {
  return printSubgraphSchema(await buildServiceSchema(definition));
}

/** The advisory lock every service's migrations and seed run under, one per database. */
const MIGRATION_LOCK = "yhdyspinta:migrate";

/** Opens the database (creating it if needed), migrates, optionally seeds. */
export async function openServiceDatabase<L, S>(
  definition: ServiceDefinition<L, S>,
  options: Pick<ServiceOptions, "databaseUrl" | "seed" | "createDatabase" | "migrate" | "statementTimeoutMs" | "acquireTimeoutMs" | "progress">,
): Promise<Orm> {
  if (options.createDatabase !== false) await ensureDatabase(options.databaseUrl);
  const orm = await createOrm({
    databaseUrl: options.databaseUrl,
    entities: definition.entities,
    migrations: definition.migrations,
    migrationsTable: `migrations_${definition.name}`,
    ...(options.statementTimeoutMs ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
    ...(options.acquireTimeoutMs ? { acquireTimeoutMs: options.acquireTimeoutMs } : {}),
  });
  try {
    if (options.migrate !== false) {
      // Any number of replicas may start at once: one migrates and seeds while
      // the others wait on the lock, then find nothing left to do. One lock per
      // database (PostgreSQL scopes advisory locks to the database), not per
      // service: services sharing a database (the benchmark's) share tables such
      // as record_source, whose `create table if not exists` is not safe
      // against a concurrent create.
      await withAdvisoryLock(options.databaseUrl, MIGRATION_LOCK, async () => {
        let began = performance.now();
        const applied = await migrate(orm);
        options.progress?.(`migrations: ${applied.length} applied (${elapsed(began)})`);
        if (options.seed && definition.seed) {
          began = performance.now();
          const em = orm.em.fork();
          await em.transactional(async (tx) => {
            await definition.seed?.(tx as EntityManager);
          });
          options.progress?.(`demo data seeded (${elapsed(began)})`);
        }
      });
    }
  } catch (error) {
    await orm.close();
    throw error;
  }
  return orm;
}

/** Starts a service: database, migrations, seed, schema, HTTP. */
export async function startService<L, S>(definition: ServiceDefinition<L, S>, options: ServiceOptions): Promise<RunningService> {
  const orm = await openServiceDatabase(definition, options);
  let readOrm: Orm | undefined;
  try {
    const state = definition.prepare ? await definition.prepare(orm.em.fork() as EntityManager) : (undefined as S);
    const schema = await buildServiceSchema(definition);
    readOrm = options.readDatabaseUrl
      ? await createOrm({
          databaseUrl: options.databaseUrl,
          readDatabaseUrl: options.readDatabaseUrl,
          entities: definition.entities,
          migrations: definition.migrations,
          migrationsTable: `migrations_${definition.name}`,
          ...(options.statementTimeoutMs ? { statementTimeoutMs: options.statementTimeoutMs } : {}),
          ...(options.acquireTimeoutMs ? { acquireTimeoutMs: options.acquireTimeoutMs } : {}),
        })
      : undefined;
    const server = await startSubgraph<L>({
      name: definition.name,
      schema,
      orm,
      ...(readOrm ? { readOrm } : {}),
      createLoaders: (em) => definition.createLoaders(em, state),
      port: options.port,
      ...(options.host ? { host: options.host } : {}),
      internalAuthSecret: options.internalAuthSecret,
      router: options.router,
      debugStats: options.debugStats ?? false,
      executor: options.executor ?? "jit",
      ...(options.subgraphUrls ? { subgraphUrls: options.subgraphUrls } : {}),
      introspection: options.introspection ?? true,
      ...(definition.internalRoutes ? { internalRoutes: definition.internalRoutes } : {}),
    });
    const background = definition.background
      ? await definition.background({ orm, databaseUrl: options.databaseUrl, subgraphUrls: { ...options.subgraphUrls, [definition.name]: server.url }, internalAuthSecret: options.internalAuthSecret })
      : undefined;
    return {
      ...server,
      orm,
      async stop() {
        await background?.stop();
        await server.stop();
        await readOrm?.close();
        await orm.close();
      },
    };
  } catch (error) {
    await readOrm?.close();
    await orm.close();
    throw error;
  }
}

/**
 * A service process (see runServiceCli): reads the environment, then either
 * applies migrations and exits (`migrate`) or starts and stops on SIGINT/SIGTERM (`serve`).
 */
export async function runServiceProcess<L, S>(
  definition: ServiceDefinition<L, S>,
  command: "serve" | "migrate" = "serve",
): Promise<void> {
  const log = configureLogger(definition.name);
  startProcessMetrics(definition.name);
  const config = readConfig();
  startTracing(definition.name, config.tracing);
  const progress = (line: string) => log.info(line);
  const databaseUrl = config.databaseUrls[definition.name];
  if (!databaseUrl) {
    log.fatal(`Set DATABASE_URL or ${definition.name.toUpperCase()}_DATABASE_URL (or start everything with \`pnpm start\`).`);
    process.exit(1);
  }
  if (command === "migrate") {
    // Apply migrations (and the seed unless SEED_DEMO_DATA=false), then exit.
    const orm = await openServiceDatabase(definition, { databaseUrl, seed: config.seedDemoData, progress });
    await orm.close();
    log.info("migrations applied");
    return;
  }
  if (!config.internalAuthSecret) {
    log.warn(
      config.routerCredentials.length > 0
        ? "INTERNAL_AUTH_SECRET is not set; only routers with a ROUTER_CREDENTIALS credential are answered, not the gateway."
        : "INTERNAL_AUTH_SECRET is not set; every GraphQL request is refused (401) until it is.",
    );
  }
  const service = await startService(definition, {
    databaseUrl,
    readDatabaseUrl: config.readDatabaseUrls[definition.name],
    port: config.ports[definition.name],
    host: config.host,
    seed: config.seedDemoData,
    internalAuthSecret: config.internalAuthSecret,
    // Other routers: the caller's token verified as the gateway verifies it (gateway/src/main.ts).
    router: {
      credentials: config.routerCredentials,
      auth: { ...config.auth, ...(config.production ? { requireExpiry: true, maxLifetimeSeconds: config.gateway.tokenMaxLifetimeSeconds } : {}) },
      allowAnonymous: config.gateway.allowAnonymous,
    },
    debugStats: config.debugStats,
    executor: config.subgraphExecutor,
    // Every other subgraph's URL (its <NAME>_URL, else its local port): a write
    // whose references cannot be checked is refused, never let through unchecked.
    subgraphUrls: Object.fromEntries(SERVICE_NAMES.map((name) => [name, subgraphUrl(config, name)])),
    introspection: config.introspection,
    ...(config.statementTimeoutMs ? { statementTimeoutMs: config.statementTimeoutMs } : {}),
    ...(config.acquireTimeoutMs ? { acquireTimeoutMs: config.acquireTimeoutMs } : {}),
    migrate: config.migrateOnStart,
    progress,
  });
  log.info({ url: service.url }, `${definition.name} subgraph ready at ${service.url}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await service.stop();
    await stopTracing();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}
