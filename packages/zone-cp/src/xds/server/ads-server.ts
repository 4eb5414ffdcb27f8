/**
 * The zone CP's ADS server: `envoy.service.discovery.v3.AggregatedDiscoveryService` on grpc-js,
 * both state of the world and delta, serving each proxy the snapshot the generators put in the
 * cache. A component: `start()` binds and serves, `stop()` closes every stream and the server.
 */

import type { Duplex } from 'node:stream';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { Server, status } from '@grpc/grpc-js';
import { AggregatedDiscoveryService } from '@strait/proto/envoy';
import { type Component, createServiceDefinition, type GrpcServiceImplementation } from '@strait/shared';
import { type AcceptContext, acceptStream, refuse } from './accept-stream.js';
import { createAdmission } from './admission.js';
import { type AdsServerOptions, resolveAdsServerOptions } from './ads-server-options.js';
import type { AdsStream } from './ads-stream.js';
import { deltaProtocol } from './delta-stream.js';
import { sotwProtocol } from './sotw-stream.js';

/** The running ADS server. */
export interface AdsServer extends Component {
  /** Starts serving; resolves once bound. */
  start(signal?: AbortSignal): Promise<void>;
  /** The bound address (after `start`); `port` is the real one when 0 was asked for. */
  address(): { readonly host: string; readonly port: number };
  /** Proxies with an open, authenticated stream. */
  readonly connectedProxies: number;
  /** Serves an accepted connection (HTTP/2 already decrypted or not, per `credentials`); needs `injectOnly`. */
  injectConnection(connection: Duplex): void;
}

/** Creates the ADS server; options are validated (throws `StraitError` Invalid) and frozen. */
export function createAdsServer(options: AdsServerOptions): AdsServer {
  const opts = resolveAdsServerOptions(options);
  const log = opts.logger.child({ component: 'ads-server' });
  const admission = createAdmission({
    perSecond: opts.maxConcurrentStreamOpensPerSecond,
    maxQueued: opts.maxQueuedStreamOpens,
  });
  const streams = new Map<string, AdsStream>();
  const opening = new Set<ServerDuplexStream<unknown, unknown>>();
  let server: Server | undefined;
  let port: number | undefined;
  let injector: ReturnType<Server['createConnectionInjector']> | undefined;
  let stopping = false;
  let streamSeq = 0;

  const context: AcceptContext = {
    options: opts,
    log,
    admission,
    streams,
    opening,
    stopping: () => stopping,
    nextStreamId: () => {
      streamSeq += 1;
      return streamSeq;
    },
  };

  const implementation: GrpcServiceImplementation<typeof AggregatedDiscoveryService> = {
    streamAggregatedResources: (call) => void acceptStream(context, call, 'sotw', sotwProtocol),
    deltaAggregatedResources: (call) => void acceptStream(context, call, 'delta', deltaProtocol),
  };

  return {
    name: 'ads-server',
    // Every replica serves the proxies connected to it.
    needsLeadership: false,
    async start() {
      if (server !== undefined) throw new Error('ADS server already started');
      const grpcServer = new Server({
        'grpc.keepalive_time_ms': opts.keepaliveTimeMs,
        'grpc.keepalive_timeout_ms': opts.keepaliveTimeoutMs,
        // Channelz keeps per-call bookkeeping we never read; thousands of streams make it cost.
        'grpc.enable_channelz': 0,
      });
      grpcServer.addService(createServiceDefinition(AggregatedDiscoveryService), implementation);
      if (opts.injectOnly) {
        injector = grpcServer.createConnectionInjector(opts.credentials);
        server = grpcServer;
        log.info('ADS server accepting injected connections');
        return;
      }
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      port = await new Promise<number>((resolve, reject) => {
        grpcServer.bindAsync(`${host}:${opts.port}`, opts.credentials, (err, bound) => {
          if (err) reject(err);
          else resolve(bound);
        });
      });
      server = grpcServer;
      log.info({ host: opts.host, port }, 'ADS server listening');
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      admission.close();
      for (const stream of [...streams.values()]) stream.close(status.UNAVAILABLE, 'control plane is shutting down');
      for (const call of opening) refuse(call, status.UNAVAILABLE, 'control plane is shutting down');
      const grpcServer = server;
      if (grpcServer === undefined) return;
      injector?.drain(opts.shutdownGraceMs);
      await new Promise<void>((resolve) => {
        // Streams were ended above; what is left is connections draining. Cut them after the grace.
        const timer = setTimeout(() => {
          grpcServer.forceShutdown();
          resolve();
        }, opts.shutdownGraceMs);
        grpcServer.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      log.info('ADS server stopped');
    },
    address() {
      if (port === undefined) throw new Error('ADS server not started');
      return { host: opts.host, port };
    },
    injectConnection(connection) {
      if (injector === undefined) throw new Error('ADS server is not started with injectOnly');
      injector.injectConnection(connection);
    },
    get connectedProxies() {
      return streams.size;
    },
  };
}
