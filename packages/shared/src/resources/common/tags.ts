/**
 * `kuma.io/*` tags: the well-known keys and Kuma's rules for tag names and values.
 * Dataplane tags use the strict value charset; selectors (subset targetRefs, mesh
 * constraints) also allow `/` and the wildcard `*`.
 */
import type { Violation } from '../../errors/strait-error.js';
import { field, key } from './field.js';

/** The tag that names a service. */
export const SERVICE_TAG = 'kuma.io/service';
/** The tag that declares an inbound's protocol. */
export const PROTOCOL_TAG = 'kuma.io/protocol';
/** The tag that names the zone a proxy runs in. */
export const ZONE_TAG = 'kuma.io/zone';

/** Values Kuma accepts for `kuma.io/protocol`. */
export const PROTOCOLS = ['http', 'http2', 'grpc', 'tcp', 'kafka'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

const TAG_NAME = /^[a-zA-Z0-9.\-_:/]+$/;
const TAG_VALUE = /^[a-zA-Z0-9.\-_:]+$/;
const SELECTOR_VALUE = /^(?:[a-zA-Z0-9.\-_:/]+|\*)$/;

/** Options of {@link validateTags}. */
export interface TagRules {
  /** `kuma.io/service` must be present. */
  readonly requireService?: boolean;
  /** At least one tag must be present. */
  readonly requireAny?: boolean;
  /** Values are selectors: `/` and the wildcard `*` are allowed. */
  readonly selector?: boolean;
  /** Check `kuma.io/protocol` against {@link PROTOCOLS}. */
  readonly checkProtocol?: boolean;
}

/** Checks a tag map; `at` is the field of the map itself (e.g. `networking.inbound[0].tags`). */
export function validateTags(
  tags: Readonly<Record<string, string>> | undefined,
  at: string,
  rules: TagRules = {},
): Violation[] {
  const out: Violation[] = [];
  const entries = Object.entries(tags ?? {});
  if (rules.requireAny === true && entries.length === 0) out.push({ field: at, reason: 'must have at least one tag' });
  const valuePattern = rules.selector === true ? SELECTOR_VALUE : TAG_VALUE;
  for (const [name, value] of entries) {
    const f = field(at, key(name));
    if (!TAG_NAME.test(name)) {
      out.push({ field: f, reason: 'tag name must consist of letters, digits, ".", "-", "_", ":" and "/"' });
    } else if (value === '') {
      out.push({ field: f, reason: 'tag value must not be empty' });
    } else if (!valuePattern.test(value)) {
      out.push({
        field: f,
        reason:
          rules.selector === true
            ? 'tag value must consist of letters, digits, ".", "-", "_", ":" and "/", or be "*"'
            : 'tag value must consist of letters, digits, ".", "-", "_" and ":"',
      });
    }
  }
  if (rules.requireService === true && tags?.[SERVICE_TAG] === undefined) {
    out.push({ field: field(at, key(SERVICE_TAG)), reason: 'must be set' });
  }
  const protocol = tags?.[PROTOCOL_TAG];
  if (rules.checkProtocol === true && protocol !== undefined && !(PROTOCOLS as readonly string[]).includes(protocol)) {
    out.push({ field: field(at, key(PROTOCOL_TAG)), reason: `must be one of ${PROTOCOLS.join(', ')}` });
  }
  return out;
}
