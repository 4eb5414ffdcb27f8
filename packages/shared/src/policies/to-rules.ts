/**
 * Outbound "to" rules: the folded conf per destination.
 *
 * The `to[]` items of all policies that select a proxy are concatenated in fold order
 * (policies least important first, then each policy's `to[]` in written order). Each
 * distinct destination named by an item (`Mesh`, `MeshService web`, `MeshService web`
 * port `http`, …) gets one rule whose conf is the merge, in item order, of every item that
 * covers it: `Mesh` covers every service, `MeshService X` covers X and its sections, a
 * sectioned item covers only its section. This is Kuma's legacy (`kuma.io/service`-based)
 * to-rules semantics: item order decides, so a `Mesh` item of a more specific policy
 * overrides a `MeshService` item of a less specific one. (Kuma re-sorts items by
 * `to[].targetRef` kind only for real MeshService resources, which Strait does not have.)
 *
 * Route-scoped confs (policies whose top-level targetRef is a MeshHTTPRoute, or `to[]`
 * items on a MeshHTTPRoute) form their own destinations `{kind: MeshHTTPRoute, name}`,
 * covered only by items on that route.
 */
import type { Resource } from '../model/resource.js';
import type { TargetRef } from '../resources/common/target-ref.js';
import { subsetOf } from './from-rules.js';
import { canonicalJson, mergeConfs } from './merge-confs.js';
import { type PolicyEntry, policySpec, selectsTags, type Tags } from './policy-spec.js';

/** The folded conf for one destination. */
export interface ToRule {
  readonly targetRef: TargetRef;
  readonly conf: unknown;
  /** Names of the policies whose items were folded into `conf`, in fold order. */
  readonly origins: readonly string[];
}

interface ToItem {
  readonly ref: TargetRef;
  readonly conf: unknown;
  readonly origin: string;
}

/** Display order of destinations: broad first. */
const KIND_ORDER: Readonly<Record<string, number>> = {
  Mesh: 0,
  MeshSubset: 1,
  MeshService: 2,
  MeshServiceSubset: 3,
  MeshExternalService: 4,
  MeshMultiZoneService: 5,
  MeshHTTPRoute: 6,
};

function isSet(v: string | undefined): v is string {
  return v !== undefined && v !== '';
}

/** The destination a ref names, without its section: what decides identity and coverage. */
function destinationKey(ref: TargetRef): string {
  return canonicalJson({ kind: ref.kind, name: ref.name || undefined, labels: ref.labels, tags: ref.tags });
}

function fullKey(ref: TargetRef): string {
  return `${destinationKey(ref)}#${ref.sectionName ?? ''}`;
}

/** Tag subset of a service-style ref (not when it selects real resources by labels). */
function tagSubset(ref: TargetRef): Tags | undefined {
  if (ref.labels !== undefined && Object.keys(ref.labels).length > 0) return undefined;
  return ref.kind === 'Mesh' || ref.kind === 'MeshService' || ref.kind === 'MeshServiceSubset'
    ? subsetOf(ref)
    : undefined;
}

function covers(item: TargetRef, dest: TargetRef): boolean {
  if (dest.kind === 'MeshHTTPRoute') return fullKey(item) === fullKey(dest);
  if (isSet(item.sectionName) && item.sectionName !== dest.sectionName) return false;
  const itemTags = tagSubset(item);
  const destTags = tagSubset(dest);
  if (itemTags !== undefined && destTags !== undefined) return selectsTags(itemTags, destTags);
  return item.kind === 'Mesh' || destinationKey(item) === destinationKey(dest);
}

/** The conf of a `to[]` entry: `default`, or for route policies their `rules` (and hostnames). */
function entryConf(entry: PolicyEntry): unknown {
  if (entry.default !== undefined || entry.rules === undefined) return entry.default;
  return entry.hostnames === undefined ? { rules: entry.rules } : { rules: entry.rules, hostnames: entry.hostnames };
}

function toItems(policies: readonly Resource[]): ToItem[] {
  const out: ToItem[] = [];
  for (const policy of policies) {
    const spec = policySpec(policy);
    const top = spec.targetRef;
    for (const entry of spec.to ?? []) {
      if (entry.targetRef === undefined) continue;
      // A policy on a route configures that route only, whatever its to[] says (Kuma turns
      // its items into route-scoped ones).
      const ref: TargetRef =
        top?.kind === 'MeshHTTPRoute' ? { kind: 'MeshHTTPRoute', name: top.name ?? '' } : entry.targetRef;
      out.push({ ref, conf: entryConf(entry), origin: policy.meta.name });
    }
  }
  return out;
}

function compareRefs(a: TargetRef, b: TargetRef): number {
  const byKind = (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9);
  if (byKind !== 0) return byKind;
  const ka = fullKey(a);
  const kb = fullKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The to rules of a proxy selected by `policies` (in fold order), broad destinations first. */
export function buildToRules(policies: readonly Resource[]): ToRule[] {
  const items = toItems(policies);
  const destinations = new Map<string, TargetRef>();
  for (const item of items) {
    const key = fullKey(item.ref);
    if (!destinations.has(key)) destinations.set(key, item.ref);
  }
  const routeRules = items.some((i) => typeof i.conf === 'object' && i.conf !== null && 'rules' in i.conf);
  return [...destinations.values()].sort(compareRefs).map((dest) => {
    const covering = items.filter((item) => covers(item.ref, dest));
    const origins = [...new Set(covering.map((i) => i.origin))];
    return {
      targetRef: dest,
      conf: mergeConfs(
        covering.map((i) => i.conf),
        { routeRules },
      ),
      origins,
    };
  });
}

/**
 * The rule that applies to traffic towards `destination` (e.g. `{kind: 'MeshService',
 * name: 'backend'}`, optionally with `sectionName`): its own rule, else the rule of the
 * same destination without the section, else the `Mesh` rule; `undefined` when none.
 */
export function findToRule(rules: readonly ToRule[], destination: TargetRef): ToRule | undefined {
  const byKey = new Map(rules.map((r) => [fullKey(r.targetRef), r]));
  const own = byKey.get(fullKey(destination));
  if (own !== undefined) return own;
  if (isSet(destination.sectionName)) {
    const whole = byKey.get(fullKey({ ...destination, sectionName: '' }));
    if (whole !== undefined) return whole;
  }
  if (destination.kind === 'MeshHTTPRoute') return undefined;
  return byKey.get(fullKey({ kind: 'Mesh' }));
}
