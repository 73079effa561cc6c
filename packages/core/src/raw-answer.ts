/**
 * A whole answer the gateway already holds as JSON bytes (a response cache
 * hit, or a subgraph's answer that is the whole answer), sent by
 * `serveApollo` as it is: Apollo Server would otherwise
 * serialise the result object again on every request, and a cache that keeps
 * answers as objects keeps megabytes of small objects for the garbage
 * collector to trace. Only `serveApollo` offers the slot; a caller of
 * `executeOperation` gets the result object as usual.
 *
 * The slot is an own (enumerable, symbol-keyed) property of the context:
 * Apollo Server hands plugins a shallow copy of the context object, which
 * keeps its properties but not its identity.
 */
const SLOT = Symbol("rawAnswer");

interface Slot {
  data?: Buffer;
}

function slotOf(contextValue: object): Slot | undefined {
  return (contextValue as { [SLOT]?: Slot })[SLOT];
}

/** `serveApollo`: this request's context can carry a raw answer. */
export function offerRawAnswer(contextValue: object): void {
  Object.defineProperty(contextValue, SLOT, { value: {} satisfies Slot, enumerable: true });
}

/**
 * A plugin or the executor: answer this request with `data` (the JSON text of
 * the result's `data`, as a Buffer) and give Apollo Server an empty `data`;
 * false when the request did not come through `serveApollo`, and the caller
 * must return the result object itself.
 */
export function answerRaw(contextValue: object, data: Buffer): boolean {
  const slot = slotOf(contextValue);
  if (!slot) return false;
  slot.data = data;
  return true;
}

/** The raw answer set for this request so far, if any (a plugin that keeps answers, e.g. the response cache). */
export function peekRawAnswer(contextValue: object): Buffer | undefined {
  return slotOf(contextValue)?.data;
}

/** `serveApollo`: the raw answer a plugin set for this request, if any. */
export function takeRawAnswer(contextValue: object): Buffer | undefined {
  const slot = slotOf(contextValue);
  const data = slot?.data;
  if (slot) delete slot.data;
  return data;
}
