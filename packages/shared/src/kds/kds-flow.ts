/**
 * What flows on a KDS stream and under which name, as data the generic sender and receiver
 * consume. The two directions (`global-to-zone-flow.ts`, `zone-to-global-flow.ts`) are built
 * from descriptors only: no code path branches on a resource type.
 */

import type { ResourceDescriptor } from '../model/descriptor.js';
import type { Resource, ResourceInput } from '../model/resource.js';

/** Which way a stream carries resources. */
export type KdsFlowDirection = 'global-to-zone' | 'zone-to-global';

/** A resource as the receiving side will store it: its name and labels there. */
export interface MappedResource {
  readonly type: string;
  readonly mesh?: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: unknown;
  readonly status?: unknown;
  /** Informational metadata carried along (times and revision in the origin store). */
  readonly creationTime: string;
  readonly modificationTime: string;
  readonly storeVersion: number;
}

/** The sending half of a direction, for one peer. */
export interface KdsSendFlow {
  readonly direction: KdsFlowDirection;
  /** Types this side sends, in the order they must be applied (global-scoped first). */
  readonly types: readonly ResourceDescriptor[];
  /** Whether a stored resource of one of `types` goes to the peer. */
  select(resource: Resource): boolean;
  /** The resource renamed and relabelled as the peer stores it. */
  map(resource: Resource): MappedResource;
  /**
   * Follows what `select` and `map` depend on besides the resource itself (e.g. which zones are
   * disabled): `onChange` is called after it changed, and the sender then evaluates its whole
   * store again, sending only the difference. Returns the function that stops following.
   * Absent when the flow depends on the resource alone.
   */
  watch?(onChange: () => void): () => void;
}

/**
 * A set of zones, kept current, that a flow consults (the global's disabled zones, whose
 * resources it withholds from the other zones).
 */
export interface ZoneSet {
  has(zone: string): boolean;
  /** Calls `listener` after the set changed; returns the function that unsubscribes it. */
  subscribe(listener: () => void): () => void;
}

/** The receiving half of a direction, for one peer. */
export interface KdsReceiveFlow {
  readonly direction: KdsFlowDirection;
  /** Types this side subscribes to, in the order they must be applied (global-scoped first). */
  readonly types: readonly ResourceDescriptor[];
  /** Labels every copy received from this peer carries: narrows the listing of what is held. */
  readonly heldLabels: Readonly<Record<string, string>>;
  /**
   * True when a stored resource is a copy this peer gave us, so the peer may replace or delete
   * it. Anything else (local configuration, another zone's copies) is never touched.
   */
  holds(existing: Resource): boolean;
  /** Why an incoming, schema-valid resource must be refused; empty when it is acceptable. */
  check(input: ResourceInput): readonly string[];
  /** The input as written to the store (e.g. with its owner). */
  toStored(input: ResourceInput): ResourceInput;
}

/** The mapped form of `resource`: stored as `name` with `labels`, content and times unchanged. */
export function mappedResource(
  resource: Resource,
  name: string,
  labels: Readonly<Record<string, string>>,
): MappedResource {
  const out: { -readonly [K in keyof MappedResource]: MappedResource[K] } = {
    type: resource.type,
    name,
    labels,
    spec: resource.spec,
    creationTime: resource.meta.creationTime,
    modificationTime: resource.meta.modificationTime,
    storeVersion: resource.meta.version,
  };
  if (resource.meta.mesh !== undefined) out.mesh = resource.meta.mesh;
  if (resource.status !== undefined) out.status = resource.status;
  return out;
}
