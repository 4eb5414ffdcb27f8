/**
 * Tuning both KDS ends share: heartbeats, message size, batching, NACK retries. The server and
 * the client embed these in their own options and resolve them with {@link resolveKdsSyncOptions}.
 */

import type { Violation } from '../errors/strait-error.js';

/** Sync tuning; every field optional, defaults below. */
export interface KdsSyncOptions {
  /** How often each side sends a heartbeat on each stream; default 10 s. */
  readonly heartbeatIntervalMs?: number;
  /**
   * Silence (no message of any kind from the peer), or a peer not reading what we write, for
   * this long marks a stream stalled: it is closed (and the client reconnects). At least twice
   * `heartbeatIntervalMs`; default 30 s. Detection happens within timeout + interval.
   */
  readonly heartbeatTimeoutMs?: number;
  /**
   * Largest response a sender writes, in serialized bytes: a type with more changes is split
   * across responses. Also the largest response a receiver accepts (a larger one is NACKed).
   * Default 4 MiB, gRPC's default message cap.
   */
  readonly maxMessageBytes?: number;
  /** Store changes are batched for this long before a sender looks at them; default 50 ms. */
  readonly debounceMs?: number;
  /**
   * A NACKed resource version is not offered again until it changes or this long has passed
   * (so a transient failure on the receiver heals without a write); default 30 s.
   */
  readonly nackRetryMs?: number;
  /** Responses refused in a row after which a receiver closes the stream; default 10. */
  readonly maxConsecutiveNacks?: number;
}

/** {@link KdsSyncOptions} with every default applied. */
export type ResolvedKdsSyncOptions = Readonly<Required<KdsSyncOptions>>;

/** The defaults of {@link KdsSyncOptions}. */
export const KDS_SYNC_DEFAULTS: ResolvedKdsSyncOptions = Object.freeze({
  heartbeatIntervalMs: 10_000,
  heartbeatTimeoutMs: 30_000,
  maxMessageBytes: 4 * 1024 * 1024,
  debounceMs: 50,
  nackRetryMs: 30_000,
  maxConsecutiveNacks: 10,
});

/** Smallest useful message cap: room for the response envelope and one small resource. */
const MIN_MESSAGE_BYTES = 512;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Applies defaults to the sync fields of `options` and checks them, appending one violation per
 * bad field to `violations` (so callers report every bad option at once). Frozen.
 */
export function resolveKdsSyncOptions(options: KdsSyncOptions, violations: Violation[]): ResolvedKdsSyncOptions {
  const pick = <K extends keyof KdsSyncOptions>(key: K): ResolvedKdsSyncOptions[K] =>
    (options[key] ?? KDS_SYNC_DEFAULTS[key]) as ResolvedKdsSyncOptions[K];
  const resolved: ResolvedKdsSyncOptions = Object.freeze({
    heartbeatIntervalMs: pick('heartbeatIntervalMs'),
    heartbeatTimeoutMs: pick('heartbeatTimeoutMs'),
    maxMessageBytes: pick('maxMessageBytes'),
    debounceMs: pick('debounceMs'),
    nackRetryMs: pick('nackRetryMs'),
    maxConsecutiveNacks: pick('maxConsecutiveNacks'),
  });
  const check = (ok: boolean, field: string, reason: string) => {
    if (!ok) violations.push({ field, reason });
  };
  check(
    isIntegerIn(resolved.heartbeatIntervalMs, 1, MAX_TIMER_MS),
    'heartbeatIntervalMs',
    'must be a positive integer',
  );
  check(
    isIntegerIn(resolved.heartbeatTimeoutMs, 2 * resolved.heartbeatIntervalMs, MAX_TIMER_MS),
    'heartbeatTimeoutMs',
    'must be an integer of at least twice heartbeatIntervalMs',
  );
  check(
    isIntegerIn(resolved.maxMessageBytes, MIN_MESSAGE_BYTES, 1024 * 1024 * 1024),
    'maxMessageBytes',
    `must be an integer from ${MIN_MESSAGE_BYTES} to 1 GiB`,
  );
  check(isIntegerIn(resolved.debounceMs, 0, MAX_TIMER_MS), 'debounceMs', 'must be a non-negative integer');
  check(isIntegerIn(resolved.nackRetryMs, 1, MAX_TIMER_MS), 'nackRetryMs', 'must be a positive integer');
  check(isIntegerIn(resolved.maxConsecutiveNacks, 1, 1_000_000), 'maxConsecutiveNacks', 'must be a positive integer');
  return resolved;
}

/**
 * The gRPC transport's message cap for a given sync configuration: above `maxMessageBytes`, so
 * an oversized response still arrives and is NACKed with a reason instead of killing the stream.
 */
export function grpcMessageCapBytes(sync: ResolvedKdsSyncOptions): number {
  return 2 * sync.maxMessageBytes + 64 * 1024;
}

/** True for an integer in [min, max]. */
export function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
