import type { ResourceKey } from '@strait/shared';

/** The kinds of proxy a zone CP configures. */
export type ProxyType = 'dataplane' | 'ingress';

/** A proxy as the zone CP tracks it: its kind and the resource it registered. */
export interface ProxyRef {
  readonly type: ProxyType;
  readonly key: ResourceKey;
}

const INGRESS_PREFIX = 'ingress/';

/**
 * Envoy's node id for a proxy: `<mesh>.<name>` for a Dataplane (Kuma's form, so Envoy stats
 * look familiar) and `ingress/<name>` for a ZoneIngress (`/` cannot occur in a mesh name, so the
 * two never collide).
 */
export function proxyIdOf(ref: ProxyRef): string {
  return ref.type === 'ingress' ? `${INGRESS_PREFIX}${ref.key.name}` : `${ref.key.mesh ?? ''}.${ref.key.name}`;
}

/** Parses a node id back; undefined when it is not one of ours. */
export function parseProxyId(id: string): ProxyRef | undefined {
  if (id.startsWith(INGRESS_PREFIX)) {
    const name = id.slice(INGRESS_PREFIX.length);
    return name === '' ? undefined : { type: 'ingress', key: { type: 'ZoneIngress', name } };
  }
  const dot = id.indexOf('.');
  if (dot <= 0 || dot === id.length - 1) return undefined;
  return { type: 'dataplane', key: { type: 'Dataplane', mesh: id.slice(0, dot), name: id.slice(dot + 1) } };
}
