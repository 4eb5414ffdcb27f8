/**
 * The zone CP's KDS client. The zone always dials (it may sit behind NAT): one connection opens
 * both streams — GlobalToZone, where the zone runs a receiver session (meshes, policies,
 * secrets and other zones' ingresses come down), and ZoneToGlobal, where it runs a sender
 * session (its dataplanes, ingresses, insights and policies go up). When either stream ends or
 * stalls, both are closed and the client dials again after a capped exponential backoff, which
 * resets once a connection got as far as hearing from the global. While disconnected the zone
 * keeps everything it holds (it serves the last known config); on reconnect the subscriptions
 * name what it holds, so only the difference travels.
 *
 * Each attempt dials a fresh channel (a new TCP + TLS connection). A stall is usually the
 * connection's fault (a middlebox that stopped forwarding one way), and HTTP/2 would keep such a
 * connection for keepalive time + timeout: new streams on it would stall again, and again.
 *
 * The channel sends gzip (`grpc.default_compression_algorithm`) for bulk messages only
 * (`kdsMessageWorthCompressing`: resources, a reconnect's initial versions); ACKs and heartbeats go
 * uncompressed. grpc-js servers do not compress their replies.
 */

import { compressionAlgorithms, Metadata, status } from '@grpc/grpc-js';
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from '@strait/proto/envoy';
import { KdsService } from '@strait/proto/kds';
import {
  type Component,
  clientStreamPort,
  createServiceClient,
  type GrpcServiceClient,
  globalToZoneReceiveFlow,
  grpcMessageCapBytes,
  KDS_AUTHORIZATION_HEADER,
  KDS_INSTANCE_HEADER,
  KDS_VERSION_HEADER,
  type KdsStreamEnd,
  type KdsSyncEvents,
  kdsMessageWorthCompressing,
  startReceiverSession,
  startSenderSession,
  zoneToGlobalSendFlow,
} from '@strait/shared';
import {
  type KdsClientObserver,
  type KdsClientOptions,
  type ResolvedKdsClientOptions,
  resolveKdsClientOptions,
} from './kds-client-options.js';
import { reconnectDelayMs, sleep } from './reconnect-backoff.js';

/** The running KDS client. */
export interface KdsClient extends Component {
  /** Starts dialing in the background; resolves at once (the zone works without the global). */
  start(signal?: AbortSignal): Promise<void>;
  /** True while a connection is up and the global has been heard from. */
  readonly connected: boolean;
}

/** How one connection went. */
interface ConnectionResult {
  readonly end: KdsStreamEnd;
  /** The global was heard from: the connection was accepted, so backoff starts over. */
  readonly accepted: boolean;
}

/** Calls an observer callback, logging (not throwing) what it throws. */
function notify<K extends keyof KdsClientObserver>(
  opts: ResolvedKdsClientOptions,
  name: K,
  ...args: Parameters<NonNullable<KdsClientObserver[K]>>
): void {
  const callback = opts.observer[name] as ((...a: typeof args) => void) | undefined;
  if (callback === undefined) return;
  try {
    callback.apply(opts.observer, args);
  } catch (err) {
    opts.logger.error({ err, callback: name }, 'KDS observer callback failed');
  }
}

/** Creates the KDS client; options are validated (throws `StraitError` Invalid) and frozen. */
export function createKdsClient(options: KdsClientOptions): KdsClient {
  const opts = resolveKdsClientOptions(options);
  const log = opts.logger.child({ component: 'kds-client', zone: opts.zone });
  const stopping = new AbortController();
  let loop: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;
  let connected = false;

  async function metadata(): Promise<Metadata> {
    const md = new Metadata();
    md.set(KDS_AUTHORIZATION_HEADER, `Bearer ${await opts.token()}`);
    md.set(KDS_INSTANCE_HEADER, opts.instance);
    md.set(KDS_VERSION_HEADER, opts.version);
    return md;
  }

  /** Opens both streams and resolves once either of them ends (the other is then closed). */
  async function connectOnce(grpc: GrpcServiceClient<typeof KdsService>): Promise<ConnectionResult> {
    let md: Metadata;
    try {
      md = await metadata();
    } catch (err) {
      log.error({ err }, 'could not read the zone token');
      return {
        end: { code: status.UNAUTHENTICATED, details: 'zone token unavailable', byPeer: false },
        accepted: false,
      };
    }
    let accepted = false;
    const heard = () => {
      if (accepted) return;
      accepted = true;
      connected = true;
      log.info({ target: opts.target }, 'connected to the global KDS');
      notify(opts, 'onConnected', { connectTime: new Date() });
    };
    const events: KdsSyncEvents = {
      onSent: (type, info) => notify(opts, 'onSent', type, info),
      onAck: (type, nonce) => notify(opts, 'onAck', type, nonce),
      onNack: (type, message, nonce) => notify(opts, 'onNack', type, message, nonce),
      onApplied: (type, info) => {
        heard();
        notify(opts, 'onApplied', type, info);
      },
      onRefused: (type, message, nonce) => notify(opts, 'onRefused', type, message, nonce),
      onHeartbeat: (time) => {
        // The global beats as soon as it authenticated a stream.
        heard();
        notify(opts, 'onHeartbeat', time);
      },
    };
    const common = { store: opts.store, registry: opts.registry, sync: opts.sync, events };
    const down = startReceiverSession(
      clientStreamPort<DeltaDiscoveryResponse, DeltaDiscoveryRequest>(
        grpc.globalToZone(md),
        undefined,
        kdsMessageWorthCompressing,
      ),
      {
        ...common,
        log: log.child({ stream: 'global-to-zone' }),
        flow: globalToZoneReceiveFlow({
          registry: opts.registry,
          zone: opts.zone,
          redistributedTypes: opts.redistributedTypes,
        }),
        nodeId: opts.zone,
      },
    );
    const up = startSenderSession(
      clientStreamPort<DeltaDiscoveryRequest, DeltaDiscoveryResponse>(
        grpc.zoneToGlobal(md),
        undefined,
        kdsMessageWorthCompressing,
      ),
      {
        ...common,
        log: log.child({ stream: 'zone-to-global' }),
        flow: zoneToGlobalSendFlow({ registry: opts.registry, zone: opts.zone }),
      },
    );
    const closeBoth = () => {
      down.close();
      up.close();
    };
    // stop() may come at any point of an attempt, including while the token was being read.
    stopping.signal.addEventListener('abort', closeBoth, { once: true });
    if (stopping.signal.aborted) closeBoth();
    const end = await Promise.race([down.done, up.done]);
    closeBoth();
    await Promise.all([down.done, up.done]);
    stopping.signal.removeEventListener('abort', closeBoth);
    connected = false;
    return { end, accepted };
  }

  /** A new channel to the global: nothing shared with the connection of the previous attempt. */
  function dial(): GrpcServiceClient<typeof KdsService> {
    const cap = grpcMessageCapBytes(opts.sync);
    return createServiceClient(KdsService, opts.target, opts.credentials, {
      'grpc.keepalive_time_ms': opts.keepaliveTimeMs,
      'grpc.keepalive_timeout_ms': opts.keepaliveTimeoutMs,
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.default_compression_algorithm': compressionAlgorithms.gzip,
      'grpc.max_receive_message_length': cap,
      'grpc.max_send_message_length': cap,
      'grpc.initial_reconnect_backoff_ms': opts.reconnectBackoffMs,
      'grpc.max_reconnect_backoff_ms': opts.maxReconnectBackoffMs,
      'grpc.enable_channelz': 0,
      // grpc-js shares subchannels (connections) between channels with equal options unless told not to.
      'grpc.use_local_subchannel_pool': 1,
    });
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopping.signal.aborted) {
      const grpc = dial();
      let result: ConnectionResult;
      try {
        result = await connectOnce(grpc);
      } finally {
        grpc.close();
      }
      const { end, accepted } = result;
      if (stopping.signal.aborted) return;
      if (accepted) failures = 0;
      const reconnectInMs = reconnectDelayMs(failures, opts.reconnectBackoffMs, opts.maxReconnectBackoffMs);
      failures += 1;
      log.warn(
        { code: end.code, details: end.details, byGlobal: end.byPeer, reconnectInMs },
        accepted ? 'KDS connection to the global ended' : 'KDS connection to the global failed',
      );
      notify(opts, 'onDisconnected', { code: end.code, details: end.details, reconnectInMs });
      await sleep(reconnectInMs, stopping.signal);
    }
  }

  const component: KdsClient = {
    name: 'kds-client',
    // Writes the global's copies into the zone store; one zone CP replica talks to the global.
    needsLeadership: true,
    async start(signal) {
      if (loop !== undefined) throw new Error('KDS client already started');
      signal?.addEventListener('abort', () => void component.stop(), { once: true });
      log.info({ target: opts.target }, 'KDS client dialing the global');
      loop = run().catch((err: unknown) => log.error({ err }, 'KDS client loop failed'));
    },
    stop() {
      // Idempotent: later callers wait for the same shutdown.
      stopped ??= (async () => {
        stopping.abort();
        await loop;
        log.info('KDS client stopped');
      })();
      return stopped;
    },
    get connected() {
      return connected;
    },
  };
  return component;
}
