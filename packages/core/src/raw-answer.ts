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
 * A plugin or the executor answers this request with `data` (the JSON text of
 * the result's `data`, as a Buffer): returns the `data` to give Apollo Server,
 * empty when `serveApollo` will send the bytes, or the parsed object for a
 * caller of `executeOperation`.
 */
export function answerRaw(contextValue: object, data: Buffer): Record<string, unknown> {
  const slot = slotOf(contextValue);
  if (!slot) return JSON.parse(data.toString("utf8")) as Record<string, unknown>;
  slot.data = data;
  return {};
}

/** Apollo Server's body of a single result that has only `data`: `{"data":…}` and a newline. */
const BODY_PREFIX = Buffer.from('{"data":');
const BODY_SUFFIX = Buffer.from("}\n");

/** The body bytes around a raw answer, in order (`serveApollo` writes them as they are). */
export function rawAnswerBody(data: Buffer): Buffer[] {
  return [BODY_PREFIX, data, BODY_SUFFIX];
}

/**
 * The bytes of `data` in a body that is `{"data":{…}}` and nothing else (a
 * subgraph's answer), or undefined. Apollo Server writes `errors` before
 * `data` and `extensions` after it; a body naming "extensions" anywhere (even
 * inside a value) is left to the parser.
 */
export function rawDataOf(body: Buffer): Buffer | undefined {
  let end = body.length;
  while (end > 0 && (body[end - 1] === 0x0a || body[end - 1] === 0x20 || body[end - 1] === 0x0d)) end -= 1;
  const start = BODY_PREFIX.length;
  if (end < start + 3 || body[start] !== 0x7b || body[end - 1] !== 0x7d || body[end - 2] !== 0x7d) return undefined;
  if (!body.subarray(0, start).equals(BODY_PREFIX)) return undefined;
  if (body.indexOf('"extensions"') !== -1) return undefined;
  return body.subarray(start, end - 1);
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
