import { fileURLToPath } from "node:url";
import { configureLogger, readConfig, startProcessMetrics, startTracing, stopTracing, subgraphUrl } from "@yhdyspinta/core";
import { startGateway } from "./gateway.ts";

const log = configureLogger("gateway");
startProcessMetrics("gateway");
const config = readConfig();
startTracing("gateway", config.tracing);
/** Gateway tunables: the config module reads them with every other variable. */
const env = config.gateway;
if (!config.internalAuthSecret) {
  log.fatal("Invalid configuration: INTERNAL_AUTH_SECRET is required by the gateway");
  process.exit(1);
}

const production = config.production;
/** The public contract served at /public/graphql; empty: none. */
const publicSupergraphPath = env.publicSupergraphPath ?? fileURLToPath(new URL("../../schema/public-supergraph.graphql", import.meta.url));
const exposed = config.introspection;

const gateway = await startGateway({
  introspection: exposed,
  fieldSuggestions: exposed,
  allowAnonymous: env.allowAnonymous,
  supergraphPath: env.supergraphPath ?? fileURLToPath(new URL("../../schema/supergraph.graphql", import.meta.url)),
  ...(publicSupergraphPath ? { publicSupergraphPath } : {}),
  subgraphUrls: {
    organisations: subgraphUrl(config, "organisations"),
    groups: subgraphUrl(config, "groups"),
    planning: subgraphUrl(config, "planning"),
  },
  port: config.ports.gateway,
  host: config.host,
  auth: {
    ...config.auth,
    ...(production ? { requireExpiry: true, maxLifetimeSeconds: env.tokenMaxLifetimeSeconds } : {}),
  },
  internalAuthSecret: config.internalAuthSecret,
  subgraphTimeoutMs: env.subgraphTimeoutMs,
  engine: env.engine,
  dedupeRepresentations: env.dedupeRepresentations,
  responseCacheTtlSeconds: env.responseCacheTtlSeconds,
  responseCacheMaxBytes: env.responseCacheMaxBytes,
  limits: env.limits,
  ...(env.maxBodyBytes ? { maxBodyBytes: env.maxBodyBytes } : {}),
  registeredDocumentsOnly: env.registeredDocumentsOnly,
  trustedDocumentFiles: env.trustedDocumentFiles,
  clientBudget: env.clientBudget,
});
log.info(
  { url: gateway.url, engine: env.engine, clientBudget: env.clientBudget.budget, clientWindowSeconds: env.clientBudget.windowSeconds, clientUsageShared: Boolean(env.clientBudget.databaseUrl) },
  `gateway ready at ${gateway.url} (engine ${env.engine})`,
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await gateway.stop();
  await stopTracing();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
