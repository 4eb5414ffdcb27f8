/**
 * The parts of a targetRef policy's spec that matching reads, whatever the policy type:
 * every Mesh* policy has the same outline (top-level `targetRef`, `to[]`, `from[]`,
 * `rules[]` or a proxy-wide `default`), only the confs differ.
 */
import type { Resource } from '../model/resource.js';
import type { Match } from '../resources/common/match.js';
import type { TargetRef } from '../resources/common/target-ref.js';

/** A tag map: inbound tags of a proxy, or a selector over them. */
export type Tags = Readonly<Record<string, string>>;

/** An entry of `to[]`, `from[]` or `rules[]`. Routes carry `rules` instead of `default` in `to[]`. */
export interface PolicyEntry {
  readonly targetRef?: TargetRef;
  readonly default?: unknown;
  readonly matches?: readonly Match[];
  readonly rules?: readonly unknown[];
  readonly hostnames?: readonly string[];
}

/** The outline every targetRef policy spec shares. */
export interface PolicySpecOutline {
  readonly targetRef?: TargetRef;
  readonly to?: readonly PolicyEntry[];
  readonly from?: readonly PolicyEntry[];
  readonly rules?: readonly PolicyEntry[];
  readonly default?: unknown;
}

/** Label naming where a synced resource was created: `global` or `zone`. */
export const ORIGIN_LABEL = 'kuma.io/origin';
/** Label with the user-facing name of a synced resource (its stored name is hash-suffixed). */
export const DISPLAY_NAME_LABEL = 'kuma.io/display-name';
/** Label with a policy's role: `system`, `producer`, `consumer` or `workload-owner`. */
export const POLICY_ROLE_LABEL = 'kuma.io/policy-role';

/** The spec of a policy, read through the shared outline. */
export function policySpec(policy: Resource): PolicySpecOutline {
  const spec = policy.spec;
  return typeof spec === 'object' && spec !== null ? (spec as PolicySpecOutline) : {};
}

/** The name users gave a resource: the `kuma.io/display-name` label when synced, else its name. */
export function displayName(r: Resource): string {
  return r.meta.labels[DISPLAY_NAME_LABEL] ?? r.meta.name;
}

/** True when every tag of `selector` is in `tags` with the same value (`{}` selects everything). */
export function selectsTags(selector: Tags, tags: Tags): boolean {
  for (const key in selector) {
    if (tags[key] !== selector[key]) return false;
  }
  return true;
}
