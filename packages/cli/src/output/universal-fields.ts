import type { ResourceDescriptor, UniversalObject } from '@strait/shared';

/** The spec of a universal object: its top level for inline types, its `spec` for nested ones. */
export function specOf(d: ResourceDescriptor, obj: UniversalObject): Record<string, unknown> {
  const spec = d.specLayout === 'inline' ? obj : obj.spec;
  return typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>) : {};
}

/** Reads a nested field (`['networking', 'address']`); undefined when any step is missing. */
export function fieldAt(value: unknown, path: readonly (string | number)[]): unknown {
  let at: unknown = value;
  for (const step of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[step];
  }
  return at;
}

/** A field as table text: strings and numbers as they are, anything else (or nothing) as `-`. */
export function textAt(value: unknown, path: readonly (string | number)[]): string {
  const v = fieldAt(value, path);
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '-';
}

/** The distinct `kuma.io/service` tags of a Dataplane's inbounds (or its gateway), comma-separated. */
export function dataplaneServices(networking: unknown): string {
  const inbound = fieldAt(networking, ['inbound']);
  const tags: unknown[] = Array.isArray(inbound) ? inbound.map((i) => fieldAt(i, ['tags'])) : [];
  tags.push(fieldAt(networking, ['gateway', 'tags']));
  const services = new Set<string>();
  for (const t of tags) {
    const s = fieldAt(t, ['kuma.io/service']);
    if (typeof s === 'string') services.add(s);
  }
  return services.size === 0 ? '-' : [...services].join(',');
}

/** `host:port`, or `-` when the host is missing. */
export function hostPort(host: unknown, port: unknown): string {
  if (typeof host !== 'string' || host === '') return '-';
  return typeof port === 'number' ? `${host}:${port}` : host;
}
