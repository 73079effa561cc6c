import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { createGatewayRuntime } from "@graphql-hive/gateway-runtime";
import { unifiedGraphHandler } from "@graphql-hive/router-runtime";
import httpTransport from "@graphql-mesh/transport-http";
import { anonymousViewer, signViewer, VIEWER_HEADER } from "@yhdyspinta/core";

/**
 * Hive Gateway serving the same checked-in supergraph as our gateway, in a
 * process of its own (like ours), for the benchmark's comparison.
 * argv: <supergraph path> <port> <mode: off|on|rust> <subgraph=url>...
 * off/on: the default (JavaScript) runtime with inbound request deduplication
 * off or on; rust: the Hive Router runtime (`@graphql-hive/router-runtime`,
 * the Rust query planner as a native addon and its own executor), dedupe off.
 * Subgraphs answer only signed requests: a client's signed `x-yhdyspinta-viewer`
 * is forwarded; without one, the statement of an anonymous caller is signed
 * with INTERNAL_AUTH_SECRET (re-signed before its 60 s expiry).
 * HIVE_PROPAGATE_HEADERS (comma-separated header names): further client request
 * headers copied onto every subgraph request.
 */
const [supergraphPath, portArg, mode, ...overrides] = process.argv.slice(2);
let supergraph = await readFile(supergraphPath!, "utf8");
// Point the supergraph's join__graph URLs at the running subgraphs.
for (const override of overrides) {
  const [name, url] = override.split("=") as [string, string];
  supergraph = supergraph.replace(
    new RegExp(`(join__graph\\(name: "${name}", url: ")[^"]*(")`),
    `$1${url}$2`,
  );
}
const internalSecret = process.env["INTERNAL_AUTH_SECRET"];
let anonymous: { token: string; signedAt: number } | undefined;
async function anonymousSignature(): Promise<string | undefined> {
  if (!internalSecret) return undefined;
  if (!anonymous || Date.now() - anonymous.signedAt > 30_000) {
    anonymous = { token: await signViewer(anonymousViewer, internalSecret), signedAt: Date.now() };
  }
  return anonymous.token;
}
const propagated = (process.env["HIVE_PROPAGATE_HEADERS"] ?? "")
  .split(",")
  .map((name) => name.trim().toLowerCase())
  .filter(Boolean);
const gateway = createGatewayRuntime({
  supergraph,
  logging: (process.env["HIVE_LOGGING"] as "debug" | undefined) ?? false,
  // Passed in, not looked up at run time: pnpm lets a package import only its own dependencies.
  transports: { http: httpTransport },
  inboundInflightRequestDeduplication: mode === "on",
  ...(mode === "rust" ? { unifiedGraphHandler } : {}),
  propagateHeaders: {
    fromClientToSubgraphs: async ({ request }) => ({
      ...Object.fromEntries(propagated.map((name) => [name, request.headers.get(name)])),
      [VIEWER_HEADER]: request.headers.get(VIEWER_HEADER) ?? (await anonymousSignature()),
    }),
  },
});
const server = createServer(gateway);
server.listen(Number(portArg), "127.0.0.1", () => {
  console.log(`hive gateway ready at http://127.0.0.1:${portArg}/graphql`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
