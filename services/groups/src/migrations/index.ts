import { Migration20261123150707_initial } from "./Migration20261123150707_initial.ts";

/** Committed migrations, in order. `pnpm --filter @yhdyspinta/groups migration:create <name>` adds one. */
export const migrations = [Migration20261123150707_initial];
