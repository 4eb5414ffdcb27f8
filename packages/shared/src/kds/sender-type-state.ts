/**
 * What a delta sender tracks per type on one stream, and the pure bookkeeping on it: which
 * version of each resource the sender has (`desired`, from its store), which the receiver holds
 * (`acked`, from `initial_resource_versions` and ACKs), and which names differ (`pending`).
 * Keeping `pending` up to date per name makes every step O(changes), not O(resources).
 */

import type { ResourceDescriptor } from '../model/descriptor.js';
import type { ChangeEvent } from '../store/store.js';
import type { WireResource } from './kds-envelope.js';

/** One resource the sender has: its encoded form and where it came from. */
export interface DesiredEntry {
  readonly wire: WireResource;
  /** Key of the source resource in the sender's store (`formatKey` form). */
  readonly storeKey: string;
  /** Store revision of the source resource: orders it against change events. */
  readonly storeVersion: number;
}

/** A response awaiting ACK/NACK: name → version sent, `null` for a removal. */
export interface InFlight {
  readonly nonce: string;
  readonly entries: ReadonlyMap<string, string | null>;
}

/** A version the receiver refused: not offered again until it changes or `untilMs` passes. */
export interface Rejection {
  readonly version: string | null;
  readonly untilMs: number;
}

/** Per-type sender state. */
export interface SenderTypeState {
  readonly descriptor: ResourceDescriptor;
  /** The receiver subscribed (wildcard) to this type. */
  subscribed: boolean;
  /** The initial listing of the store is done (`desired` is complete). */
  loaded: boolean;
  /** Change events that arrived while the initial listing ran. */
  buffered: ChangeEvent[];
  /** Wire name → what the sender has. */
  readonly desired: Map<string, DesiredEntry>;
  /** Store key → wire name, to find the old name of a resource that was renamed or dropped. */
  readonly wireNameOf: Map<string, string>;
  /** Wire name → version the receiver holds. */
  readonly acked: Map<string, string>;
  readonly rejected: Map<string, Rejection>;
  /** Wire names whose desired version differs from the acked one (and is not rejected). */
  readonly pending: Set<string>;
  inFlight: InFlight | undefined;
}

/** A fresh, unsubscribed state. */
export function createSenderTypeState(descriptor: ResourceDescriptor): SenderTypeState {
  return {
    descriptor,
    subscribed: false,
    loaded: false,
    buffered: [],
    desired: new Map(),
    wireNameOf: new Map(),
    acked: new Map(),
    rejected: new Map(),
    pending: new Set(),
    inFlight: undefined,
  };
}

/** Forgets everything (the receiver unsubscribed, or the stream ended). */
export function resetSenderTypeState(state: SenderTypeState): void {
  state.subscribed = false;
  state.loaded = false;
  state.buffered = [];
  state.desired.clear();
  state.wireNameOf.clear();
  state.acked.clear();
  state.rejected.clear();
  state.pending.clear();
  state.inFlight = undefined;
}

/** Re-evaluates whether `name` needs sending (a change, or a removal of something the receiver holds). */
export function recheck(state: SenderTypeState, name: string): void {
  const want = state.desired.get(name)?.wire.version ?? null;
  const have = state.acked.get(name) ?? null;
  const rejection = state.rejected.get(name);
  if (rejection !== undefined && rejection.version !== want) state.rejected.delete(name);
  if (want === have || state.rejected.get(name)?.version === want) state.pending.delete(name);
  else state.pending.add(name);
}

/** True when the type has nothing left to do: loaded, nothing in flight, nothing pending. */
export function isSettled(state: SenderTypeState): boolean {
  return !state.subscribed || (state.loaded && state.inFlight === undefined && state.pending.size === 0);
}

/** Applies the receiver's ACK of `inFlight`: it now holds what was sent. */
export function applyAck(state: SenderTypeState, inFlight: InFlight): void {
  for (const [name, version] of inFlight.entries) {
    if (version === null) state.acked.delete(name);
    else state.acked.set(name, version);
    recheck(state, name);
  }
}

/** Applies the receiver's NACK of `inFlight`: it holds what it held; the versions sent wait. */
export function applyNack(state: SenderTypeState, inFlight: InFlight, untilMs: number): void {
  for (const [name, version] of inFlight.entries) {
    state.rejected.set(name, { version, untilMs });
    recheck(state, name);
  }
}

/** Drops rejections that expired by `nowMs`; returns the earliest remaining expiry, if any. */
export function expireRejections(state: SenderTypeState, nowMs: number): number | undefined {
  let next: number | undefined;
  for (const [name, rejection] of state.rejected) {
    if (rejection.untilMs <= nowMs) {
      state.rejected.delete(name);
      recheck(state, name);
    } else if (next === undefined || rejection.untilMs < next) {
      next = rejection.untilMs;
    }
  }
  return next;
}
