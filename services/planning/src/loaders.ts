import type { EntityManager } from "@mikro-orm/postgresql";
import { createSourceLoader } from "@yhdyspinta/core";
import { createFollowUpLoader } from "./dashboard/follow-up.loaders.ts";
import { createPlanLoaders } from "./plan/plan.loaders.ts";
import { createThemeLoaders } from "./theme/theme.loaders.ts";
import { createMeasureLoaders } from "./measure/measure.loaders.ts";
import { createIndicatorLoaders } from "./indicator/indicator.loaders.ts";
import { createNegotiationLoaders } from "./negotiation/negotiation.loaders.ts";
import { createStrategyLoaders } from "./strategy/strategy.loaders.ts";
import { createGrantLoaders } from "./grant/grant.loaders.ts";
import { createSotkanetSyncLoaders } from "./indicator/sotkanet-sync.loaders.ts";
import { createHyteLoaders } from "./hyte/hyte.loaders.ts";

/**
 * The request's DataLoaders, merged from each feature's `<feature>.loaders.ts`:
 * every fan-out and entity reference goes through one.
 */
export function createLoaders(em: EntityManager) {
  return {
    sourceOf: createSourceLoader(em),
    measureFollowUpByCounty: createFollowUpLoader(em),
    ...createPlanLoaders(em),
    ...createThemeLoaders(em),
    ...createMeasureLoaders(em),
    ...createIndicatorLoaders(em),
    ...createNegotiationLoaders(em),
    ...createStrategyLoaders(em),
    ...createGrantLoaders(em),
    ...createSotkanetSyncLoaders(em),
    ...createHyteLoaders(em),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
