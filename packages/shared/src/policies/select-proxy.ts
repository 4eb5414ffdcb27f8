/**
 * Does a policy's top-level `targetRef` select a Dataplane, and which of its inbounds?
 * Follows Kuma 2.x (`matchers/dataplane.go`): tag-based kinds look at inbound tags (and at
 * the tags of a gateway proxy), `Dataplane` looks at the proxy's name or resource labels,
 * an absent top-level targetRef means `Mesh`. A policy that selects nothing is ignored.
 */
import type { Resource } from '../model/resource.js';
import { SERVICE_TAG, ZONE_TAG } from '../resources/common/tags.js';
import type { TargetRef, TargetRefKind } from '../resources/common/target-ref.js';
import type { DataplaneSpec } from '../resources/dataplane.js';
import { displayName, ORIGIN_LABEL, POLICY_ROLE_LABEL, policySpec, selectsTags, type Tags } from './policy-spec.js';

/**
 * How specific each top-level kind is, least specific first, as Kuma 2.x orders them
 * (`api/common/v1alpha1/targetref.go`). Note that Kuma ranks `Dataplane` right above
 * `Mesh`: it replaces `MeshSubset` and is not meant to be mixed with the legacy kinds.
 */
export const KIND_SPECIFICITY: Readonly<Record<TargetRefKind, number>> = Object.freeze({
  Mesh: 1,
  Dataplane: 2,
  MeshSubset: 3,
  MeshGateway: 4,
  MeshService: 5,
  MeshExternalService: 6,
  MeshMultiZoneService: 7,
  MeshServiceSubset: 8,
  MeshHTTPRoute: 9,
});

/**
 * Specificity of a top-level targetRef: the kind's rank times ten, plus, for `Dataplane`,
 * how it selects (all < labels < labels+sectionName < name < name+sectionName, as in
 * Kuma's docs). Higher is more specific. An absent ref is `Mesh`.
 */
export function targetRefSpecificity(ref: TargetRef | undefined): number {
  if (ref === undefined) return KIND_SPECIFICITY.Mesh * 10;
  let sub = 0;
  if (ref.kind === 'Dataplane') {
    const section = (ref.sectionName ?? '') !== '';
    if ((ref.name ?? '') !== '') sub = section ? 4 : 3;
    else if (Object.keys(ref.labels ?? {}).length > 0) sub = section ? 2 : 1;
  }
  return KIND_SPECIFICITY[ref.kind] * 10 + sub;
}

/** What a policy's top-level targetRef selects on one Dataplane. */
export interface ProxySelection {
  /** Indices into `networking.inbound` of the selected inbounds, in order. */
  readonly inbounds: readonly number[];
  /** The proxy is a gateway (`networking.gateway`) and the gateway is selected. */
  readonly gateway: boolean;
  /** {@link targetRefSpecificity} of the policy's top-level targetRef. */
  readonly specificity: number;
}

/** Options of {@link selectProxy}. */
export interface SelectProxyOptions {
  /**
   * MeshHTTPRoutes of the mesh by name (and display name), to resolve a top-level
   * `MeshHTTPRoute` ref to the proxies the route itself targets. Without it such policies
   * select nothing.
   */
  readonly routes?: ReadonlyMap<string, Resource>;
}

const EMPTY: readonly number[] = Object.freeze([]);

function dataplaneSpec(dataplane: Resource): DataplaneSpec {
  return dataplane.spec as DataplaneSpec;
}

/** Indices of the inbounds (not `Ignored`) whose tags include `selector`. */
function inboundsWithTags(spec: DataplaneSpec, selector: Tags): number[] {
  const out: number[] = [];
  (spec.networking.inbound ?? []).forEach((inbound, i) => {
    if (inbound.state !== 'Ignored' && selectsTags(selector, inbound.tags)) out.push(i);
  });
  return out;
}

/**
 * Indices of the inbounds a `sectionName` names: the inbounds with that name, else the
 * unnamed inbounds whose port is that number (Kuma resolves names first, then ports).
 */
function inboundsBySection(spec: DataplaneSpec, sectionName: string): number[] {
  const inbounds = spec.networking.inbound ?? [];
  const live = (i: number): boolean => inbounds[i]?.state !== 'Ignored';
  const byName = inbounds.flatMap((inbound, i) => (inbound.name === sectionName && live(i) ? [i] : []));
  if (byName.length > 0) return byName;
  return inbounds.flatMap((inbound, i) =>
    inbound.name === undefined && String(inbound.port) === sectionName && live(i) ? [i] : [],
  );
}

function proxyTypeAllowed(ref: TargetRef, spec: DataplaneSpec): boolean {
  if (ref.proxyTypes === undefined || ref.proxyTypes.length === 0) return true;
  return ref.proxyTypes.includes(spec.networking.gateway === undefined ? 'Sidecar' : 'Gateway');
}

function byTags(spec: DataplaneSpec, selector: Tags): { inbounds: number[]; gateway: boolean } {
  const gw = spec.networking.gateway;
  return { inbounds: inboundsWithTags(spec, selector), gateway: gw !== undefined && selectsTags(selector, gw.tags) };
}

function dataplaneRefMatches(ref: TargetRef, dataplane: Resource): boolean {
  const name = ref.name ?? '';
  if (name !== '') return name === dataplane.meta.name || name === displayName(dataplane);
  const labels = ref.labels ?? {};
  return selectsTags(labels, dataplane.meta.labels);
}

/**
 * A zone-originated policy only configures proxies of its own zone (Kuma's
 * `dppSelectedByZone`); global policies and producer policies apply everywhere.
 */
function zoneAllows(policy: Resource, dataplane: Resource): boolean {
  const labels = policy.meta.labels;
  if (labels[POLICY_ROLE_LABEL] === 'producer' || labels[ORIGIN_LABEL] !== 'zone') return true;
  const policyZone = labels[ZONE_TAG];
  const dpLabels = dataplane.meta.labels;
  if (policyZone === undefined || dpLabels[ORIGIN_LABEL] !== 'zone') return true;
  return dpLabels[ZONE_TAG] === policyZone;
}

function selectByRef(
  ref: TargetRef,
  dataplane: Resource,
  options: SelectProxyOptions,
  depth: number,
): { inbounds: readonly number[]; gateway: boolean } {
  const spec = dataplaneSpec(dataplane);
  switch (ref.kind) {
    case 'Mesh':
      return proxyTypeAllowed(ref, spec) ? byTags(spec, {}) : { inbounds: EMPTY, gateway: false };
    case 'MeshSubset':
      return proxyTypeAllowed(ref, spec) ? byTags(spec, ref.tags ?? {}) : { inbounds: EMPTY, gateway: false };
    case 'MeshService':
      return byTags(spec, { [SERVICE_TAG]: ref.name ?? '' });
    case 'MeshServiceSubset':
      return byTags(spec, { ...ref.tags, [SERVICE_TAG]: ref.name ?? '' });
    case 'Dataplane': {
      if (!dataplaneRefMatches(ref, dataplane)) return { inbounds: EMPTY, gateway: false };
      const section = ref.sectionName ?? '';
      if (section !== '') return { inbounds: inboundsBySection(spec, section), gateway: false };
      return { inbounds: inboundsWithTags(spec, {}), gateway: spec.networking.gateway !== undefined };
    }
    case 'MeshHTTPRoute': {
      // The route's own top-level targetRef decides; one level deep is all Kuma resolves.
      const route = options.routes?.get(ref.name ?? '');
      if (route === undefined || depth > 0) return { inbounds: EMPTY, gateway: false };
      return selectByRef(policySpec(route).targetRef ?? { kind: 'Mesh' }, dataplane, options, depth + 1);
    }
    default:
      // MeshGateway needs the MeshGateway resource (builtin gateways), and the service kinds
      // are destinations, not proxies: none of them selects a Dataplane here.
      return { inbounds: EMPTY, gateway: false };
  }
}

/**
 * What `policy`'s top-level targetRef selects on `dataplane`, or `undefined` when it selects
 * nothing (the policy is then ignored for this proxy). A proxy with no inbounds (e.g. only
 * zone-proxy listeners) is still selected by a `Dataplane` ref that names it.
 */
export function selectProxy(
  policy: Resource,
  dataplane: Resource,
  options: SelectProxyOptions = {},
): ProxySelection | undefined {
  if (policy.meta.mesh !== dataplane.meta.mesh || !zoneAllows(policy, dataplane)) return undefined;
  const ref = policySpec(policy).targetRef ?? { kind: 'Mesh' };
  const { inbounds, gateway } = selectByRef(ref, dataplane, options, 0);
  const wholeProxy = ref.kind === 'Dataplane' && (ref.sectionName ?? '') === '' && dataplaneRefMatches(ref, dataplane);
  if (inbounds.length === 0 && !gateway && !wholeProxy) return undefined;
  return { inbounds, gateway, specificity: targetRefSpecificity(ref) };
}

/** MeshHTTPRoutes indexed by name and display name, for {@link SelectProxyOptions.routes}. */
export function indexRoutes(routes: readonly Resource[]): ReadonlyMap<string, Resource> {
  const out = new Map<string, Resource>();
  for (const r of routes) {
    out.set(displayName(r), r);
    out.set(r.meta.name, r);
  }
  return out;
}
