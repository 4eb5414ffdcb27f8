/**
 * The SNI a sidecar presents when it reaches a service through another zone's ingress, and how
 * the ingress reads it back. Kuma's format, so mixed fleets agree:
 *
 *   `<kuma.io/service>{mesh=<mesh>[,<tag>=<value>]...}`  e.g. `backend{mesh=default,version=v2}`
 *
 * Inside the braces the mesh and the remaining tags (every tag but `kuma.io/service`) are sorted
 * by key. Keys and values may not contain `{`, `}`, `,` or `=` (tag validation already refuses
 * them in keys; values with them never produce an SNI that parses back differently because
 * {@link parseServiceSni} refuses them).
 */

import { SERVICE_TAG } from '../resources/common/tags.js';

/** The mesh, service and extra tags an SNI names. */
export interface ServiceSni {
  readonly mesh: string;
  readonly service: string;
  /** Tags besides `kuma.io/service` (and without `mesh`); empty for the whole service. */
  readonly tags: Readonly<Record<string, string>>;
}

const RESERVED = /[{},=]/;

/**
 * The SNI for `tags` (which must include `kuma.io/service`) in `mesh`. Only the service and
 * `extraTags` you pass are encoded: pass `{ 'kuma.io/service': s }` to reach every instance.
 */
export function serviceSni(mesh: string, tags: Readonly<Record<string, string>>): string {
  const service = tags[SERVICE_TAG];
  if (service === undefined || service === '') throw new Error(`serviceSni: tags lack ${SERVICE_TAG}`);
  const pairs: Array<[string, string]> = [['mesh', mesh]];
  for (const [key, value] of Object.entries(tags)) {
    if (key !== SERVICE_TAG && key !== 'mesh') pairs.push([key, value]);
  }
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${service}{${pairs.map(([k, v]) => `${k}=${v}`).join(',')}}`;
}

/** Reads an SNI written by {@link serviceSni}; undefined for anything else. */
export function parseServiceSni(sni: string): ServiceSni | undefined {
  const open = sni.indexOf('{');
  if (open <= 0 || !sni.endsWith('}')) return undefined;
  const service = sni.slice(0, open);
  if (RESERVED.test(service)) return undefined;
  const body = sni.slice(open + 1, -1);
  let mesh: string | undefined;
  const tags: Record<string, string> = {};
  for (const pair of body === '' ? [] : body.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return undefined;
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (RESERVED.test(value) || Object.hasOwn(tags, key) || (key === 'mesh' && mesh !== undefined)) return undefined;
    if (key === 'mesh') mesh = value;
    else tags[key] = value;
  }
  if (mesh === undefined || mesh === '') return undefined;
  return { mesh, service, tags };
}
