import type { Resource, ResourceDescriptor, ResourceRegistry } from '@strait/shared';

/**
 * A type joined with its insight, e.g. Dataplane + DataplaneInsight → DataplaneOverview.
 * Found by naming convention (`<Type>Insight` of the same scope, same name and mesh), so a
 * new type with an insight gets overview endpoints without code.
 */
export interface OverviewPair {
  readonly resource: ResourceDescriptor;
  readonly insight: ResourceDescriptor;
  /** `DataplaneOverview`. */
  readonly overviewType: string;
  /** Field holding the resource's spec: `dataplane`. */
  readonly resourceField: string;
  /** Field holding the insight's spec: `dataplaneInsight`. */
  readonly insightField: string;
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** Every type of the registry that has an insight type. */
export function overviewPairs(registry: ResourceRegistry): readonly OverviewPair[] {
  const pairs: OverviewPair[] = [];
  for (const resource of registry.all()) {
    const insight = registry.byName(`${resource.name}Insight`);
    if (insight === undefined || insight.scope !== resource.scope) continue;
    pairs.push(
      Object.freeze({
        resource,
        insight,
        overviewType: `${resource.name}Overview`,
        resourceField: lowerFirst(resource.name),
        insightField: lowerFirst(insight.name),
      }),
    );
  }
  return Object.freeze(pairs);
}

/**
 * Kuma's overview shape: the resource's metadata, its spec under `resourceField` and its
 * insight's spec under `insightField` (`{}` while there is no insight yet).
 */
export function toOverview(pair: OverviewPair, r: Resource, insight: Resource | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { type: pair.overviewType };
  if (r.meta.mesh !== undefined) out.mesh = r.meta.mesh;
  out.name = r.meta.name;
  out.creationTime = r.meta.creationTime;
  out.modificationTime = r.meta.modificationTime;
  out.labels = { ...r.meta.labels };
  out[pair.resourceField] = r.spec;
  out[pair.insightField] = insight?.spec ?? {};
  return out;
}
