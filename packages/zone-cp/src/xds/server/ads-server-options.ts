/**
 * Options of the ADS server: their types, defaults and validation. Resolved once at creation,
 * then frozen, so a bad value fails at start-up with every violation listed.
 */

import { type Metadata, ServerCredentials } from '@grpc/grpc-js';
import type { Node } from '@strait/proto/envoy';
import { invalid, type Logger, type Violation } from '@strait/shared';
import type { SnapshotCache } from '../cache/index.js';

/** Who is on the other end of a stream, as `authenticate` established it. */
export interface ProxyIdentity {
  /**
   * The key of the proxy's snapshot in the cache. One stream per proxy: a new stream with the
   * same id replaces (closes) the older one.
   */
  readonly proxyId: string;
}

/** xDS flavour of a stream. */
export type AdsProtocol = 'sotw' | 'delta';

/** What is known about a stream when it opens (and still when it closes). */
export interface AdsStreamInfo {
  /** Unique per server: tells a replaced stream's close from its successor's open. */
  readonly streamId: number;
  readonly node: Node;
  readonly protocol: AdsProtocol;
  readonly connectTime: Date;
}

/** The `error_detail` of a NACK. */
export interface AdsErrorDetail {
  /** gRPC status code Envoy put in the NACK (usually 3, INVALID_ARGUMENT). */
  readonly code: number;
  readonly message: string;
}

/**
 * Callbacks on stream events, for insights (the zone CP turns them into DataplaneInsights).
 * Called synchronously on the stream's path: keep them cheap. A throwing callback is logged and
 * otherwise ignored.
 */
export interface AdsObserver {
  onStreamOpen?(proxyId: string, info: AdsStreamInfo): void;
  /** After the stream closed for any reason, including replacement by a newer stream of the proxy. */
  onStreamClose?(proxyId: string, info: AdsStreamInfo): void;
  onResponseSent?(proxyId: string, typeUrl: string, version: string, nonce: string): void;
  onAck?(proxyId: string, typeUrl: string, version: string): void;
  /** `version` is the version the proxy rejected. */
  onNack?(proxyId: string, typeUrl: string, errorDetail: AdsErrorDetail, version: string): void;
}

/** Options of {@link createAdsServer}. */
export interface AdsServerOptions {
  /** Where streams read their proxies' snapshots from. */
  readonly cache: SnapshotCache;
  readonly logger: Logger;
  /** Interface to bind; default `0.0.0.0`. */
  readonly host?: string;
  /** Port to bind; `0` picks a free one (see `address()`); default 5678. */
  readonly port?: number;
  /** TLS in production; `ServerCredentials.createInsecure()` in tests. */
  readonly credentials: ServerCredentials;
  /**
   * Do not bind `host:port`; connections arrive through `injectConnection` instead (the zone CP
   * shares its xDS port between gRPC and the HTTPS bootstrap endpoint and dispatches on ALPN).
   * `credentials` then apply to injected connections (insecure when TLS is already terminated).
   */
  readonly injectOnly?: boolean;
  /**
   * Establishes who the proxy is, from the first request's node and the call metadata (e.g. a
   * dataplane token). Called once per stream; a rejection closes the stream with
   * UNAUTHENTICATED and the error's message.
   */
  readonly authenticate: (node: Node, metadata: Metadata) => Promise<ProxyIdentity>;
  readonly observer?: AdsObserver;
  /** Streams admitted per second (sustained; bursts up to the same number); default 500 (a reconnect storm of 5,000 proxies is admitted in 10 s while the API stays responsive). */
  readonly maxConcurrentStreamOpensPerSecond?: number;
  /** Streams allowed to wait for admission; beyond that they get UNAVAILABLE; default 10,000. */
  readonly maxQueuedStreamOpens?: number;
  /** Interval of HTTP/2 keepalive pings to each proxy; default 30 s. */
  readonly keepaliveTimeMs?: number;
  /** How long a keepalive ping may go unanswered before the connection is dropped; default 20 s. */
  readonly keepaliveTimeoutMs?: number;
  /** How long `stop()` waits for connections to close before cutting them; default 5 s. */
  readonly shutdownGraceMs?: number;
}

/** {@link AdsServerOptions} with every default applied. */
export type ResolvedAdsServerOptions = Readonly<Required<Omit<AdsServerOptions, 'observer'>>> & {
  readonly observer: AdsObserver;
};

const OBSERVER_CALLBACKS = [
  'onStreamOpen',
  'onStreamClose',
  'onResponseSent',
  'onAck',
  'onNack',
] as const satisfies readonly (keyof AdsObserver)[];

const DEFAULTS = {
  host: '0.0.0.0',
  port: 5678,
  injectOnly: false,
  maxConcurrentStreamOpensPerSecond: 500,
  maxQueuedStreamOpens: 10_000,
  keepaliveTimeMs: 30_000,
  keepaliveTimeoutMs: 20_000,
  shutdownGraceMs: 5_000,
} as const;

/** Applies defaults, validates, and freezes. Throws a `StraitError` (Invalid) listing every bad field. */
export function resolveAdsServerOptions(options: AdsServerOptions): ResolvedAdsServerOptions {
  // Asserted complete here and checked field by field below.
  const resolved = Object.freeze({
    ...DEFAULTS,
    ...withoutUndefined(options),
    // Kept as given (not copied): an observer may be a class instance with methods on its prototype.
    observer: options.observer ?? {},
  }) as ResolvedAdsServerOptions;
  const violations: Violation[] = [];
  const check = (ok: boolean, field: string, reason: string) => {
    if (!ok) violations.push({ field, reason });
  };
  check(isCache(resolved.cache), 'cache', 'must be a SnapshotCache');
  check(typeof resolved.logger?.child === 'function', 'logger', 'must be a Logger');
  check(typeof resolved.host === 'string' && resolved.host !== '', 'host', 'must be a non-empty string');
  check(isIntegerIn(resolved.port, 0, 65_535), 'port', 'must be an integer from 0 to 65535');
  check(resolved.credentials instanceof ServerCredentials, 'credentials', 'must be grpc ServerCredentials');
  check(typeof resolved.authenticate === 'function', 'authenticate', 'must be a function');
  check(
    typeof resolved.maxConcurrentStreamOpensPerSecond === 'number' && resolved.maxConcurrentStreamOpensPerSecond > 0,
    'maxConcurrentStreamOpensPerSecond',
    'must be a positive number',
  );
  check(
    isIntegerIn(resolved.maxQueuedStreamOpens, 0, Number.MAX_SAFE_INTEGER),
    'maxQueuedStreamOpens',
    'must be a non-negative integer',
  );
  check(isIntegerIn(resolved.keepaliveTimeMs, 1, 2 ** 31 - 1), 'keepaliveTimeMs', 'must be a positive integer');
  check(isIntegerIn(resolved.keepaliveTimeoutMs, 1, 2 ** 31 - 1), 'keepaliveTimeoutMs', 'must be a positive integer');
  check(isIntegerIn(resolved.shutdownGraceMs, 0, 2 ** 31 - 1), 'shutdownGraceMs', 'must be a non-negative integer');
  for (const name of OBSERVER_CALLBACKS) {
    const callback = resolved.observer[name];
    check(callback === undefined || typeof callback === 'function', `observer.${name}`, 'must be a function');
  }
  if (violations.length > 0) throw invalid(violations, 'ADS server options');
  return resolved;
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isCache(value: unknown): value is SnapshotCache {
  const cache = value as Partial<SnapshotCache> | undefined;
  return typeof cache?.get === 'function' && typeof cache.watch === 'function';
}

/** Drops `undefined` fields, so an option explicitly set to `undefined` still gets its default. */
function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
