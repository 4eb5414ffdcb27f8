/**
 * The sending half of a KDS stream, used for both directions (the global on GlobalToZone, the
 * zone on ZoneToGlobal). It follows the delta xDS server rules:
 *
 * - the receiver subscribes to each type with a wildcard request whose
 *   `initial_resource_versions` say what it already holds; the sender lists its store once and
 *   then follows change events, so it always knows the exact difference;
 * - a response carries changed resources and `removed_resources` — a name is removed only when
 *   the receiver holds it (said so, or ACKed it) and the sender's store really lacks it *now*:
 *   never as a side effect of a reconnect or of state still loading;
 * - at most one un-ACKed response per type; newer changes fold into the next one; a type larger
 *   than `maxMessageBytes` goes out in several responses, each sent once the previous is ACKed;
 * - mesh-scoped types wait while a global-scoped type (Mesh, …) is still being sent, so a
 *   receiver never gets a policy before its Mesh;
 * - a NACKed version is not offered again until it changes or `nackRetryMs` passes;
 * - nothing is written while gRPC reports backpressure (`write()` returned false) until `resume()`.
 *
 * Memory: per stream and type, the encoded form of every resource the peer should hold (so a
 * response is built without touching the store). On the global that is O(resources × zones);
 * sharing encodings across streams is a later optimisation (the global→zone mapping does not
 * depend on the zone).
 */

import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from '@strait/proto/envoy';
import type { Logger } from '../logging/logger.js';
import { formatKey, keyOf } from '../model/resource.js';
import type { ChangeEvent, ResourceStore } from '../store/store.js';
import { encodeKdsResource } from './kds-envelope.js';
import type { KdsSendFlow, MappedResource } from './kds-flow.js';
import { countKdsSent } from './kds-metrics.js';
import { emitKdsEvent, type KdsSyncEvents } from './kds-sync-events.js';
import type { ResolvedKdsSyncOptions } from './kds-sync-options.js';
import { buildChunk } from './response-chunk.js';
import {
  applyAck,
  applyNack,
  createSenderTypeState,
  expireRejections,
  isSettled,
  recheck,
  resetSenderTypeState,
  type SenderTypeState,
} from './sender-type-state.js';

/** Options of {@link createDeltaSender}. */
export interface DeltaSenderOptions {
  readonly store: ResourceStore;
  readonly flow: KdsSendFlow;
  readonly sync: ResolvedKdsSyncOptions;
  readonly log: Logger;
  readonly events: KdsSyncEvents;
  /** Writes one response; returns false when the transport's buffer is full (then wait for `resume`). */
  readonly write: (response: DeltaDiscoveryResponse) => boolean;
  /** Clock for NACK retries; default `Date.now`. */
  readonly nowMs?: () => number;
}

/** A running sender. */
export interface DeltaSender {
  /** Handles a subscription, ACK or NACK from the receiver. */
  handleRequest(request: DeltaDiscoveryRequest): void;
  /** The transport drained after `write` returned false: carry on. */
  resume(): void;
  /** Stops following the store and drops all state. */
  close(): void;
}

/** The wildcard name of delta xDS subscriptions. */
const WILDCARD = '*';

/** Creates a sender; it subscribes to the store's change events right away. */
export function createDeltaSender(options: DeltaSenderOptions): DeltaSender {
  const { store, flow, sync, log, events, write } = options;
  const nowMs = options.nowMs ?? Date.now;
  const states = new Map<string, SenderTypeState>();
  for (const descriptor of flow.types) states.set(descriptor.name, createSenderTypeState(descriptor));
  const ordered = [...states.values()];
  let nonceSeq = 0;
  let blocked = false;
  let closed = false;
  let pumpTimer: NodeJS.Timeout | undefined;
  let pumpAt = Number.POSITIVE_INFINITY;
  let retryTimer: NodeJS.Timeout | undefined;
  /** The latest listing started per type: an older one still running gives way to it. */
  const loads = new Map<SenderTypeState, number>();
  let loadSeq = 0;

  const unsubscribe = store.subscribe((event) => {
    const state = states.get(event.key.type);
    if (state === undefined || !state.subscribed) return;
    if (!state.loaded) {
      state.buffered.push(event);
      return;
    }
    applyChange(state, event);
    schedule(sync.debounceMs);
  });

  /** Folds one store change into `desired` (ignoring changes the initial listing already saw). */
  function applyChange(state: SenderTypeState, event: ChangeEvent): void {
    const storeKey = formatKey(event.key);
    const previousName = state.wireNameOf.get(storeKey);
    const previous = previousName === undefined ? undefined : state.desired.get(previousName);
    if (previous !== undefined && previous.storeKey === storeKey && previous.storeVersion >= event.revision) return;
    const drop = () => {
      if (previousName === undefined) return;
      state.wireNameOf.delete(storeKey);
      if (state.desired.get(previousName)?.storeKey === storeKey) state.desired.delete(previousName);
      recheck(state, previousName);
    };
    if (event.op === 'delete' || !flow.select(event.resource)) {
      drop();
      return;
    }
    put(state, storeKey, event.resource.meta.version, flow.map(event.resource));
    const name = state.wireNameOf.get(storeKey);
    if (previousName !== undefined && previousName !== name) {
      if (state.desired.get(previousName)?.storeKey === storeKey) state.desired.delete(previousName);
      recheck(state, previousName);
    }
  }

  /** Records what the sender has for one store resource. */
  function put(state: SenderTypeState, storeKey: string, storeVersion: number, mapped: MappedResource): void {
    const wire = encodeKdsResource(mapped);
    const other = state.desired.get(wire.name);
    if (other !== undefined && other.storeKey !== storeKey) {
      log.warn(
        { type: state.descriptor.name, resource: wire.name, stores: [other.storeKey, storeKey] },
        'two resources map to one KDS name; the newer one is sent',
      );
    }
    state.desired.set(wire.name, { wire, storeKey, storeVersion });
    state.wireNameOf.set(storeKey, wire.name);
    recheck(state, wire.name);
  }

  /**
   * Lists the store for a newly subscribed type, then replays the changes that arrived meanwhile,
   * skipping those the listing already reflects: any at or below the store revision read before
   * listing, and any at or below the listed version of their resource.
   */
  async function load(state: SenderTypeState): Promise<void> {
    const type = state.descriptor.name;
    const listed = new Map<string, number>();
    loadSeq += 1;
    const seq = loadSeq;
    loads.set(state, seq);
    let before: number;
    try {
      before = await store.revision();
      const { items } = await store.list({ type });
      if (closed || !state.subscribed || loads.get(state) !== seq) return;
      for (const resource of items) {
        const storeKey = formatKey(keyOf(resource));
        listed.set(storeKey, resource.meta.version);
        if (flow.select(resource)) put(state, storeKey, resource.meta.version, flow.map(resource));
      }
    } catch (err) {
      // Without a complete listing the sender must not compute removals: stay unloaded, retry.
      log.error({ err, type }, 'KDS sender could not list the store; retrying');
      setTimeout(() => {
        if (!closed && state.subscribed && !state.loaded) void load(state);
      }, sync.nackRetryMs).unref();
      return;
    }
    state.loaded = true;
    const buffered = state.buffered;
    state.buffered = [];
    for (const event of buffered) {
      if (event.revision <= before || event.revision <= (listed.get(formatKey(event.key)) ?? -1)) continue;
      applyChange(state, event);
    }
    // Names the receiver holds that the store lacks are removals; recheck them all once.
    for (const name of state.acked.keys()) recheck(state, name);
    schedule(0);
  }

  /**
   * The flow's selection changed (`flow.watch`): every subscribed type is listed again, as on
   * subscription. What the receiver holds is kept, so only the difference goes out: resources
   * now withheld are removed, resources now selected are sent, the rest is unchanged.
   */
  function reselect(): void {
    if (closed) return;
    for (const state of ordered) {
      if (!state.subscribed) continue;
      state.loaded = false;
      state.buffered = [];
      state.desired.clear();
      state.wireNameOf.clear();
      state.pending.clear();
      void load(state);
    }
  }
  const unwatch = flow.watch?.(reselect);

  /** Runs the pump after `delayMs` (or sooner, if already scheduled sooner). */
  function schedule(delayMs: number): void {
    if (closed) return;
    const at = nowMs() + delayMs;
    if (pumpTimer !== undefined && pumpAt <= at) return;
    if (pumpTimer !== undefined) clearTimeout(pumpTimer);
    pumpAt = at;
    pumpTimer = setTimeout(pump, delayMs);
  }

  /** True while a global-scoped type still has something to deliver (mesh-scoped types wait). */
  function globalScopedBusy(): boolean {
    return ordered.some((s) => s.descriptor.scope === 'global' && !isSettled(s));
  }

  /** Writes the next response of every type that may send one now. */
  function pump(): void {
    pumpTimer = undefined;
    pumpAt = Number.POSITIVE_INFINITY;
    if (closed || blocked) return;
    for (const state of ordered) {
      if (!state.subscribed || !state.loaded || state.inFlight !== undefined || state.pending.size === 0) continue;
      if (state.descriptor.scope !== 'global' && globalScopedBusy()) continue;
      nonceSeq += 1;
      const nonce = String(nonceSeq);
      const chunk = buildChunk(state, nonce, sync.maxMessageBytes, (name, bytes) => oversized(state, name, bytes));
      if (chunk === undefined) continue;
      state.inFlight = chunk.inFlight;
      log.debug(
        { type: state.descriptor.name, nonce, resources: chunk.resources, removed: chunk.removed },
        'KDS response sent',
      );
      countKdsSent(flow.direction, state.descriptor.name, chunk.resources, chunk.removed);
      emitKdsEvent(events, log, 'onSent', state.descriptor.name, {
        nonce,
        resources: chunk.resources,
        removed: chunk.removed,
        bytes: chunk.bytes,
      });
      if (!write(chunk.response)) {
        blocked = true;
        return;
      }
    }
  }

  /** A single resource larger than the message cap: nothing can carry it until it changes. */
  function oversized(state: SenderTypeState, name: string, bytes: number): void {
    const version = state.desired.get(name)?.wire.version ?? null;
    log.error(
      { type: state.descriptor.name, resource: name, bytes, maxMessageBytes: sync.maxMessageBytes },
      'KDS resource exceeds maxMessageBytes on its own; not sent until it changes',
    );
    state.rejected.set(name, { version, untilMs: Number.POSITIVE_INFINITY });
    state.pending.delete(name);
  }

  /** Re-offers NACKed versions whose retry time came. */
  function retryRejected(): void {
    retryTimer = undefined;
    if (closed) return;
    let next: number | undefined;
    for (const state of ordered) {
      const at = expireRejections(state, nowMs());
      if (at !== undefined && Number.isFinite(at) && (next === undefined || at < next)) next = at;
    }
    if (next !== undefined) armRetry(next);
    schedule(0);
  }

  function armRetry(atMs: number): void {
    if (retryTimer !== undefined) return;
    retryTimer = setTimeout(retryRejected, Math.max(0, atMs - nowMs()));
    retryTimer.unref();
  }

  function settle(state: SenderTypeState, request: DeltaDiscoveryRequest): void {
    const inFlight = state.inFlight;
    const type = state.descriptor.name;
    if (inFlight === undefined || inFlight.nonce !== request.responseNonce) {
      log.debug({ type, nonce: request.responseNonce }, 'stale KDS ACK/NACK ignored');
      return;
    }
    state.inFlight = undefined;
    const detail = request.errorDetail;
    if (detail === undefined) {
      applyAck(state, inFlight);
      emitKdsEvent(events, log, 'onAck', type, inFlight.nonce);
      return;
    }
    const untilMs = nowMs() + sync.nackRetryMs;
    applyNack(state, inFlight, untilMs);
    armRetry(untilMs);
    log.warn(
      { type, nonce: inFlight.nonce, resources: [...inFlight.entries.keys()].slice(0, 10), reason: detail.message },
      'KDS peer NACKed a response',
    );
    emitKdsEvent(events, log, 'onNack', type, detail.message, inFlight.nonce);
  }

  return {
    handleRequest(request) {
      if (closed) return;
      const type = request.typeUrl;
      const state = states.get(type);
      if (state === undefined) {
        log.warn(
          { type, direction: flow.direction },
          `KDS peer asked for a type that does not flow ${flow.direction}; ignored`,
        );
        return;
      }
      if (request.responseNonce !== '') settle(state, request);
      if (request.resourceNamesUnsubscribe.includes(WILDCARD)) {
        resetSenderTypeState(state);
      } else if (!state.subscribed && request.responseNonce === '') {
        state.subscribed = true;
        for (const [name, version] of Object.entries(request.initialResourceVersions)) state.acked.set(name, version);
        void load(state);
      }
      schedule(0);
    },
    resume() {
      blocked = false;
      schedule(0);
    },
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      unwatch?.();
      if (pumpTimer !== undefined) clearTimeout(pumpTimer);
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      for (const state of ordered) resetSenderTypeState(state);
    },
  };
}
