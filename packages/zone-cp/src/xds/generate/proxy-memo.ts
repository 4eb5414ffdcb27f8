/**
 * One proxy's own resources (its inbound and metrics listeners, its secrets) remembered from
 * its previous generation together with the inputs they were made from. When a mesh-wide
 * change regenerates every proxy, a resource whose inputs are unchanged is handed back as the
 * same object, which the snapshot cache has already packed and hashed (it keys that work on
 * object identity): only resources whose inputs changed cost serialization and hashing.
 */

interface Entry {
  readonly inputs: readonly unknown[];
  readonly value: unknown;
}

/**
 * Resources of one proxy by slot (e.g. `inbound|0`), from its last generation. Only the slots
 * that a generation used survive it, so removed inbounds do not linger.
 */
export interface ProxyMemo {
  /** Entries of the generation before the current one (read). */
  previous: Map<string, Entry>;
  /** Entries of the current generation (written). */
  current: Map<string, Entry>;
}

/** Creates an empty {@link ProxyMemo}. */
export function createProxyMemo(): ProxyMemo {
  return { previous: new Map(), current: new Map() };
}

/** Starts a new generation: what the last one made becomes what this one may reuse. */
export function beginProxyGeneration(memo: ProxyMemo): void {
  memo.previous = memo.current;
  memo.current = new Map();
}

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * The value of `slot`: last generation's when its `inputs` equal this one's element by element
 * (`Object.is`; strings compare by content), else `make()`. `inputs` must be everything `make`
 * reads; anything left out would serve stale config.
 */
export function reused<T>(memo: ProxyMemo | undefined, slot: string, inputs: readonly unknown[], make: () => T): T {
  if (memo === undefined) return make();
  const hit = memo.current.get(slot) ?? memo.previous.get(slot);
  const value = hit !== undefined && sameInputs(hit.inputs, inputs) ? (hit.value as T) : make();
  memo.current.set(slot, { inputs, value });
  return value;
}
