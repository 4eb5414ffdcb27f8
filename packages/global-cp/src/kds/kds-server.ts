/**
 * The global CP's KDS server: `strait.kds.v1.KdsService` on grpc-js. Zones dial in and open
 * two streams; on GlobalToZone the global runs a sender session (meshes, policies, secrets,
 * token public keys and other enabled zones' ingresses go down), on ZoneToGlobal a receiver
 * session (the zone's dataplanes,
 * ingresses, insights and policies come up, checked against the zone's authenticated identity
 * and stored owned by its Zone resource). A component: `start()` binds and serves, `stop()`
 * closes every stream and the server.
 *
 * Compression: grpc-js servers cannot compress what they send (only clients can, and the zone
 * client does, gzip); the server decompresses what zones send.
 */

import type { ServerDuplexStream } from '@grpc/grpc-js';
import { Server, status } from '@grpc/grpc-js';
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from '@strait/proto/envoy';
import { KdsService } from '@strait/proto/kds';
import {
  type Component,
  createServiceDefinition,
  type GrpcServiceImplementation,
  globalToZoneSendFlow,
  grpcMessageCapBytes,
  type KdsSession,
  type KdsStreamPort,
  type KdsSyncEvents,
  type Logger,
  startReceiverSession,
  startSenderSession,
  zoneDescriptor,
  zoneToGlobalReceiveFlow,
} from '@strait/shared';
import { createDisabledZones, isZoneEnabled } from '../zones/disabled-zones.js';
import { type AcceptZoneContext, acceptZoneStream } from './accept-zone-stream.js';
import {
  type KdsServerObserver,
  type KdsServerOptions,
  type KdsZoneConnectionInfo,
  resolveKdsServerOptions,
} from './kds-server-options.js';
import { createZoneConnections, type KdsStreamKind } from './zone-connections.js';

/** The running KDS server. */
export interface KdsServer extends Component {
  /** Starts serving; resolves once bound. */
  start(signal?: AbortSignal): Promise<void>;
  /** The bound address (after `start`); `port` is the real one when 0 was asked for. */
  address(): { readonly host: string; readonly port: number };
  /** Zones with at least one open stream. */
  connectedZones(): readonly string[];
}

/** The observer's per-zone callbacks as the session events of one zone. */
function zoneEvents(observer: KdsServerObserver, zone: string, log: Logger): KdsSyncEvents {
  const call = <A extends unknown[]>(
    name: keyof KdsServerObserver,
    fn: ((...args: A) => void) | undefined,
    ...args: A
  ) => {
    if (fn === undefined) return;
    try {
      fn.apply(observer, args);
    } catch (err) {
      log.error({ err, callback: name }, 'KDS observer callback failed');
    }
  };
  return {
    onSent: (type, info) => call('onSent', observer.onSent, zone, type, info),
    onAck: (type, nonce) => call('onAck', observer.onAck, zone, type, nonce),
    onNack: (type, message, nonce) => call('onNack', observer.onNack, zone, type, message, nonce),
    onApplied: (type, info) => call('onApplied', observer.onApplied, zone, type, info),
    onRefused: (type, message, nonce) => call('onRefused', observer.onRefused, zone, type, message, nonce),
    onHeartbeat: (time) => call('onHeartbeat', observer.onHeartbeat, zone, time),
  };
}

/** Creates the KDS server; options are validated (throws `StraitError` Invalid) and frozen. */
export function createKdsServer(options: KdsServerOptions): KdsServer {
  const opts = resolveKdsServerOptions(options);
  const log = opts.logger.child({ component: 'kds-server' });
  const connections = createZoneConnections(opts.observer, log);
  // What a disabled zone synced up is withheld from the other zones until it is enabled again.
  const disabledZones = createDisabledZones(opts.store, log);
  let server: Server | undefined;
  let port: number | undefined;
  let stopping = false;
  let unsubscribe: (() => void) | undefined;
  let stopped: Promise<void> | undefined;

  const context: AcceptZoneContext = {
    log,
    authenticate: opts.authenticate,
    stopping: () => stopping,
  };

  /** Registers a started session and forgets it once it ends. */
  function track(zone: string, kind: KdsStreamKind, info: KdsZoneConnectionInfo, session: KdsSession) {
    connections.open(zone, kind, session, info);
    void session.done.then((end) => {
      log.info({ zone, stream: kind, code: end.code, details: end.details, byZone: end.byPeer }, 'KDS stream ended');
      connections.closed(zone, kind, session);
    });
  }

  const startGlobalToZone = (
    zone: string,
    info: KdsZoneConnectionInfo,
    stream: KdsStreamPort<DeltaDiscoveryRequest, DeltaDiscoveryResponse>,
  ) => {
    const streamLog = log.child({ zone, stream: 'global-to-zone' });
    const session = startSenderSession(stream, {
      store: opts.store,
      registry: opts.registry,
      sync: opts.sync,
      log: streamLog,
      events: zoneEvents(opts.observer, zone, streamLog),
      flow: globalToZoneSendFlow({
        registry: opts.registry,
        zone,
        redistributedTypes: opts.redistributedTypes,
        withheldZones: disabledZones,
      }),
      expectedNodeId: zone,
    });
    track(zone, 'global-to-zone', info, session);
  };

  const startZoneToGlobal = (
    zone: string,
    info: KdsZoneConnectionInfo,
    stream: KdsStreamPort<DeltaDiscoveryResponse, DeltaDiscoveryRequest>,
  ) => {
    const streamLog = log.child({ zone, stream: 'zone-to-global' });
    const session = startReceiverSession(stream, {
      store: opts.store,
      registry: opts.registry,
      sync: opts.sync,
      log: streamLog,
      events: zoneEvents(opts.observer, zone, streamLog),
      flow: zoneToGlobalReceiveFlow({ registry: opts.registry, zone }),
    });
    track(zone, 'zone-to-global', info, session);
  };

  /** Closes every zone stream, then the server (cut after `shutdownGraceMs`). */
  async function shutdown(): Promise<void> {
    stopping = true;
    unsubscribe?.();
    disabledZones.close();
    connections.closeAll(status.UNAVAILABLE, 'control plane is shutting down');
    const grpcServer = server;
    if (grpcServer === undefined) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        grpcServer.forceShutdown();
        resolve();
      }, opts.shutdownGraceMs);
      grpcServer.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    log.info('KDS server stopped');
  }

  const implementation: GrpcServiceImplementation<typeof KdsService> = {
    globalToZone: (call: ServerDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>) =>
      void acceptZoneStream(context, call, 'global-to-zone', startGlobalToZone),
    zoneToGlobal: (call: ServerDuplexStream<DeltaDiscoveryResponse, DeltaDiscoveryRequest>) =>
      void acceptZoneStream(context, call, 'zone-to-global', startZoneToGlobal),
  };

  return {
    name: 'kds-server',
    // Every replica serves the zones connected to it (a zone holds one connection at a time).
    needsLeadership: false,
    async start() {
      if (server !== undefined) throw new Error('KDS server already started');
      await disabledZones.start();
      const cap = grpcMessageCapBytes(opts.sync);
      const grpcServer = new Server({
        'grpc.keepalive_time_ms': opts.keepaliveTimeMs,
        'grpc.keepalive_timeout_ms': opts.keepaliveTimeoutMs,
        'grpc.keepalive_permit_without_calls': 1,
        'grpc.max_receive_message_length': cap,
        'grpc.max_send_message_length': cap,
        'grpc.enable_channelz': 0,
      });
      grpcServer.addService(createServiceDefinition(KdsService), implementation);
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      port = await new Promise<number>((resolve, reject) => {
        grpcServer.bindAsync(`${host}:${opts.port}`, opts.credentials, (err, bound) => {
          if (err) reject(err);
          else resolve(bound);
        });
      });
      server = grpcServer;
      // Deleting a Zone deletes what it synced up; its streams must start over (or be refused).
      unsubscribe = opts.store.subscribe((event) => {
        if (event.key.type !== zoneDescriptor.name) return;
        if (event.op === 'delete') {
          connections.closeZone(event.key.name, status.FAILED_PRECONDITION, 'the Zone resource was deleted');
        } else if (!isZoneEnabled(event.resource.spec)) {
          // A disabled zone is cut off now; `authenticate` refuses it until it is enabled again.
          connections.closeZone(event.key.name, status.PERMISSION_DENIED, 'the zone is disabled (enabled: false)');
        }
      });
      log.info({ host: opts.host, port }, 'KDS server listening');
    },
    stop() {
      // Idempotent: later callers wait for the same shutdown.
      stopped ??= shutdown();
      return stopped;
    },
    address() {
      if (port === undefined) throw new Error('KDS server not started');
      return { host: opts.host, port };
    },
    connectedZones: () => connections.zones(),
  };
}
