/**
 * Folding `default` confs of matched policies, as Kuma does (`rules/merge`):
 *
 * - JSON merge patch, RFC 7386: objects merge key by key, `null` deletes a key, anything
 *   else (scalars **and lists**) replaces what was there. Later confs win.
 * - Exception 1, Kuma's `Append*` fields: a list under a key whose name starts with
 *   `append` (e.g. MeshMetric's `sidecar.profiles.appendProfiles`) is concatenated across
 *   confs instead of replaced.
 * - Exception 2, route rules (opt-in, {@link MergeOptions.routeRules}): MeshHTTPRoute /
 *   MeshTCPRoute `rules` are merged by their `matches` (Kuma's `mergeValuesByKey`): rules
 *   of later (more important) confs come first, a rule whose `matches` equal an earlier
 *   conf's rule absorbs it (defaults merge-patched, later wins).
 *
 * Not modelled: Kuma's `mergeValues` split of gateway route confs by `hostnames` (hostnames
 * are replaced like any list). Inputs are never mutated; results are fresh JSON values.
 */

/** A JSON object. */
type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A deep copy of a JSON value (`undefined` stays `undefined`). */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = cloneJson(x);
    return out as T;
  }
  return v;
}

/** A canonical JSON text of a value: object keys sorted, so equal values give equal texts. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return v === undefined ? 'null' : JSON.stringify(v);
}

/** Applies `patch` to `target` per RFC 7386 plus the `append*` exception; returns a new value. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return cloneJson(patch);
  const base: JsonObject = isObject(target) ? target : {};
  const out: JsonObject = {};
  // Target keys first (keeps their order), then keys only the patch has.
  for (const key of [...Object.keys(base), ...Object.keys(patch).filter((k) => !Object.hasOwn(base, k))]) {
    const value = Object.hasOwn(patch, key) ? patch[key] : undefined;
    const current = base[key];
    if (value === undefined) {
      // absent from the patch (or `undefined`, which JSON cannot say): keep the target's
      if (current !== undefined) out[key] = cloneJson(current);
    } else if (value === null) {
      // RFC 7386: null deletes
    } else if (key.startsWith('append') && Array.isArray(value) && Array.isArray(current)) {
      out[key] = [...cloneJson(current), ...cloneJson(value)];
    } else {
      out[key] = mergePatch(current, value);
    }
  }
  return out;
}

/** Options of {@link mergeConfs}. */
export interface MergeOptions {
  /** Merge top-level `rules` lists by `matches` (route policies' `to[]` confs). Default false. */
  readonly routeRules?: boolean;
}

interface RouteRule {
  readonly matches?: unknown;
  readonly default?: unknown;
}

function mergeRouteRules(earlier: unknown, later: unknown): unknown[] {
  const before = (Array.isArray(earlier) ? earlier : []) as RouteRule[];
  const after = (Array.isArray(later) ? later : []) as RouteRule[];
  const absorbed = new Set<number>();
  const byKey = new Map<string, number>();
  before.forEach((r, i) => {
    byKey.set(canonicalJson(r.matches ?? null), i);
  });
  const head = after.map((r) => {
    const i = byKey.get(canonicalJson(r.matches ?? null));
    const prior = i === undefined ? undefined : before[i];
    if (i === undefined || prior === undefined || absorbed.has(i)) return cloneJson(r);
    absorbed.add(i);
    return { ...cloneJson(r), default: mergePatch(prior.default, r.default ?? {}) };
  });
  const tail = before.filter((_, i) => !absorbed.has(i)).map(cloneJson);
  return [...head, ...tail];
}

/**
 * Folds confs, least important first, into one conf. `undefined` confs are skipped; the
 * result is `undefined` when nothing is left.
 */
export function mergeConfs(confs: readonly unknown[], options: MergeOptions = {}): unknown {
  let acc: unknown;
  let any = false;
  for (const conf of confs) {
    if (conf === undefined) continue;
    if (!any) {
      acc = mergePatch(undefined, conf);
      any = true;
      continue;
    }
    const next = mergePatch(acc, conf);
    if (options.routeRules === true && isObject(acc) && isObject(conf) && isObject(next) && 'rules' in conf) {
      next.rules = mergeRouteRules(acc.rules, conf.rules);
    }
    acc = next;
  }
  return acc;
}
