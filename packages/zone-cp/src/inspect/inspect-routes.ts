import { type JsonValue, toJson } from '@bufbuild/protobuf';
import {
  ClusterLoadAssignmentSchema,
  ClusterSchema,
  envoyRegistry,
  ListenerSchema,
  RouteConfigurationSchema,
  SecretSchema,
} from '@strait/proto/envoy';
import { matchPolicies, type Resource, type ResourceRegistry, type ResourceStore, StraitError } from '@strait/shared';
import type { FastifyInstance } from 'fastify';
import type { ProxyResources } from '../xds/generate/index.js';
import type { XdsReconciler } from '../xds/reconcile/xds-reconciler.js';

/** Dependencies of {@link registerInspectRoutes}. */
export interface InspectRoutesOptions {
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly reconciler: Pick<XdsReconciler, 'inspect' | 'inspectIngress'>;
}

interface DataplaneParams {
  readonly mesh: string;
  readonly name: string;
}

/** Private keys never leave the CP, not even to an admin's inspect call. */
function redactKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(redactKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = k === 'privateKey' ? { inlineString: '[redacted]' } : redactKeys(v);
    return out;
  }
  return value;
}

/** The generated resources as Envoy's JSON, private keys redacted. */
function resourcesJson(r: ProxyResources): JsonValue {
  return redactKeys({
    listeners: r.listeners.map((m) => toJson(ListenerSchema, m, { registry: envoyRegistry })),
    clusters: r.clusters.map((m) => toJson(ClusterSchema, m, { registry: envoyRegistry })),
    endpoints: r.endpoints.map((m) => toJson(ClusterLoadAssignmentSchema, m, { registry: envoyRegistry })),
    routes: r.routes.map((m) => toJson(RouteConfigurationSchema, m, { registry: envoyRegistry })),
    secrets: r.secrets.map((m) => toJson(SecretSchema, m, { registry: envoyRegistry })),
  });
}

/**
 * `GET /meshes/{mesh}/dataplanes/{name}/xds` (alias `/_config`): the Envoy configuration the CP
 * would send the proxy, generated on demand, with `warnings` saying what it consumes but cannot
 * reach and why (e.g. a service in another zone while the mesh has no mTLS); `GET …/policies`
 * (alias `/_policies`): which policies match it and their folded confs. `GET
 * /zoneingresses/{name}/xds` (alias `/_config`): what a zone ingress of this zone gets.
 */
export function registerInspectRoutes(app: FastifyInstance, options: InspectRoutesOptions): void {
  const xds = async (req: { params: unknown }) => {
    const { mesh, name } = req.params as DataplaneParams;
    const inspection = await options.reconciler.inspect(mesh, name);
    if (inspection === undefined) throw new StraitError('NotFound', `Dataplane ${mesh}/${name} not found`);
    return {
      ...(resourcesJson(inspection.resources) as Record<string, JsonValue>),
      warnings: (inspection.context.warnings ?? []).map((w) => ({ ...w })),
    };
  };
  const ingressXds = async (req: { params: unknown }) => {
    const { name } = req.params as { readonly name: string };
    const inspection = await options.reconciler.inspectIngress(name);
    if (inspection === undefined) throw new StraitError('NotFound', `ZoneIngress ${name} not found`);
    return resourcesJson(inspection.resources);
  };
  const policies = async (req: { params: unknown }) => {
    const { mesh, name } = req.params as DataplaneParams;
    const dataplane = await options.store.get({ type: 'Dataplane', mesh, name });
    if (dataplane === undefined) throw new StraitError('NotFound', `Dataplane ${mesh}/${name} not found`);
    const byType = new Map<string, readonly Resource[]>();
    for (const d of options.registry.all().filter((t) => t.isPolicy)) {
      byType.set(d.name, (await options.store.list({ type: d.name, mesh })).items);
    }
    return { items: matchPolicies(dataplane, byType, options.registry, { omitEmpty: true }) };
  };
  for (const path of ['xds', '_config']) app.get(`/meshes/:mesh/dataplanes/:name/${path}`, xds);
  for (const path of ['policies', '_policies']) app.get(`/meshes/:mesh/dataplanes/:name/${path}`, policies);
  for (const path of ['xds', '_config']) app.get(`/zoneingresses/:name/${path}`, ingressXds);
}
