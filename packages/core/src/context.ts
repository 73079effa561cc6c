import type { EntityManager } from "@mikro-orm/postgresql";
import type { Viewer } from "./auth.ts";

/**
 * Per-operation context: one forked EntityManager and the service's
 * DataLoaders, created together for each request and passed explicitly.
 */
export interface BaseContext<Loaders = unknown> {
  em: EntityManager;
  viewer: Viewer;
  loaders: Loaders;
}
