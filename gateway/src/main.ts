import { fileURLToPath } from "node:url";
import { z } from "zod";
import { booleanVar, configureLogger, parseEnv, readConfig, startProcessMetrics, subgraphUrl } from "@yhdyspinta/core";
import { DEFAULT_GATEWAY_ENGINE, GATEWAY_ENGINES, startGateway } from "./gateway.ts";

const log = configureLogger("gateway");
startProcessMetrics("gateway");
const config = readConfig();
/** Gateway tunables; ports, URLs and secrets come from the config module. */
const env = parseEnv(
  z.object({
    ALLOW_ANONYMOUS: booleanVar(true),
    SUPERGRAPH_PATH: z.string().default(fileURLToPath(new URL("../../schema/supergraph.graphql", import.meta.url))),
    /** The public contract served at /public/graphql; empty: none. */
    PUBLIC_SUPERGRAPH_PATH: z.string().default(fileURLToPath(new URL("../../schema/public-supergraph.graphql", import.meta.url))),
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
    /** Only registered documents for callers without the analyst role; default: on in production mode. */
    REGISTERED_DOCUMENTS_ONLY: booleanVar(config.production),
    /** Comma-separated paths of further persisted query manifests (clients' operations registered at deploy time). */
    TRUSTED_DOCUMENTS_FILES: z.string().default(""),
  }),
);
if (!config.internalAuthSecret) {
  log.fatal("Invalid configuration: INTERNAL_AUTH_SECRET is required by the gateway");
  process.exit(1);
}

const production = config.production;
const exposed = config.introspection;

const gateway = await startGateway({
  introspection: exposed,
  fieldSuggestions: exposed,
  allowAnonymous: env.ALLOW_ANONYMOUS,
  supergraphPath: env.SUPERGRAPH_PATH,
  ...(env.PUBLIC_SUPERGRAPH_PATH ? { publicSupergraphPath: env.PUBLIC_SUPERGRAPH_PATH } : {}),
  subgraphUrls: {
    organisations: subgraphUrl(config, "organisations"),
    groups: subgraphUrl(config, "groups"),
    planning: subgraphUrl(config, "planning"),
  },
  port: config.ports.gateway,
  host: config.host,
  auth: {
    secret: config.auth.jwtSecret,
    jwksUrl: config.auth.jwksUrl,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    ...(production ? { requireExpiry: true, maxLifetimeSeconds: env.TOKEN_MAX_LIFETIME_SECONDS } : {}),
  },
  internalAuthSecret: config.internalAuthSecret,
  subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
  engine: env.GATEWAY_ENGINE,
  dedupeRepresentations: env.GATEWAY_DEDUPE_REPRESENTATIONS,
  responseCacheTtlSeconds: env.GATEWAY_RESPONSE_CACHE_TTL_SECONDS,
  responseCacheMaxBytes: env.GATEWAY_RESPONSE_CACHE_MAX_MB * 1024 * 1024,
  limits: {
    ...(env.GATEWAY_MAX_DEPTH ? { maxDepth: env.GATEWAY_MAX_DEPTH } : {}),
    ...(env.GATEWAY_MAX_ALIASES !== undefined ? { maxAliases: env.GATEWAY_MAX_ALIASES } : {}),
    ...(env.GATEWAY_MAX_TOKENS ? { maxTokens: env.GATEWAY_MAX_TOKENS } : {}),
    ...(env.GATEWAY_MAX_COST ? { maxCost: env.GATEWAY_MAX_COST } : {}),
    ...(env.GATEWAY_MAX_FIELDS ? { maxFields: env.GATEWAY_MAX_FIELDS } : {}),
  },
  ...(env.GATEWAY_MAX_BODY_BYTES ? { maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES } : {}),
  registeredDocumentsOnly: env.REGISTERED_DOCUMENTS_ONLY,
  trustedDocumentFiles: env.TRUSTED_DOCUMENTS_FILES.split(",").map((f) => f.trim()).filter(Boolean),
});
log.info({ url: gateway.url, engine: env.GATEWAY_ENGINE }, `gateway ready at ${gateway.url} (engine ${env.GATEWAY_ENGINE})`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await gateway.stop();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
