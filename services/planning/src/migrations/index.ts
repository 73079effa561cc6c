import { Migration20261123150726_initial } from "./Migration20261123150726_initial.ts";

/** Committed migrations, in order. `pnpm --filter @yhdyspinta/planning migration:create <name>` adds one. */
export const migrations = [Migration20261123150726_initial];
