import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { mintUserToken, readConfig, Scope, serviceDatabaseUrl, SERVICE_NAMES, ViewerRole } from "@yhdyspinta/core";
import { generateDataset, type GenerateTargets } from "@yhdyspinta/bench/generate";
import { ensureWebBuilt } from "@yhdyspinta/web/build";
import { startStack } from "./index.ts";
import { portProblems } from "./ports.ts";
import { startSyncSchedule } from "./sync-schedule.ts";

/**
 * `pnpm start`: the whole supergraph on this machine. With no DATABASE_URL it
 * runs an embedded PostgreSQL whose data stays in `.data/` between runs.
 */
const config = readConfig();

/** Counties the synthetic demo dataset fills: those of the views' examples. */
const DEMO_SYNTHETIC_COUNTIES = ["08", "14"];

// A taken port fails the start at once, naming the port and its variable,
// before the database, the migrations or any process is started.
const problems = await portProblems(config.host, [
  { port: config.ports.gateway, what: "the gateway", variable: "GATEWAY_PORT" },
  { port: config.ports.organisations, what: "the organisations subgraph", variable: "ORGANISATIONS_PORT" },
  { port: config.ports.groups, what: "the groups subgraph", variable: "GROUPS_PORT" },
  { port: config.ports.planning, what: "the planning subgraph", variable: "PLANNING_PORT" },
  ...(config.databaseUrl ? [] : [{ port: config.embeddedPostgresPort, what: "the embedded PostgreSQL", variable: "EMBEDDED_POSTGRES_PORT", host: "127.0.0.1" }]),
]);
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  console.error("Nothing was started.");
  process.exit(1);
}

const dataDir = new URL("../../../.data/", import.meta.url).pathname;
mkdirSync(dataDir, { recursive: true });

// Without an identity provider, a development secret (kept in .data/) signs
// tokens so that the explorer can be used with and without authorisation.
let devSecret: string | undefined;
// Production mode never makes a development secret or token.
if (!config.auth.jwtSecret && !config.auth.jwksUrl && !config.production) {
  const file = `${dataDir}dev-auth-secret`;
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  devSecret = readFileSync(file, "utf8").trim();
}

// The explorer and dashboard pages are bundled from npm packages on first start (and after changes).
await ensureWebBuilt((line) => console.log(line));

console.log(config.databaseUrl ? "Using PostgreSQL at DATABASE_URL" : "Starting embedded PostgreSQL (data in .data/postgres)…");
const began = performance.now();
const stack = await startStack({
  // `pnpm dev` runs this file through tsx: then the children run their sources too.
  mode: import.meta.url.endsWith(".ts") ? "source" : "compiled",
  databaseUrl: config.databaseUrl,
  dataDir: `${dataDir}postgres`,
  postgresPort: config.embeddedPostgresPort,
  host: config.host,
  ports: config.ports,
  auth: { ...config.auth, jwtSecret: config.auth.jwtSecret ?? devSecret },
  internalAuthSecret: config.internalAuthSecret,
});

if (config.demoSynthetic) {
  // The deterministic synthetic dataset (@yhdyspinta/bench/generate) at a small
  // scale beside the seeded facts: `syn-` ids, "Synteettinen" names,
  // example.invalid contacts. Replaced at every start, so it stays the same.
  const targets = Object.fromEntries(
    SERVICE_NAMES.map((name) => [name, serviceDatabaseUrl(name, { DATABASE_URL: stack.databaseUrl })!]),
  ) as GenerateTargets;
  const result = await generateDataset(targets, { seed: 42, scale: 1, countyCodes: DEMO_SYNTHETIC_COUNTIES, replace: true });
  const rows = Object.values(result.counts).reduce((sum, tables) => sum + Object.values(tables).reduce((a, b) => a + b, 0), 0);
  console.log(`Added the synthetic demo dataset (DEMO_SYNTHETIC=true): ${rows} rows in counties ${result.counties.join(", ")}, ids starting with syn-`);
}

// Register syncs on a schedule (SYNC_SCHEDULE, off by default; README "Public registers").
const syncSchedule = startSyncSchedule({
  schedule: config.registers.schedule,
  databaseUrl: stack.databaseUrl,
  mode: import.meta.url.endsWith(".ts") ? "source" : "compiled",
  log: (line) => console.log(line),
});

// Handlers first: whoever reads "Press Ctrl-C" may send it at once (a test does), and without
// them SIGINT would end this process before it stopped the others.
let stopping = false;
const shutdown = async (code = 0) => {
  if (stopping) return;
  stopping = true;
  console.log("Stopping…");
  syncSchedule.stop();
  await stack.stop();
  process.exit(code);
};
// A crashed process is restarted by the stack; one that keeps crashing right
// after its start is given up on, and so is the whole stack.
stack.events.on("gave-up", ({ message }) => {
  console.error(`Stopping the stack: ${message}. See its log lines above.`);
  void shutdown(1);
});
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());

console.log("");
console.log(`yhdyspinta supergraph ready at ${stack.gatewayUrl} (started in ${((performance.now() - began) / 1000).toFixed(1)} s)`);
console.log(`  explorer and GraphQL endpoint: ${stack.gatewayUrl} (also ${stack.gatewayUrl}graphql)`);
console.log(`  county dashboard: ${stack.gatewayUrl}dashboard/?county=14`);
if (stack.postgres) console.log(`  PostgreSQL: ${stack.postgres.url.replace(/:[^:@/]+@/, ":***@")} (databases yhdyspinta_<service>)`);
if (devSecret) {
  // Development tokens for the three roles (see README "Roles and claims").
  const tokens = [
    ["analyst (reads; contacts:read)", { sub: "dev-analyst", scope: Scope.ContactsRead, role: ViewerRole.Analyst }],
    [
      "coordinator of Pohjois-Karjala, county 14 (contacts:read data:write)",
      { sub: "dev-coordinator-14", scope: `${Scope.ContactsRead} ${Scope.DataWrite}`, role: ViewerRole.Coordinator, counties: ["14"] },
    ],
    ["admin (contacts:read data:write, every county)", { sub: "dev-admin", scope: `${Scope.ContactsRead} ${Scope.DataWrite}`, role: ViewerRole.Admin }],
  ] as const;
  console.log("  development tokens (12 h):");
  for (const [label, claims] of tokens) {
    console.log(`    ${label}: Authorization: Bearer ${await mintUserToken(devSecret, claims, "12h")}`);
  }
}
console.log("Press Ctrl-C to stop.");
