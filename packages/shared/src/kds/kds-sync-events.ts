/**
 * What a KDS sender and receiver report as they work: the raw material of insights (the lead
 * turns them into ZoneInsights) and of tests (counting resources on the wire). Callbacks run on
 * the stream's path: keep them cheap; one that throws is logged and otherwise ignored.
 */

import type { Logger } from '../logging/logger.js';

/** One response a sender wrote. */
export interface KdsSentInfo {
  readonly nonce: string;
  /** Resources (added or changed) it carried. */
  readonly resources: number;
  /** Names it removed. */
  readonly removed: number;
  /** Serialized size of the response. */
  readonly bytes: number;
}

/** One response a receiver applied. */
export interface KdsAppliedInfo {
  readonly nonce: string;
  readonly resources: number;
  readonly removed: number;
}

/** Events of one side of one stream; `type` is the resource type (the delta type_url). */
export interface KdsSyncEvents {
  /** We sent a response. */
  onSent?(type: string, info: KdsSentInfo): void;
  /** The peer ACKed a response we sent. */
  onAck?(type: string, nonce: string): void;
  /** The peer NACKed a response we sent (it applied none of it). */
  onNack?(type: string, message: string, nonce: string): void;
  /** We applied a response from the peer and ACKed it. */
  onApplied?(type: string, info: KdsAppliedInfo): void;
  /** We refused a response from the peer and NACKed it (`type` as the peer sent it). */
  onRefused?(type: string, message: string, nonce: string): void;
  /** A heartbeat arrived from the peer. */
  onHeartbeat?(time: Date): void;
}

/** Calls one event callback, logging (not throwing) what it throws. */
export function emitKdsEvent<K extends keyof KdsSyncEvents>(
  events: KdsSyncEvents,
  log: Logger,
  name: K,
  ...args: Parameters<NonNullable<KdsSyncEvents[K]>>
): void {
  const callback = events[name] as ((...a: typeof args) => void) | undefined;
  if (callback === undefined) return;
  try {
    callback.apply(events, args);
  } catch (err) {
    log.error({ err, callback: name }, 'KDS event callback failed');
  }
}
