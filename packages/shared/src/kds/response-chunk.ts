/**
 * Builds the next response of one type from its pending names, never larger than the message
 * cap: when a type's changes do not fit, the rest waits for the next response (sent once this
 * one is ACKed — at most one response per type in flight). Sizes are exact: the envelope's
 * size plus, per entry, its field tag, length prefix and bytes.
 */

import { create, toBinary } from '@bufbuild/protobuf';
import { type DeltaDiscoveryResponse, DeltaDiscoveryResponseSchema, type Resource } from '@strait/proto/envoy';
import type { InFlight, SenderTypeState } from './sender-type-state.js';

/** A response ready to write and what it claims. */
export interface BuiltChunk {
  readonly response: DeltaDiscoveryResponse;
  readonly inFlight: InFlight;
  readonly resources: number;
  readonly removed: number;
  readonly bytes: number;
}

/** Bytes a length-delimited field of `length` bytes takes, tag included (field numbers < 16). */
export function fieldBytes(length: number): number {
  let varint = 1;
  for (let rest = length; rest >= 0x80; rest >>>= 7) varint += 1;
  return 1 + varint + length;
}

const encoder = new TextEncoder();

/**
 * The next response for `state` (names taken from `pending` in order), or undefined when
 * nothing is pending. Names whose single resource exceeds `maxBytes` go to `onOversized` and
 * are skipped (nothing can carry them).
 */
export function buildChunk(
  state: SenderTypeState,
  nonce: string,
  maxBytes: number,
  onOversized: (name: string, bytes: number) => void,
): BuiltChunk | undefined {
  if (state.pending.size === 0) return undefined;
  const response = create(DeltaDiscoveryResponseSchema, { typeUrl: state.descriptor.name, nonce });
  const base = toBinary(DeltaDiscoveryResponseSchema, response).byteLength;
  let bytes = base;
  const resources: Resource[] = [];
  const removed: string[] = [];
  const entries = new Map<string, string | null>();
  for (const name of state.pending) {
    const entry = state.desired.get(name);
    const cost = entry === undefined ? fieldBytes(encoder.encode(name).byteLength) : fieldBytes(entry.wire.bytes);
    if (base + cost > maxBytes) {
      onOversized(name, base + cost);
      continue;
    }
    if (bytes + cost > maxBytes) break;
    bytes += cost;
    if (entry === undefined) {
      removed.push(name);
      entries.set(name, null);
    } else {
      resources.push(entry.wire.message);
      entries.set(name, entry.wire.version);
    }
  }
  if (entries.size === 0) return undefined;
  for (const name of entries.keys()) state.pending.delete(name);
  response.resources = resources;
  response.removedResources = removed;
  return { response, inFlight: { nonce, entries }, resources: resources.length, removed: removed.length, bytes };
}
