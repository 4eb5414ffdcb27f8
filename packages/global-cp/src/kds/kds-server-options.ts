/**
 * Options of the global's KDS server: their types, defaults and validation. Resolved once at
 * creation, then frozen, so a bad value fails at start-up with every violation listed.
 */

import { type Metadata, ServerCredentials } from '@grpc/grpc-js';
import {
  DEFAULT_REDISTRIBUTED_TYPES,
  invalid,
  type KdsAppliedInfo,
  type KdsSentInfo,
  type KdsSyncOptions,
  type Logger,
  type ResolvedKdsSyncOptions,
  type ResourceRegistry,
  type ResourceStore,
  resolveKdsSyncOptions,
  type Violation,
} from '@strait/shared';

/** What is known about a zone's connection when it opens (and still when it closes). */
export interface KdsZoneConnectionInfo {
  /** The zone CP instance, as it says (`strait-kds-instance` metadata; empty when unsaid). */
  readonly instance: string;
  /** The zone CP's version (`strait-kds-version` metadata; empty when unsaid). */
  readonly version: string;
  /** When the zone's first stream of this connection was authenticated. */
  readonly connectTime: Date;
  /** Network address of the zone CP, as gRPC sees it. */
  readonly peer: string;
}

/**
 * Callbacks for insights (the lead turns them into ZoneInsights). Called on the stream's path:
 * keep them cheap. One that throws is logged and otherwise ignored.
 */
export interface KdsServerObserver {
  /** The zone's first stream opened (a zone counts as connected while any of its streams is open). */
  onZoneConnected?(zone: string, info: KdsZoneConnectionInfo): void;
  /** The zone's last stream closed. */
  onZoneDisconnected?(zone: string, info: KdsZoneConnectionInfo): void;
  /** The global sent the zone a response. */
  onSent?(zone: string, type: string, info: KdsSentInfo): void;
  /** The zone ACKed a response. */
  onAck?(zone: string, type: string, nonce: string): void;
  /** The zone NACKed a response (it applied none of it). */
  onNack?(zone: string, type: string, message: string, nonce: string): void;
  /** The global applied what the zone sent. */
  onApplied?(zone: string, type: string, info: KdsAppliedInfo): void;
  /** The global refused what the zone sent (NACK). */
  onRefused?(zone: string, type: string, message: string, nonce: string): void;
  /** A heartbeat arrived from the zone (on either stream): the zone is alive at `time`. */
  onHeartbeat?(zone: string, time: Date): void;
}

/** Options of {@link createKdsServer}. */
export interface KdsServerOptions extends KdsSyncOptions {
  /** The global's store: read to send, written with what zones sync up. */
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly logger: Logger;
  /** Interface to bind; default `0.0.0.0`. */
  readonly host?: string;
  /** Port to bind; `0` picks a free one (see `address()`); default 5685. */
  readonly port?: number;
  /** TLS in production; `ServerCredentials.createInsecure()` in tests. */
  readonly credentials: ServerCredentials;
  /**
   * Establishes which zone opened a stream, from its metadata (`authorization: Bearer <zone
   * token>`). Called for each of the two streams a zone opens; nothing is read from or sent to
   * the stream before it resolves, so it is also where to make sure the Zone resource exists
   * (what a zone syncs up is owned by it). A rejection closes the stream with UNAUTHENTICATED
   * and the error's message.
   */
  readonly authenticate: (metadata: Metadata) => Promise<{ readonly zone: string }>;
  readonly observer?: KdsServerObserver;
  /**
   * Zone-to-global types the global relays to every other zone (documented rule: a zone gets the
   * other zones' copies, never its own); default {@link DEFAULT_REDISTRIBUTED_TYPES}. Zones must
   * be configured with the same list.
   */
  readonly redistributedTypes?: readonly string[];
  /** Interval of HTTP/2 keepalive pings to each zone; default 30 s. */
  readonly keepaliveTimeMs?: number;
  /** How long a keepalive ping may go unanswered before the connection is dropped; default 10 s. */
  readonly keepaliveTimeoutMs?: number;
  /** How long `stop()` waits for connections to close before cutting them; default 5 s. */
  readonly shutdownGraceMs?: number;
}

/** {@link KdsServerOptions} with every default applied. */
export interface ResolvedKdsServerOptions {
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly logger: Logger;
  readonly host: string;
  readonly port: number;
  readonly credentials: ServerCredentials;
  readonly authenticate: (metadata: Metadata) => Promise<{ readonly zone: string }>;
  readonly observer: KdsServerObserver;
  readonly redistributedTypes: readonly string[];
  readonly keepaliveTimeMs: number;
  readonly keepaliveTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly sync: ResolvedKdsSyncOptions;
}

const OBSERVER_CALLBACKS = [
  'onZoneConnected',
  'onZoneDisconnected',
  'onSent',
  'onAck',
  'onNack',
  'onApplied',
  'onRefused',
  'onHeartbeat',
] as const satisfies readonly (keyof KdsServerObserver)[];

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Applies defaults, validates, and freezes. Throws a `StraitError` (Invalid) listing every bad field. */
export function resolveKdsServerOptions(options: KdsServerOptions): ResolvedKdsServerOptions {
  const violations: Violation[] = [];
  const check = (ok: boolean, field: string, reason: string) => {
    if (!ok) violations.push({ field, reason });
  };
  const resolved: ResolvedKdsServerOptions = Object.freeze({
    store: options.store,
    registry: options.registry,
    logger: options.logger,
    host: options.host ?? '0.0.0.0',
    port: options.port ?? 5685,
    credentials: options.credentials,
    authenticate: options.authenticate,
    // Kept as given (not copied): an observer may be a class instance with methods on its prototype.
    observer: options.observer ?? {},
    redistributedTypes: Object.freeze([...(options.redistributedTypes ?? DEFAULT_REDISTRIBUTED_TYPES)]),
    keepaliveTimeMs: options.keepaliveTimeMs ?? 30_000,
    keepaliveTimeoutMs: options.keepaliveTimeoutMs ?? 10_000,
    shutdownGraceMs: options.shutdownGraceMs ?? 5_000,
    sync: resolveKdsSyncOptions(options, violations),
  });
  check(typeof resolved.store?.subscribe === 'function', 'store', 'must be a ResourceStore');
  check(typeof resolved.registry?.require === 'function', 'registry', 'must be a ResourceRegistry');
  check(typeof resolved.logger?.child === 'function', 'logger', 'must be a Logger');
  check(typeof resolved.host === 'string' && resolved.host !== '', 'host', 'must be a non-empty string');
  check(isIntegerIn(resolved.port, 0, 65_535), 'port', 'must be an integer from 0 to 65535');
  check(resolved.credentials instanceof ServerCredentials, 'credentials', 'must be grpc ServerCredentials');
  check(typeof resolved.authenticate === 'function', 'authenticate', 'must be a function');
  resolved.redistributedTypes.forEach((type, i) => {
    const descriptor = typeof resolved.registry?.byName === 'function' ? resolved.registry.byName(type) : undefined;
    check(
      descriptor !== undefined && descriptor.kds === 'zone-to-global',
      `redistributedTypes[${i}]`,
      'must name a zone-to-global resource type',
    );
  });
  check(isIntegerIn(resolved.keepaliveTimeMs, 1, MAX_TIMER_MS), 'keepaliveTimeMs', 'must be a positive integer');
  check(isIntegerIn(resolved.keepaliveTimeoutMs, 1, MAX_TIMER_MS), 'keepaliveTimeoutMs', 'must be a positive integer');
  check(isIntegerIn(resolved.shutdownGraceMs, 0, MAX_TIMER_MS), 'shutdownGraceMs', 'must be a non-negative integer');
  for (const name of OBSERVER_CALLBACKS) {
    const callback = resolved.observer[name];
    check(callback === undefined || typeof callback === 'function', `observer.${name}`, 'must be a function');
  }
  if (violations.length > 0) throw invalid(violations, 'KDS server options');
  return resolved;
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
