/**
 * Field names in violations, written the way users write them in universal YAML:
 * `spec.to[0].targetRef.kind`, `networking.inbound[0].tags["kuma.io/service"]`.
 */

/** One step of a field path: a property name, an array index, or a map key made by {@link key}. */
export type Segment = string | number;

/** Joins segments into a field name; empty segments are skipped, so a `''` prefix means "top level". */
export function field(...segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (s === '') continue;
    else if (s.startsWith('[')) out += s;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}

/** A map key segment: `key('kuma.io/service')` is `["kuma.io/service"]`. */
export function key(k: string): string {
  return `[${JSON.stringify(k)}]`;
}
