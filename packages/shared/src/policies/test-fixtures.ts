/**
 * Builders of Dataplanes and policies for the tests of this folder (not exported from the
 * package).
 */
import { parseUniversal } from '../model/codec.js';
import type { Resource } from '../model/resource.js';
import { builtinRegistry } from '../resources/index.js';
import type { Tags } from './policy-spec.js';

const TIMES = { creationTime: '2024-05-01T12:00:00Z', modificationTime: '2024-05-01T12:00:00Z' };

/** A stored resource from its parts. */
export function resource(type: string, name: string, spec: unknown, labels: Tags = {}, mesh = 'default'): Resource {
  return { type, meta: { name, mesh, labels, version: 1, ...TIMES }, spec };
}

/** An inbound of {@link dataplane}. */
export interface TestInbound {
  readonly port: number;
  readonly tags: Tags;
  readonly name?: string;
  readonly state?: 'Ready' | 'NotReady' | 'Ignored';
}

/** A Dataplane with the given inbounds (and optionally gateway tags instead). */
export function dataplane(
  name: string,
  inbounds: readonly TestInbound[],
  opts: { labels?: Tags; gatewayTags?: Tags; mesh?: string } = {},
): Resource {
  const networking: Record<string, unknown> = { address: '10.0.0.1' };
  if (inbounds.length > 0) networking.inbound = inbounds;
  if (opts.gatewayTags !== undefined) networking.gateway = { tags: opts.gatewayTags };
  return resource('Dataplane', name, { networking }, opts.labels ?? {}, opts.mesh ?? 'default');
}

/** A policy of `type` with `spec`. */
export function policy(type: string, name: string, spec: unknown, labels: Tags = {}): Resource {
  return resource(type, name, spec, labels);
}

/** A stored resource from a universal object (validated like the API does). */
export function fromUniversal(obj: Record<string, unknown>): Resource {
  const input = parseUniversal(builtinRegistry, obj);
  return resource(input.type, input.name, input.spec, input.labels ?? {}, input.mesh ?? 'default');
}
