/**
 * Things a request builds once and reuses while it runs (e.g. a DataLoader per
 * set of field arguments), kept on its context (`BaseContext.cache`) so they
 * go with the request. A request that switches its EntityManager (a mutation
 * moving to the primary) gets a new cache with it.
 */
export class RequestCache {
  readonly #entries = new Map<string, unknown>();

  /** The entry under `key`, made by `make` the first time it is asked for. */
  getOrCreate<T>(key: string, make: () => T): T {
    if (this.#entries.has(key)) return this.#entries.get(key) as T;
    const made = make();
    this.#entries.set(key, made);
    return made;
  }
}
