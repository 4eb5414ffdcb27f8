/**
 * Options of the zone's KDS client: their types, defaults and validation. Resolved once at
 * creation, then frozen, so a bad value fails at start-up with every violation listed.
 */

import { hostname } from 'node:os';
import { ChannelCredentials } from '@grpc/grpc-js';
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

/** A connection to the global that ended. */
export interface KdsDisconnectInfo {
  /** gRPC status code of the stream that ended first (16 UNAUTHENTICATED when the token was refused). */
  readonly code: number;
  readonly details: string;
  /** Delay before the next attempt. */
  readonly reconnectInMs: number;
}

/**
 * Callbacks for the zone's own logs and insight. Called on the stream's path: keep them cheap.
 * One that throws is logged and otherwise ignored.
 */
export interface KdsClientObserver {
  /** The global accepted the connection (its first message arrived). */
  onConnected?(info: { readonly connectTime: Date }): void;
  /** The connection ended (or never got going); another attempt follows after `reconnectInMs`. */
  onDisconnected?(info: KdsDisconnectInfo): void;
  /** The zone sent the global a response (ZoneToGlobal). */
  onSent?(type: string, info: KdsSentInfo): void;
  /** The global ACKed a response. */
  onAck?(type: string, nonce: string): void;
  /** The global NACKed a response (it applied none of it). */
  onNack?(type: string, message: string, nonce: string): void;
  /** The zone applied what the global sent (GlobalToZone). */
  onApplied?(type: string, info: KdsAppliedInfo): void;
  /** The zone refused what the global sent (NACK). */
  onRefused?(type: string, message: string, nonce: string): void;
  /** A heartbeat arrived from the global. */
  onHeartbeat?(time: Date): void;
}

/** Options of {@link createKdsClient}. */
export interface KdsClientOptions extends KdsSyncOptions {
  /** The zone's store: written with what the global sends, read to send the zone's resources. */
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly logger: Logger;
  /** This zone's name; must match the zone token. */
  readonly zone: string;
  /** The global's KDS address: `grpcs://host:port`, `grpc://host:port` or `host:port`. */
  readonly address: string;
  /** TLS with the global's CA in production (`credentials.createSsl(ca)`); insecure in tests. */
  readonly credentials: ChannelCredentials;
  /** The zone token, or a function returning the current one (read at every connection attempt). */
  readonly token: string | (() => string | Promise<string>);
  readonly observer?: KdsClientObserver;
  /** Told to the global (ZoneInsight); default `<hostname>:<pid>`. */
  readonly instance?: string;
  /** Told to the global (ZoneInsight); default `unknown`. */
  readonly version?: string;
  /** Must equal the global's list (see the KDS server); default ['ZoneIngress']. */
  readonly redistributedTypes?: readonly string[];
  /** First delay before reconnecting; doubles per failed attempt; default 1 s. */
  readonly reconnectBackoffMs?: number;
  /** Cap of the reconnect delay; default 30 s. */
  readonly maxReconnectBackoffMs?: number;
  /** Interval of HTTP/2 keepalive pings to the global; default 30 s. */
  readonly keepaliveTimeMs?: number;
  /** How long a keepalive ping may go unanswered before the connection is dropped; default 10 s. */
  readonly keepaliveTimeoutMs?: number;
}

/** {@link KdsClientOptions} with every default applied. */
export interface ResolvedKdsClientOptions {
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly logger: Logger;
  readonly zone: string;
  /** `host:port`, scheme removed. */
  readonly target: string;
  readonly credentials: ChannelCredentials;
  readonly token: () => string | Promise<string>;
  readonly observer: KdsClientObserver;
  readonly instance: string;
  readonly version: string;
  readonly redistributedTypes: readonly string[];
  readonly reconnectBackoffMs: number;
  readonly maxReconnectBackoffMs: number;
  readonly keepaliveTimeMs: number;
  readonly keepaliveTimeoutMs: number;
  readonly sync: ResolvedKdsSyncOptions;
}

const OBSERVER_CALLBACKS = [
  'onConnected',
  'onDisconnected',
  'onSent',
  'onAck',
  'onNack',
  'onApplied',
  'onRefused',
  'onHeartbeat',
] as const satisfies readonly (keyof KdsClientObserver)[];

const MAX_TIMER_MS = 2 ** 31 - 1;
const SCHEME = /^grpcs?:\/\//;

/** Applies defaults, validates, and freezes. Throws a `StraitError` (Invalid) listing every bad field. */
export function resolveKdsClientOptions(options: KdsClientOptions): ResolvedKdsClientOptions {
  const violations: Violation[] = [];
  const check = (ok: boolean, field: string, reason: string) => {
    if (!ok) violations.push({ field, reason });
  };
  const token = options.token;
  const resolved: ResolvedKdsClientOptions = Object.freeze({
    store: options.store,
    registry: options.registry,
    logger: options.logger,
    zone: options.zone,
    target: typeof options.address === 'string' ? options.address.replace(SCHEME, '') : '',
    credentials: options.credentials,
    token: typeof token === 'function' ? token : () => token,
    observer: options.observer ?? {},
    instance: options.instance ?? `${hostname()}:${process.pid}`,
    version: options.version ?? 'unknown',
    redistributedTypes: Object.freeze([...(options.redistributedTypes ?? DEFAULT_REDISTRIBUTED_TYPES)]),
    reconnectBackoffMs: options.reconnectBackoffMs ?? 1_000,
    maxReconnectBackoffMs: options.maxReconnectBackoffMs ?? 30_000,
    keepaliveTimeMs: options.keepaliveTimeMs ?? 30_000,
    keepaliveTimeoutMs: options.keepaliveTimeoutMs ?? 10_000,
    sync: resolveKdsSyncOptions(options, violations),
  });
  check(typeof resolved.store?.subscribe === 'function', 'store', 'must be a ResourceStore');
  check(typeof resolved.registry?.require === 'function', 'registry', 'must be a ResourceRegistry');
  check(typeof resolved.logger?.child === 'function', 'logger', 'must be a Logger');
  check(
    typeof resolved.zone === 'string' && /^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(resolved.zone),
    'zone',
    'must be a valid zone name',
  );
  check(/^[^/\s]+:\d+$/.test(resolved.target), 'address', 'must be host:port, optionally with grpcs:// or grpc://');
  check(resolved.credentials instanceof ChannelCredentials, 'credentials', 'must be grpc ChannelCredentials');
  check(
    typeof token === 'function' || (typeof token === 'string' && token !== ''),
    'token',
    'must be a non-empty string or a function',
  );
  resolved.redistributedTypes.forEach((type, i) => {
    const descriptor = typeof resolved.registry?.byName === 'function' ? resolved.registry.byName(type) : undefined;
    check(descriptor?.kds === 'zone-to-global', `redistributedTypes[${i}]`, 'must name a zone-to-global resource type');
  });
  check(isIntegerIn(resolved.reconnectBackoffMs, 1, MAX_TIMER_MS), 'reconnectBackoffMs', 'must be a positive integer');
  check(
    isIntegerIn(resolved.maxReconnectBackoffMs, resolved.reconnectBackoffMs, MAX_TIMER_MS),
    'maxReconnectBackoffMs',
    'must be an integer of at least reconnectBackoffMs',
  );
  check(isIntegerIn(resolved.keepaliveTimeMs, 1, MAX_TIMER_MS), 'keepaliveTimeMs', 'must be a positive integer');
  check(isIntegerIn(resolved.keepaliveTimeoutMs, 1, MAX_TIMER_MS), 'keepaliveTimeoutMs', 'must be a positive integer');
  for (const name of OBSERVER_CALLBACKS) {
    const callback = resolved.observer[name];
    check(callback === undefined || typeof callback === 'function', `observer.${name}`, 'must be a function');
  }
  if (violations.length > 0) throw invalid(violations, 'KDS client options');
  return resolved;
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
