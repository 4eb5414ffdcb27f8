/**
 * Kuma's `GlobalInsight`: counts of meshes, zones, proxies, services, policies and every
 * resource type, computed from the store on request. Which types are "zones", "zone
 * ingresses" and "dataplanes" is Kuma's definition of this document, named here once.
 */
import type { Resource, ResourceRegistry, ResourceStore } from '@strait/shared';
import { isOnline } from '../overview/online.js';
import type { OverviewPair } from '../overview/overview-pairs.js';
import { type ZoneLiveness, zoneLiveness } from '../overview/zone-liveness.js';
import { type DataplaneKind, dataplaneFacts } from './dataplane-health.js';
import { type BaseStatus, combine, count, emptyFullStatus, type FullStatus, type Health } from './status-counter.js';

const MESH = 'Mesh';
const ZONE = 'Zone';
const ZONE_INGRESS = 'ZoneIngress';
const ZONE_EGRESS = 'ZoneEgress';
const DATAPLANE = 'Dataplane';

/** The `/global-insight` document. */
export interface GlobalInsight {
  readonly createdAt: string;
  readonly services: {
    readonly total: number;
    readonly internal: FullStatus;
    readonly external: { readonly total: number };
    readonly gatewayBuiltin: FullStatus;
    readonly gatewayDelegated: FullStatus;
  };
  readonly zones: {
    readonly controlPlanes: BaseStatus;
    readonly zoneEgresses: BaseStatus;
    readonly zoneIngresses: BaseStatus;
  };
  readonly dataplanes: Readonly<Record<DataplaneKind, FullStatus>>;
  readonly policies: { readonly total: number };
  readonly meshes: { readonly total: number };
  readonly resources: Readonly<Record<string, { readonly total: number }>>;
}

/** Inputs of {@link computeGlobalInsight}. */
export interface GlobalInsightSources {
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly pairs: readonly OverviewPair[];
  readonly now: () => Date;
}

const keyString = (r: Resource): string => `${r.meta.mesh ?? ''}/${r.meta.name}`;

async function listAll(sources: GlobalInsightSources, type: string | undefined): Promise<readonly Resource[]> {
  if (type === undefined || sources.registry.byName(type) === undefined) return [];
  return (await sources.store.list({ type })).items;
}

/**
 * Each resource of `type` with its insight's spec (undefined when it has none), as shown: a
 * zone's copies count offline while the zone is (see `zone-liveness.ts`).
 */
async function withInsights(
  sources: GlobalInsightSources,
  liveness: ZoneLiveness,
  type: string,
): Promise<ReadonlyArray<readonly [Resource, unknown]>> {
  const pair = sources.pairs.find((p) => p.resource.name === type);
  const [items, insights] = await Promise.all([listAll(sources, type), listAll(sources, pair?.insight.name)]);
  const byKey = new Map(insights.map((i) => [keyString(i), i.spec] as const));
  return Promise.all(items.map(async (r) => [r, await liveness.insightOf(r, byKey.get(keyString(r)))] as const));
}

async function baseStatus(sources: GlobalInsightSources, liveness: ZoneLiveness, type: string): Promise<BaseStatus> {
  const rows = await withInsights(sources, liveness, type);
  return { total: rows.length, online: rows.filter(([, insight]) => isOnline(insight)).length };
}

async function proxiesAndServices(
  sources: GlobalInsightSources,
  liveness: ZoneLiveness,
): Promise<{ dataplanes: Record<DataplaneKind, FullStatus>; services: Record<DataplaneKind, FullStatus> }> {
  const dataplanes: Record<DataplaneKind, FullStatus> = {
    standard: emptyFullStatus(),
    gatewayBuiltin: emptyFullStatus(),
    gatewayDelegated: emptyFullStatus(),
  };
  const serviceHealths = new Map<string, { kind: DataplaneKind; healths: Health[] }>();
  for (const [dp, insight] of await withInsights(sources, liveness, DATAPLANE)) {
    const facts = dataplaneFacts(dp.spec, insight);
    count(dataplanes[facts.kind], facts.health);
    for (const [service, health] of facts.services) {
      const key = `${facts.kind}/${dp.meta.mesh ?? ''}/${service}`;
      const entry = serviceHealths.get(key) ?? { kind: facts.kind, healths: [] };
      entry.healths.push(health);
      serviceHealths.set(key, entry);
    }
  }
  const services: Record<DataplaneKind, FullStatus> = {
    standard: emptyFullStatus(),
    gatewayBuiltin: emptyFullStatus(),
    gatewayDelegated: emptyFullStatus(),
  };
  for (const { kind, healths } of serviceHealths.values()) count(services[kind], combine(healths));
  return { dataplanes, services };
}

async function resourceTotals(sources: GlobalInsightSources): Promise<Record<string, { total: number }>> {
  const totals = await Promise.all(
    sources.registry
      .all()
      .map(async (d) => [d.name, (await sources.store.list({ type: d.name, size: 1 })).total] as const),
  );
  return Object.fromEntries(totals.map(([name, total]) => [name, { total }]));
}

/** Computes the global insight. */
export async function computeGlobalInsight(sources: GlobalInsightSources): Promise<GlobalInsight> {
  const liveness = zoneLiveness(sources.store, sources.now);
  const [resources, controlPlanes, zoneIngresses, zoneEgresses, proxies] = await Promise.all([
    resourceTotals(sources),
    baseStatus(sources, liveness, ZONE),
    baseStatus(sources, liveness, ZONE_INGRESS),
    baseStatus(sources, liveness, ZONE_EGRESS),
    proxiesAndServices(sources, liveness),
  ]);
  const policies = sources.registry
    .all()
    .filter((d) => d.isPolicy)
    .reduce((sum, d) => sum + (resources[d.name]?.total ?? 0), 0);
  const internal = proxies.services.standard;
  return {
    createdAt: sources.now().toISOString(),
    services: {
      total: internal.total,
      internal,
      external: { total: 0 },
      gatewayBuiltin: proxies.services.gatewayBuiltin,
      gatewayDelegated: proxies.services.gatewayDelegated,
    },
    zones: { controlPlanes, zoneEgresses, zoneIngresses },
    dataplanes: proxies.dataplanes,
    policies: { total: policies },
    meshes: { total: resources[MESH]?.total ?? 0 },
    resources,
  };
}
