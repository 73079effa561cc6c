import type { ServiceDefinition } from "@yhdyspinta/core";
import { createLoaders, type Loaders } from "./loaders.ts";
import { migrations } from "./migrations/index.ts";
import { WellbeingPlan } from "./plan/plan.entity.ts";
import { MunicipalityPlansResolver, wellbeingPlanReference, WellbeingPlanResolver } from "./plan/plan.resolver.ts";

/** The planning subgraph: wellbeing reports and plans, themes, measures, indicators, negotiations, strategy, grants. */
export const planningService: ServiceDefinition<Loaders> = {
  name: "planning",
  defaultPort: 4003,
  entities: [WellbeingPlan],
  migrations,
  resolvers: [WellbeingPlanResolver, MunicipalityPlansResolver],
  references: { ...wellbeingPlanReference } as never,
  createLoaders: (em) => createLoaders(em),
};
