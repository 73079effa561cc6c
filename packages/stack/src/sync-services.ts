/** Which subgraph owns each register's records (its `src/sync-cli.ts` runs the sync). */
export const SYNC_SERVICES: Readonly<Record<string, string>> = { sotkanet: "planning", ytj: "organisations", statfi: "organisations", ptv: "organisations", hyte: "planning" };
