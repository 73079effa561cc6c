import type { TracingSettings } from "./tracing.ts";
import { z } from "zod";
import { booleanVar, parseEnv, portVar, postgresUrl } from "./env.ts";

/**
 * How callers' tokens are verified, in the one shape every layer passes on:
 * the config (`AUTH_*` variables), the stack's options, the gateway's options
 * and the token verifier.
 */
export interface AuthSettings {
  /** HS256 shared secret (`AUTH_JWT_SECRET`, development). */
  jwtSecret?: string | undefined;
  /** JWKS URL of the identity provider (`AUTH_JWKS_URL`, production). */
  jwksUrl?: string | undefined;
  /** Required issuer (`AUTH_ISSUER`). */
  issuer?: string | undefined;
  /** Required audience (`AUTH_AUDIENCE`). */
  audience?: string | undefined;
}

/**
 * The one place that knows every port, URL and secret of yhdyspinta and the
 * environment variable each is read from. Services, gateway, the stack
 * runner and schema composition read it; nothing else declares a port or a
 * variable of its own.
 */

/** The subgraphs, in the order the supergraph lists them. */
export const SERVICE_NAMES = ["organisations", "groups", "planning"] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
export type ProcessName = ServiceName | "gateway";
export type SubgraphExecutorKind = "jit" | "graphql-js";

/** Default ports on one machine (`pnpm start`, the published supergraph's URLs). */
export const DEFAULT_PORTS: Readonly<Record<ProcessName, number>> = {
  gateway: 4000,
  organisations: 4001,
  groups: 4002,
  planning: 4003,
};

/** How the gateway plans and runs operations (see gateway/src/gateway.ts). */
export const GATEWAY_ENGINES = ["apollo", "hive-router"] as const;
export type GatewayEngine = (typeof GATEWAY_ENGINES)[number];
export const DEFAULT_GATEWAY_ENGINE: GatewayEngine = "hive-router";

/** Production's per-client budget per window: ten operations at the gateway's `maxCost`, or some 25 loads of all six views (~780,000 together). */
export const DEFAULT_CLIENT_BUDGET = 20_000_000;
export const DEFAULT_CLIENT_WINDOW_SECONDS = 60;

/** Levels `LOG_LEVEL` takes (pino's). */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;

/**
 * `LOG_LEVEL`, for the logger, which is made before `readConfig` runs (and
 * reports its problems): read as given, default `info`; `readConfig` checks it.
 */
export function logLevel(env: NodeJS.ProcessEnv = process.env): string {
  return env["LOG_LEVEL"] ?? "info";
}

const upper = (name: ProcessName) => name.toUpperCase();
/** A boolean variable whose default depends on other settings: undefined when unset. */
const optionalBooleanVar = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === "true" || v === "1" || v === "yes"));
const secret = z.string().min(32, "must be at least 32 characters");
const positiveMs = z.coerce.number().int().min(100);

/** Every variable, its rule and its default. */
const schema = z
  .object({
    NODE_ENV: z.string().default("development"),
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    HOST: z.string().default("127.0.0.1"),
    ALLOW_INTROSPECTION: booleanVar(false),
    GATEWAY_PORT: portVar(DEFAULT_PORTS.gateway),
    ORGANISATIONS_PORT: portVar(DEFAULT_PORTS.organisations),
    GROUPS_PORT: portVar(DEFAULT_PORTS.groups),
    PLANNING_PORT: portVar(DEFAULT_PORTS.planning),
    GATEWAY_URL: z.url().optional(),
    ORGANISATIONS_URL: z.url().optional(),
    GROUPS_URL: z.url().optional(),
    PLANNING_URL: z.url().optional(),
    DATABASE_URL: postgresUrl.optional(),
    ORGANISATIONS_DATABASE_URL: postgresUrl.optional(),
    GROUPS_DATABASE_URL: postgresUrl.optional(),
    PLANNING_DATABASE_URL: postgresUrl.optional(),
    ORGANISATIONS_READ_DATABASE_URL: postgresUrl.optional(),
    GROUPS_READ_DATABASE_URL: postgresUrl.optional(),
    PLANNING_READ_DATABASE_URL: postgresUrl.optional(),
    EMBEDDED_POSTGRES_PORT: portVar(0),
    INTERNAL_AUTH_SECRET: secret.optional(),
    ROUTER_CREDENTIALS: z
      .string()
      .default("")
      .refine((v) => v.split(",").map((c) => c.trim()).filter(Boolean).every((c) => c.length >= 32), "each comma-separated credential must be at least 32 characters"),
    AUTH_JWT_SECRET: secret.optional(),
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_ISSUER: z.string().optional(),
    AUTH_AUDIENCE: z.string().optional(),
    SEED_DEMO_DATA: booleanVar(true),
    DEMO_SYNTHETIC: booleanVar(false),
    MIGRATE_ON_START: booleanVar(true),
    DEBUG_STATS: booleanVar(false),
    SUBGRAPH_EXECUTOR: z.enum(["jit", "graphql-js"]).default("jit"),
    STATEMENT_TIMEOUT_MS: positiveMs.optional(),
    DB_ACQUIRE_TIMEOUT_MS: positiveMs.optional(),
    SOTKANET_BASE_URL: z.url().default("https://sotkanet.fi/rest/1.1/"),
    YTJ_BASE_URL: z.url().default("https://avoindata.prh.fi/opendata-ytj-api/v3/"),
    STATFI_CLASSIFICATIONS_URL: z.url().default("https://data.stat.fi/api/classifications/v2/"),
    PTV_BASE_URL: z.url().default("https://api.palvelutietovaranto.suomi.fi/api/v11/"),
    HYTE_FILE: z.string().min(1).optional(),
    REGISTER_TIMEOUT_MS: positiveMs.default(30_000),
    SYNC_SCHEDULE: z.enum(["off", "hourly", "nightly", "weekly"]).default("off"),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(1).default(5_000),
    // Gateway tunables.
    ALLOW_ANONYMOUS: booleanVar(true),
    SUPERGRAPH_PATH: z.string().optional(),
    PUBLIC_SUPERGRAPH_PATH: z.string().optional(),
    TOKEN_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(60).default(24 * 60 * 60),
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    GATEWAY_ENGINE: z.enum(GATEWAY_ENGINES).default(DEFAULT_GATEWAY_ENGINE),
    GATEWAY_DEDUPE_REPRESENTATIONS: booleanVar(true),
    GATEWAY_RESPONSE_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).default(0),
    GATEWAY_RESPONSE_CACHE_MAX_MB: z.coerce.number().int().min(1).default(64),
    GATEWAY_MAX_DEPTH: z.coerce.number().int().min(1).optional(),
    GATEWAY_MAX_ALIASES: z.coerce.number().int().min(0).optional(),
    GATEWAY_MAX_TOKENS: z.coerce.number().int().min(100).optional(),
    GATEWAY_MAX_COST: z.coerce.number().int().min(1).optional(),
    GATEWAY_MAX_FIELDS: z.coerce.number().int().min(1).optional(),
    GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).optional(),
    REGISTERED_DOCUMENTS_ONLY: optionalBooleanVar,
    TRUSTED_DOCUMENTS_FILES: z.string().default(""),
    GATEWAY_CLIENT_BUDGET: z.coerce.number().int().min(0).optional(),
    GATEWAY_CLIENT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(DEFAULT_CLIENT_WINDOW_SECONDS),
    GATEWAY_CLIENT_BUDGET_BY_ROLE: z
      .string()
      .regex(/^((analyst|coordinator|admin):\d+(,(analyst|coordinator|admin):\d+)*)?$/, "role:budget,… e.g. analyst:50000000")
      .default(""),
    GATEWAY_DATABASE_URL: postgresUrl.optional(),
    WEBHOOK_DELIVERY: booleanVar(true),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).default(10_000),
    WEBHOOK_BACKOFF_MAX_MS: z.coerce.number().int().min(1).default(3_600_000),
    WEBHOOK_TIMEOUT_MS: positiveMs.default(10_000),
    WEBHOOK_FALLBACK_INTERVAL_MS: positiveMs.default(60_000),
    SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, "an smtp:// or smtps:// URL").optional(),
    SMTP_FROM: z.string().min(3).default("yhdyspinta <noreply@yhdyspinta.invalid>"),
    SMTP_TIMEOUT_MS: positiveMs.default(10_000),
    REMINDER_RECIPIENTS: z
      .string()
      .regex(/^(\d{2}:[^\s,:;@]+@[^\s,:;@]+(;[^\s,:;@]+@[^\s,:;@]+)*(,\d{2}:[^\s,:;@]+@[^\s,:;@]+(;[^\s,:;@]+@[^\s,:;@]+)*)*)?$/, "county:address[;address],… e.g. 08:kirjaamo@example.fi")
      .default(""),
    REMINDER_INTERVAL_MS: positiveMs.default(15 * 60_000),
    REMINDER_WITHIN_DAYS: z.coerce.number().int().min(0).max(366).default(60),
    REMINDER_BACKOFF_MS: positiveMs.default(60_000),
    REMINDER_BACKOFF_MAX_MS: positiveMs.default(6 * 60 * 60_000),
    RETENTION_CONTACT_MONTHS: z.coerce.number().int().min(0).max(1200).default(24),
    RETENTION_REJECTED_NOMINEE_MONTHS: z.coerce.number().int().min(0).max(1200).default(12),
    RETENTION_JOB: optionalBooleanVar,
    RETENTION_INTERVAL_HOURS: z.coerce.number().int().min(1).max(24 * 31).default(24),
  })
  .refine((e) => !(e.AUTH_JWT_SECRET && e.AUTH_JWKS_URL), "set AUTH_JWT_SECRET or AUTH_JWKS_URL, not both");

/** The configuration of every process, read from the environment. */
export interface Config {
  production: boolean;
  /** Interface every process listens on. */
  host: string;
  /** Serve introspection and field suggestions (always outside production). */
  introspection: boolean;
  ports: Readonly<Record<ProcessName, number>>;
  /** Where clients (e.g. `pnpm export`) reach the gateway: `GATEWAY_URL`, else its port on this machine. */
  gatewayUrl: string;
  /** Subgraph URLs given explicitly (`<NAME>_URL`); see `subgraphUrl` for the local default. */
  subgraphUrls: Readonly<Partial<Record<ServiceName, string>>>;
  /** Base PostgreSQL URL; each service uses `<database>_<service>` on it. */
  databaseUrl: string | undefined;
  /** Each service's database (`<NAME>_DATABASE_URL`, else derived from `databaseUrl`). */
  databaseUrls: Readonly<Partial<Record<ServiceName, string>>>;
  /**
   * Each service's optional read replica (`<NAME>_READ_DATABASE_URL`): its
   * queries read there, its mutations and migrations use `databaseUrls`.
   */
  readDatabaseUrls: Readonly<Partial<Record<ServiceName, string>>>;
  /** Port of the embedded PostgreSQL of `pnpm start` (0: any free port). */
  embeddedPostgresPort: number;
  /** Gateway ↔ subgraph signing secret. */
  internalAuthSecret: string | undefined;
  /** How callers' tokens are verified: an HS256 secret or a JWKS URL. */
  auth: AuthSettings;
  /**
   * Credentials of routers other than ours (`ROUTER_CREDENTIALS`, comma-separated,
   * each ≥ 32 characters): a subgraph request with one in `x-yhdyspinta-router`
   * may carry the caller's own bearer token instead of the gateway's signed statement.
   */
  routerCredentials: readonly string[];
  seedDemoData: boolean;
  demoSynthetic: boolean;
  migrateOnStart: boolean;
  debugStats: boolean;
  /** How subgraphs execute operations: `jit` (graphql-jit) or `graphql-js` (see jit-executor.ts). */
  subgraphExecutor: SubgraphExecutorKind;
  statementTimeoutMs: number | undefined;
  acquireTimeoutMs: number | undefined;
  /** Public registers synced from (`pnpm sync <register>`, README "Public registers"). */
  registers: {
    /** THL Sotkanet REST API 1.1 (`SOTKANET_BASE_URL`). */
    sotkanetBaseUrl: string;
    /** PRH/YTJ open data API v3 (`YTJ_BASE_URL`). */
    ytjBaseUrl: string;
    /** Statistics Finland classifications API v2 (`STATFI_CLASSIFICATIONS_URL`). */
    statfiBaseUrl: string;
    /** PTV (Finnish Service Catalogue) open API v11 (`PTV_BASE_URL`). */
    ptvBaseUrl: string;
    /** CSV of the HYTE indicator sets (`HYTE_FILE`; default the committed services/planning/data/hyte-indicators.csv). */
    hyteFile: string | undefined;
    /** Per-request timeout (`REGISTER_TIMEOUT_MS`, default 30 s). */
    timeoutMs: number;
    /** In-stack sync schedule (`SYNC_SCHEDULE`: off, hourly, nightly or weekly; default off). */
    schedule: "off" | "hourly" | "nightly" | "weekly";
  };
  /** Webhook delivery (docs/WEBHOOKS.md), run by the organisations subgraph. */
  webhooks: {
    /** Run the delivery worker in this process (`WEBHOOK_DELIVERY`, default true). */
    delivery: boolean;
    /** Failed attempts of one message before it goes to the dead-letter list (`WEBHOOK_MAX_ATTEMPTS`, default 8). */
    maxAttempts: number;
    /** Wait before the first retry, doubled at each further one (`WEBHOOK_BACKOFF_MS`, default 10 s). */
    backoffMs: number;
    /** Longest wait between retries (`WEBHOOK_BACKOFF_MAX_MS`, default 1 h). */
    backoffMaxMs: number;
    /** Longest wait for a receiver's answer (`WEBHOOK_TIMEOUT_MS`, default 10 s). */
    timeoutMs: number;
    /** Look for work this often even without a notification (`WEBHOOK_FALLBACK_INTERVAL_MS`, default 60 s). */
    fallbackIntervalMs: number;
  };
  /** The gateway's tunables (README "Configuration"). */
  gateway: GatewaySettings;
  /** OpenTelemetry traces (tracing.ts): off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set. */
  tracing: TracingSettings;
  /** The reminder outbox's e-mail delivery (README "Alerts and reminders"), run by the groups subgraph. */
  reminders: ReminderSettings;
  /** Retention of personal data per purpose (docs/PERSONAL-DATA.md), applied by the organisations subgraph. */
  retention: RetentionSettings;
}

/** How long personal data is kept per purpose, and the job that anonymises what is past it. */
export interface RetentionSettings {
  /** A person's name, title and contacts: months after their last membership, group contact or nomination-round role ends (`RETENTION_CONTACT_MONTHS`, default 24). */
  contactMonths: number;
  /** A candidate who was not appointed (nomination rejected or withdrawn): months after the round closes (`RETENTION_REJECTED_NOMINEE_MONTHS`, default 12). */
  rejectedNomineeMonths: number;
  /** Run the anonymisation job in the organisations subgraph (`RETENTION_JOB`; default: on in production, off otherwise). */
  job: boolean;
  /** Hours between two runs of the job (`RETENTION_INTERVAL_HOURS`, default 24). */
  intervalHours: number;
}

/** Reminder e-mail: sent only with `smtpUrl` set, and only to counties with recipients. */
export interface ReminderSettings {
  /** SMTP server (`SMTP_URL`, `smtp://[user:pass@]host:port` or `smtps://`); unset: reminders only wait in the outbox. */
  smtpUrl: string | undefined;
  /** Sender (`SMTP_FROM`). */
  from: string;
  /** Longest wait for the SMTP server at each step (`SMTP_TIMEOUT_MS`, default 10 s). */
  timeoutMs: number;
  /** Addresses per county (`REMINDER_RECIPIENTS`, `08:a@example.fi;b@example.fi,14:c@example.fi`); a county without any gets no e-mail. */
  recipients: Readonly<Record<string, readonly string[]>>;
  /** How often the job generates and sends (`REMINDER_INTERVAL_MS`, default 15 min). */
  intervalMs: number;
  /** Look-ahead of the generated reminders (`REMINDER_WITHIN_DAYS`, default 60). */
  withinDays: number;
  /** Wait after a failed attempt, doubled at each further one (`REMINDER_BACKOFF_MS`, default 1 min). */
  backoffMs: number;
  /** Longest wait between attempts (`REMINDER_BACKOFF_MAX_MS`, default 6 h). */
  backoffMaxMs: number;
}

/** `REMINDER_RECIPIENTS` → addresses per county. */
function reminderRecipients(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of text.split(",").filter(Boolean)) {
    const [county, addresses] = [part.slice(0, 2), part.slice(3)];
    out[county] = [...(out[county] ?? []), ...addresses.split(";")];
  }
  return out;
}

/** What only the gateway reads. */
export interface GatewaySettings {
  /** Serve callers without a token (`ALLOW_ANONYMOUS`, default true). */
  allowAnonymous: boolean;
  /** The supergraph (`SUPERGRAPH_PATH`); undefined: the committed schema/supergraph.graphql. */
  supergraphPath: string | undefined;
  /** The public contract served at /public/graphql (`PUBLIC_SUPERGRAPH_PATH`); undefined: the committed one; empty: none. */
  publicSupergraphPath: string | undefined;
  /** Longest token lifetime accepted in production (`TOKEN_MAX_LIFETIME_SECONDS`, default a day). */
  tokenMaxLifetimeSeconds: number;
  /** `SUBGRAPH_TIMEOUT_MS`, default 10 s. */
  subgraphTimeoutMs: number;
  /** `GATEWAY_ENGINE`: apollo or hive-router (default). */
  engine: GatewayEngine;
  /** `GATEWAY_DEDUPE_REPRESENTATIONS`, default true. */
  dedupeRepresentations: boolean;
  /** `GATEWAY_RESPONSE_CACHE_TTL_SECONDS`, default 0 (off). */
  responseCacheTtlSeconds: number;
  /** `GATEWAY_RESPONSE_CACHE_MAX_MB`, default 64, in bytes. */
  responseCacheMaxBytes: number;
  /** Operation limits (`GATEWAY_MAX_DEPTH`, `_ALIASES`, `_TOKENS`, `_COST`, `_FIELDS`); unset: the gateway's defaults. */
  limits: { maxDepth?: number; maxAliases?: number; maxTokens?: number; maxCost?: number; maxFields?: number };
  /** `GATEWAY_MAX_BODY_BYTES`; undefined: the gateway's default. */
  maxBodyBytes: number | undefined;
  /** Only registered documents for callers without the analyst role (`REGISTERED_DOCUMENTS_ONLY`; default: on in production). */
  registeredDocumentsOnly: boolean;
  /** Further persisted query manifests (`TRUSTED_DOCUMENTS_FILES`, comma-separated paths). */
  trustedDocumentFiles: string[];
  /**
   * Per-client cost budget (`GATEWAY_CLIENT_BUDGET` cost units per
   * `GATEWAY_CLIENT_WINDOW_SECONDS`; default `DEFAULT_CLIENT_BUDGET` in
   * production, 0 = off otherwise), by role (`GATEWAY_CLIENT_BUDGET_BY_ROLE`),
   * shared by replicas through `GATEWAY_DATABASE_URL` (in memory without it).
   */
  clientBudget: { budget: number; windowSeconds: number; byRole: Partial<Record<string, number>>; databaseUrl?: string };
}


/**
 * A service's database URL: `<NAME>_DATABASE_URL` if set, otherwise
 * `DATABASE_URL` with `_<name>` appended to its database name, so one server
 * URL gives each service a database of its own.
 */
export function serviceDatabaseUrl(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const own = env[`${name.toUpperCase()}_DATABASE_URL`];
  if (own) return own;
  const base = env["DATABASE_URL"];
  if (!base) return undefined;
  const url = new URL(base);
  url.pathname = `/${decodeURIComponent(url.pathname.replace(/^\//, "")) || "postgres"}_${name}`;
  return url.toString();
}

/** Reads and checks the environment; prints every problem and exits on a bad value. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(schema, env);
  const production = e.NODE_ENV === "production";
  const subgraphUrls: Partial<Record<ServiceName, string>> = {};
  const databaseUrls: Partial<Record<ServiceName, string>> = {};
  const readDatabaseUrls: Partial<Record<ServiceName, string>> = {};
  for (const name of SERVICE_NAMES) {
    const url = e[`${upper(name) as Uppercase<ServiceName>}_URL`];
    if (url) subgraphUrls[name] = url;
    const databaseUrl = serviceDatabaseUrl(name, env);
    if (databaseUrl) databaseUrls[name] = databaseUrl;
    const readUrl = e[`${upper(name) as Uppercase<ServiceName>}_READ_DATABASE_URL`];
    if (readUrl) readDatabaseUrls[name] = readUrl;
  }
  return {
    production,
    host: e.HOST,
    introspection: !production || e.ALLOW_INTROSPECTION,
    ports: { gateway: e.GATEWAY_PORT, organisations: e.ORGANISATIONS_PORT, groups: e.GROUPS_PORT, planning: e.PLANNING_PORT },
    gatewayUrl: e.GATEWAY_URL ?? localUrl("127.0.0.1", e.GATEWAY_PORT),
    subgraphUrls,
    databaseUrl: e.DATABASE_URL,
    databaseUrls,
    readDatabaseUrls,
    embeddedPostgresPort: e.EMBEDDED_POSTGRES_PORT,
    internalAuthSecret: e.INTERNAL_AUTH_SECRET,
    auth: { jwtSecret: e.AUTH_JWT_SECRET, jwksUrl: e.AUTH_JWKS_URL, issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE },
    routerCredentials: e.ROUTER_CREDENTIALS.split(",").map((c) => c.trim()).filter(Boolean),
    seedDemoData: e.SEED_DEMO_DATA,
    demoSynthetic: e.DEMO_SYNTHETIC,
    migrateOnStart: e.MIGRATE_ON_START,
    debugStats: e.DEBUG_STATS,
    subgraphExecutor: e.SUBGRAPH_EXECUTOR,
    statementTimeoutMs: e.STATEMENT_TIMEOUT_MS,
    acquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS,
    registers: {
      sotkanetBaseUrl: e.SOTKANET_BASE_URL,
      ytjBaseUrl: e.YTJ_BASE_URL,
      statfiBaseUrl: e.STATFI_CLASSIFICATIONS_URL,
      ptvBaseUrl: e.PTV_BASE_URL,
      hyteFile: e.HYTE_FILE,
      timeoutMs: e.REGISTER_TIMEOUT_MS,
      schedule: e.SYNC_SCHEDULE,
    },
    webhooks: {
      delivery: e.WEBHOOK_DELIVERY,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      backoffMs: e.WEBHOOK_BACKOFF_MS,
      backoffMaxMs: e.WEBHOOK_BACKOFF_MAX_MS,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      fallbackIntervalMs: e.WEBHOOK_FALLBACK_INTERVAL_MS,
    },
    tracing: { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, exportDelayMs: e.OTEL_BSP_SCHEDULE_DELAY },
    reminders: {
      smtpUrl: e.SMTP_URL,
      from: e.SMTP_FROM,
      timeoutMs: e.SMTP_TIMEOUT_MS,
      recipients: reminderRecipients(e.REMINDER_RECIPIENTS),
      intervalMs: e.REMINDER_INTERVAL_MS,
      withinDays: e.REMINDER_WITHIN_DAYS,
      backoffMs: e.REMINDER_BACKOFF_MS,
      backoffMaxMs: e.REMINDER_BACKOFF_MAX_MS,
    },
    gateway: {
      allowAnonymous: e.ALLOW_ANONYMOUS,
      supergraphPath: e.SUPERGRAPH_PATH,
      publicSupergraphPath: e.PUBLIC_SUPERGRAPH_PATH,
      tokenMaxLifetimeSeconds: e.TOKEN_MAX_LIFETIME_SECONDS,
      subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
      engine: e.GATEWAY_ENGINE,
      dedupeRepresentations: e.GATEWAY_DEDUPE_REPRESENTATIONS,
      responseCacheTtlSeconds: e.GATEWAY_RESPONSE_CACHE_TTL_SECONDS,
      responseCacheMaxBytes: e.GATEWAY_RESPONSE_CACHE_MAX_MB * 1024 * 1024,
      limits: {
        ...(e.GATEWAY_MAX_DEPTH ? { maxDepth: e.GATEWAY_MAX_DEPTH } : {}),
        ...(e.GATEWAY_MAX_ALIASES !== undefined ? { maxAliases: e.GATEWAY_MAX_ALIASES } : {}),
        ...(e.GATEWAY_MAX_TOKENS ? { maxTokens: e.GATEWAY_MAX_TOKENS } : {}),
        ...(e.GATEWAY_MAX_COST ? { maxCost: e.GATEWAY_MAX_COST } : {}),
        ...(e.GATEWAY_MAX_FIELDS ? { maxFields: e.GATEWAY_MAX_FIELDS } : {}),
      },
      maxBodyBytes: e.GATEWAY_MAX_BODY_BYTES,
      registeredDocumentsOnly: e.REGISTERED_DOCUMENTS_ONLY ?? production,
      trustedDocumentFiles: e.TRUSTED_DOCUMENTS_FILES.split(",").map((f) => f.trim()).filter(Boolean),
      clientBudget: {
        budget: e.GATEWAY_CLIENT_BUDGET ?? (production ? DEFAULT_CLIENT_BUDGET : 0),
        windowSeconds: e.GATEWAY_CLIENT_WINDOW_SECONDS,
        byRole: Object.fromEntries(
          e.GATEWAY_CLIENT_BUDGET_BY_ROLE.split(",").filter(Boolean).map((pair) => [pair.split(":")[0], Number(pair.split(":")[1])]),
        ) as Partial<Record<string, number>>,
        ...(e.GATEWAY_DATABASE_URL ? { databaseUrl: e.GATEWAY_DATABASE_URL } : {}),
      },
    },
    retention: {
      contactMonths: e.RETENTION_CONTACT_MONTHS,
      rejectedNomineeMonths: e.RETENTION_REJECTED_NOMINEE_MONTHS,
      job: e.RETENTION_JOB ?? production,
      intervalHours: e.RETENTION_INTERVAL_HOURS,
    },
  };
}

/** `http://<host>:<port>/`, with IPv6 hosts in brackets. */
export function localUrl(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;
}

/** Where a subgraph is reached: its `<NAME>_URL`, else its port on this machine. */
export function subgraphUrl(config: Pick<Config, "subgraphUrls" | "ports">, name: ServiceName): string {
  return config.subgraphUrls[name] ?? localUrl("127.0.0.1", config.ports[name]);
}

/** Settings a parent process hands to a child (packages/stack): turned into the variables `readConfig` reads. */
export interface ChildSettings {
  host?: string;
  ports?: Partial<Record<ProcessName, number>>;
  subgraphUrls?: Partial<Record<ServiceName, string>>;
  databaseUrl?: string;
  internalAuthSecret?: string;
  auth?: AuthSettings;
  seedDemoData?: boolean;
  debugStats?: boolean;
}

/** The environment variables that give a child process these settings (unset values are left out). */
export function configEnv(settings: ChildSettings): Record<string, string> {
  const env: Record<string, string> = {};
  const set = (key: string, value: string | number | boolean | undefined) => {
    if (value !== undefined && value !== "") env[key] = String(value);
  };
  set("HOST", settings.host);
  for (const [name, port] of Object.entries(settings.ports ?? {})) set(`${name.toUpperCase()}_PORT`, port);
  for (const [name, url] of Object.entries(settings.subgraphUrls ?? {})) set(`${name.toUpperCase()}_URL`, url);
  set("DATABASE_URL", settings.databaseUrl);
  set("INTERNAL_AUTH_SECRET", settings.internalAuthSecret);
  set("AUTH_JWT_SECRET", settings.auth?.jwtSecret);
  set("AUTH_JWKS_URL", settings.auth?.jwksUrl);
  set("AUTH_ISSUER", settings.auth?.issuer);
  set("AUTH_AUDIENCE", settings.auth?.audience);
  set("SEED_DEMO_DATA", settings.seedDemoData);
  set("DEBUG_STATS", settings.debugStats);
  return env;
}
