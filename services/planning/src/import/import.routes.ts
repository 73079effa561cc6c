import { importRoutes, type InternalRouteDeps, type Routes } from "@yhdyspinta/core";
import { measureImport } from "./measure.import.ts";
import { planImport } from "./plan.import.ts";

/** The planning subgraph's import entry, `POST /internal/import` (plans with their goals, measures; docs/IMPORT.md). */
export function planningImportRoutes(deps: InternalRouteDeps): Routes {
  return importRoutes(deps, { plans: planImport(deps), measures: measureImport(deps) });
}
