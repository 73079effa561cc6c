// Hive Gateway in front of yhdyspinta's subgraphs, with Hive Gateway's own
// features only (no code of this project):
//   ROUTER_CREDENTIAL=<one of the subgraphs' ROUTER_CREDENTIALS> \
//   ORGANISATIONS_URL=… GROUPS_URL=… PLANNING_URL=… \
//   hive-gateway supergraph schema/supergraph.graphql -c deploy/routers/hive-gateway.config.ts
// test/hive-gateway.test.ts runs exactly this file (docs/OPERATIONS.md,
// "The supergraph on other routers").
export const gatewayConfig = {
  // Where the subgraphs are (the supergraph file names localhost:4001–4003).
  transportEntries: {
    // A static header on every subgraph request: the router's credential, from
    // the environment (`{env.…}` is Hive Gateway's header interpolation).
    "*.http": { headers: [["x-yhdyspinta-router", "{env.ROUTER_CREDENTIAL}"]] },
    organisations: { location: process.env["ORGANISATIONS_URL"] ?? "http://organisations:4001/" },
    groups: { location: process.env["GROUPS_URL"] ?? "http://groups:4002/" },
    planning: { location: process.env["PLANNING_URL"] ?? "http://planning:4003/" },
  },
  // The caller's own bearer token goes on to the subgraphs, which verify it
  // as our gateway does; nothing else the caller sends is passed on.
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }: { request: Request }) => ({
      authorization: request.headers.get("authorization") ?? undefined,
    }),
  },
};
