/**
 * Overview endpoints: each resource joined with its insight of the same name and mesh
 * (Kuma's `DataplaneOverview`, `ZoneOverview`, `ZoneIngressOverview`). Served at Kuma's
 * current paths (`…/{plural}/_overview`, `…/{plural}/{name}/_overview`) and its legacy ones
 * (`…/{plural}+insights`, `…/{plural}+insights/{name}`) that its GUI and CLI still use.
 */
import { formatKey, type Resource, type ResourceStore, StraitError } from '@strait/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseListFilters } from '../http/list-filters.js';
import { nextPageUrl, parsePageRequest } from '../http/pagination.js';
import type { QueryValues } from '../http/query-values.js';
import { type OverviewPair, toOverview } from '../overview/overview-pairs.js';
import { type ZoneLiveness, zoneLiveness } from '../overview/zone-liveness.js';
import { keyFromParams, type ListBody, type ResourceParams, requireMesh } from './resource-handlers.js';
import { collectionPath } from './resource-routes.js';

type Request = FastifyRequest<{ Params: ResourceParams; Querystring: QueryValues }>;

/** The insight of `r`, as shown: closed while the zone it came from is offline (see `zone-liveness.ts`). */
async function insightOf(
  store: ResourceStore,
  pair: OverviewPair,
  r: Resource,
  liveness: ZoneLiveness,
): Promise<Resource | undefined> {
  const { mesh, name } = r.meta;
  const insight = await store.get(
    mesh === undefined ? { type: pair.insight.name, name } : { type: pair.insight.name, mesh, name },
  );
  if (insight === undefined) return undefined;
  return { ...insight, spec: await liveness.insightOf(r, insight.spec) };
}

/** Registers the overview routes of every pair. */
export function registerOverviewRoutes(
  app: FastifyInstance,
  store: ResourceStore,
  pairs: readonly OverviewPair[],
  adminOnlyTypes: ReadonlySet<string>,
): void {
  for (const pair of pairs) {
    const d = pair.resource;
    const adminOnly = adminOnlyTypes.has(d.name) || adminOnlyTypes.has(pair.insight.name);
    const base = collectionPath(d.scope, d.plural);

    const list = async (request: Request): Promise<ListBody<Record<string, unknown>>> => {
      const page = parsePageRequest(request.query);
      const filters = parseListFilters(request.query);
      const mesh = d.scope === 'mesh' ? request.params.mesh : undefined;
      if (mesh !== undefined) await requireMesh(store, mesh);
      const result = await store.list({
        type: d.name,
        ...(mesh === undefined ? {} : { mesh }),
        ...filters,
        size: page.size,
        offset: page.offset,
      });
      const liveness = zoneLiveness(store);
      const insights = await Promise.all(result.items.map((r) => insightOf(store, pair, r, liveness)));
      return {
        total: result.total,
        items: result.items.map((r, i) => toOverview(pair, r, insights[i])),
        next: nextPageUrl(request, result.nextOffset),
      };
    };

    const get = async (request: Request): Promise<Record<string, unknown>> => {
      const key = keyFromParams(d, request.params);
      const r = await store.get(key);
      if (r === undefined) throw new StraitError('NotFound', `${formatKey(key)} not found`);
      return toOverview(pair, r, await insightOf(store, pair, r, zoneLiveness(store)));
    };

    const listConfig = { config: { strait: { errorTitle: 'Could not retrieve resources', adminOnly } } };
    const itemConfig = { config: { strait: { errorTitle: 'Could not retrieve a resource', adminOnly } } };
    app.get(`${base}/_overview`, listConfig, list);
    app.get(`${base}/:name/_overview`, itemConfig, get);
    app.get(`${base}+insights`, listConfig, list);
    app.get(`${base}+insights/:name`, itemConfig, get);
  }
}
