/**
 * `pnpm sync <register> [--dry-run]`: runs one register's sync in the
 * subgraph that owns its records (each service's `src/sync-cli.ts`, which
 * reads the arguments itself). Source mode only, like `pnpm export`.
 */
import { SYNC_SERVICES } from "./sync-services.ts";

const register = process.argv.slice(2).find((a) => !a.startsWith("-"));
const service = register ? SYNC_SERVICES[register] : undefined;
if (!service) {
  console.error(`Usage: pnpm sync <${Object.keys(SYNC_SERVICES).join("|")}> [--dry-run]`);
  process.exit(2);
}
await import(new URL(`../../../services/${service}/src/sync-cli.ts`, import.meta.url).href);
