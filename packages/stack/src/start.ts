import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { mintUserToken, parseEnv, portVar, postgresUrl, Scope } from "@yhdyspinta/core";
import { startStack } from "./index.ts";

/**
 * `pnpm start`: the whole supergraph on this machine. With no DATABASE_URL it
 * runs an embedded PostgreSQL whose data stays in `.data/` between runs.
 */
const env = parseEnv(
  z.object({
    DATABASE_URL: postgresUrl.optional(),
    EMBEDDED_POSTGRES_PORT: portVar(0),
    HOST: z.string().default("127.0.0.1"),
    GATEWAY_PORT: portVar(4000),
    ORGANISATIONS_PORT: portVar(4001),
    GROUPS_PORT: portVar(4002),
    PLANNING_PORT: portVar(4003),
    AUTH_JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_ISSUER: z.string().optional(),
    AUTH_AUDIENCE: z.string().optional(),
    INTERNAL_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  }),
);

const dataDir = new URL("../../../.data/", import.meta.url).pathname;
mkdirSync(dataDir, { recursive: true });

// Without an identity provider, a development secret (kept in .data/) signs
// tokens so that the explorer can be used with and without authorisation.
let devSecret: string | undefined;
if (!env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL) {
  const file = `${dataDir}dev-auth-secret`;
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  devSecret = readFileSync(file, "utf8").trim();
}

console.log(env.DATABASE_URL ? "Using PostgreSQL at DATABASE_URL" : "Starting embedded PostgreSQL (data in .data/postgres)…");
const began = performance.now();
const stack = await startStack({
  // `pnpm dev` runs this file through tsx: then the children run their sources too.
  mode: import.meta.url.endsWith(".ts") ? "source" : "compiled",
  databaseUrl: env.DATABASE_URL,
  dataDir: `${dataDir}postgres`,
  postgresPort: env.EMBEDDED_POSTGRES_PORT,
  host: env.HOST,
  ports: {
    gateway: env.GATEWAY_PORT,
    organisations: env.ORGANISATIONS_PORT,
    groups: env.GROUPS_PORT,
    planning: env.PLANNING_PORT,
  },
  authJwtSecret: env.AUTH_JWT_SECRET ?? devSecret,
  authJwksUrl: env.AUTH_JWKS_URL,
  authIssuer: env.AUTH_ISSUER,
  authAudience: env.AUTH_AUDIENCE,
  internalAuthSecret: env.INTERNAL_AUTH_SECRET,
});

console.log("");
console.log(`yhdyspinta supergraph ready at ${stack.gatewayUrl} (started in ${((performance.now() - began) / 1000).toFixed(1)} s)`);
console.log(`  explorer and GraphQL endpoint: ${stack.gatewayUrl} (also ${stack.gatewayUrl}graphql)`);
if (stack.postgres) console.log(`  PostgreSQL: ${stack.postgres.url.replace(/:[^:@/]+@/, ":***@")} (databases yhdyspinta_<service>)`);
if (devSecret) {
  const token = await mintUserToken(devSecret, { sub: "developer", scope: `${Scope.ContactsRead} ${Scope.DataWrite}` }, "12h");
  console.log(`  development token (contacts:read data:write, 12 h): Authorization: Bearer ${token}`);
}
console.log("Press Ctrl-C to stop.");

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log("Stopping…");
  await stack.stop();
  process.exit(0);
};
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
