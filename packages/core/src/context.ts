import type { EntityManager } from "@mikro-orm/postgresql";
import type DataLoader from "dataloader";
import type { RequestCache } from "./audit/request-cache.ts";
import type { Viewer } from "./auth.ts";
import type { ReferenceChecker } from "./references.ts";

/**
 * Per-operation context: one forked EntityManager and the service's
 * DataLoaders, created together for each request and passed explicitly.
 */
export interface BaseContext<Loaders = unknown> {
  em: EntityManager;
  viewer: Viewer;
  loaders: Loaders;
  /** Asks other subgraphs whether keys this one stores exist (before a write commits). */
  references: ReferenceChecker;
  /**
   * Every id an organisation is known by (its own and merged duplicates'),
   * batched per request through `references.organisationIds`; absent where
   * no organisations subgraph is configured (a subgraph alone in a test).
   */
  organisationIds?: DataLoader<string, string[]>;
  /** What the request builds once and reuses (e.g. the `changes` field's loaders); new with each `em`. */
  cache: RequestCache;
  /** The instant the request reads the register as known at (audit/known-at.ts); its `em` then holds a transaction of temporary views. */
  knownAt?: string;
}
