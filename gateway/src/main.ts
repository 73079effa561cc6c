import { fileURLToPath } from "node:url";
import { z } from "zod";
import { booleanVar, parseEnv, portVar } from "@yhdyspinta/core";
import { GATEWAY_ENGINES, startGateway } from "./gateway.ts";

const env = parseEnv(
  z
    .object({
      GATEWAY_PORT: portVar(4000),
      HOST: z.string().default("127.0.0.1"),
      ORGANISATIONS_PORT: portVar(4001),
      GROUPS_PORT: portVar(4002),
      PLANNING_PORT: portVar(4003),
      ORGANISATIONS_URL: z.url().optional(),
      GROUPS_URL: z.url().optional(),
      PLANNING_URL: z.url().optional(),
      SUPERGRAPH_PATH: z.string().default(fileURLToPath(new URL("../../schema/supergraph.graphql", import.meta.url))),
      AUTH_JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
      AUTH_JWKS_URL: z.url().optional(),
      AUTH_ISSUER: z.string().optional(),
      AUTH_AUDIENCE: z.string().optional(),
      INTERNAL_AUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
      NODE_ENV: z.string().default("development"),
      ALLOW_INTROSPECTION: booleanVar(false),
      ALLOW_ANONYMOUS: booleanVar(true),
      TOKEN_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(60).default(24 * 60 * 60),
      SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
      GATEWAY_ENGINE: z.enum(GATEWAY_ENGINES).default("apollo"),
      GATEWAY_DEDUPE_REPRESENTATIONS: booleanVar(true),
      GATEWAY_RESPONSE_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).default(0),
      GATEWAY_MAX_DEPTH: z.coerce.number().int().min(1).optional(),
      GATEWAY_MAX_ALIASES: z.coerce.number().int().min(0).optional(),
      GATEWAY_MAX_TOKENS: z.coerce.number().int().min(100).optional(),
      GATEWAY_MAX_COST: z.coerce.number().int().min(1).optional(),
      GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).optional(),
    })
    .refine((e) => !(e.AUTH_JWT_SECRET && e.AUTH_JWKS_URL), "set AUTH_JWT_SECRET or AUTH_JWKS_URL, not both"),
);

const production = env.NODE_ENV === "production";
const exposed = !production || env.ALLOW_INTROSPECTION;

const gateway = await startGateway({
  introspection: exposed,
  fieldSuggestions: exposed,
  allowAnonymous: env.ALLOW_ANONYMOUS,
  supergraphPath: env.SUPERGRAPH_PATH,
  subgraphUrls: {
    organisations: env.ORGANISATIONS_URL ?? `http://127.0.0.1:${env.ORGANISATIONS_PORT}/`,
    groups: env.GROUPS_URL ?? `http://127.0.0.1:${env.GROUPS_PORT}/`,
    planning: env.PLANNING_URL ?? `http://127.0.0.1:${env.PLANNING_PORT}/`,
  },
  port: env.GATEWAY_PORT,
  host: env.HOST,
  auth: {
    secret: env.AUTH_JWT_SECRET,
    jwksUrl: env.AUTH_JWKS_URL,
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    ...(production ? { requireExpiry: true, maxLifetimeSeconds: env.TOKEN_MAX_LIFETIME_SECONDS } : {}),
  },
  internalAuthSecret: env.INTERNAL_AUTH_SECRET,
  subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
  engine: env.GATEWAY_ENGINE,
  dedupeRepresentations: env.GATEWAY_DEDUPE_REPRESENTATIONS,
  responseCacheTtlSeconds: env.GATEWAY_RESPONSE_CACHE_TTL_SECONDS,
  limits: {
    ...(env.GATEWAY_MAX_DEPTH ? { maxDepth: env.GATEWAY_MAX_DEPTH } : {}),
    ...(env.GATEWAY_MAX_ALIASES !== undefined ? { maxAliases: env.GATEWAY_MAX_ALIASES } : {}),
    ...(env.GATEWAY_MAX_TOKENS ? { maxTokens: env.GATEWAY_MAX_TOKENS } : {}),
    ...(env.GATEWAY_MAX_COST ? { maxCost: env.GATEWAY_MAX_COST } : {}),
  },
  ...(env.GATEWAY_MAX_BODY_BYTES ? { maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES } : {}),
});
console.log(`gateway ready at ${gateway.url}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await gateway.stop();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
