import type { ServiceDefinition } from "@yhdyspinta/core";
import { CooperationGroup, GroupMunicipality } from "./group/group.entity.ts";
import { cooperationGroupReference, CooperationGroupResolver, MunicipalityGroupsResolver } from "./group/group.resolver.ts";
import { createLoaders, type Loaders } from "./loaders.ts";
import { migrations } from "./migrations/index.ts";
import { seed } from "./seed/seed.ts";

/** The groups subgraph: cooperation and partnership groups, areas, seats, memberships, rounds, meetings, liaisons. */
export const groupsService: ServiceDefinition<Loaders> = {
  name: "groups",
  defaultPort: 4002,
  entities: [CooperationGroup, GroupMunicipality],
  migrations,
  resolvers: [CooperationGroupResolver, MunicipalityGroupsResolver],
  references: { ...cooperationGroupReference } as never,
  seed,
  createLoaders: (em) => createLoaders(em),
};
