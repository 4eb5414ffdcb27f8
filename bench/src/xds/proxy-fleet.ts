/**
 * Many simulated proxies over a small pool of TLS channels: each grpc-js channel (its own
 * HTTP/2 connection, thanks to a local subchannel pool) carries many ADS streams, and each
 * stream carries its own node id and token, as if each were a separate Envoy.
 */

import { credentials, Metadata } from '@grpc/grpc-js';
import { AggregatedDiscoveryService } from '@strait/proto/envoy';
import { createServiceClient } from '@strait/shared';
import { type AdsClient, createDeltaProxy, type DeltaProxy, type DeltaProxyObserver } from './delta-proxy.js';

/** One proxy of the fleet. */
export interface FleetMember {
  readonly nodeId: string;
  readonly cluster: string;
}

/** Options of {@link createProxyFleet}. */
export interface ProxyFleetOptions {
  /** `host:port` of the CP's xDS port. */
  readonly address: string;
  /** PEM of the CA the CP's certificate is verified against. */
  readonly caPem: string;
  /** Dataplane token sent as `authorization: Bearer …` on every stream. */
  readonly token: string;
  readonly members: readonly FleetMember[];
  /** Channels (TCP connections) to spread the streams over. */
  readonly channels: number;
  readonly observer?: DeltaProxyObserver;
  /** Streams opened before yielding to the event loop; default 100. */
  readonly openBatch?: number;
}

/** The fleet. */
export interface ProxyFleet {
  readonly proxies: readonly DeltaProxy[];
  /** Opens every proxy's stream, as fast as the client can (a reconnect storm). */
  open(): Promise<void>;
  /** Cancels every stream and closes every channel. */
  close(): void;
}

/** Creates the channels and proxies; nothing connects until `open()`. */
export function createProxyFleet(options: ProxyFleetOptions): ProxyFleet {
  const channelCount = Math.max(1, Math.min(options.channels, options.members.length));
  const tls = credentials.createSsl(Buffer.from(options.caPem));
  const clients: AdsClient[] = Array.from({ length: channelCount }, () =>
    createServiceClient(AggregatedDiscoveryService, options.address, tls, {
      // A pool per channel: otherwise grpc-js shares one connection between equal channels.
      'grpc.use_local_subchannel_pool': 1,
      // The CP's certificate names localhost and 127.0.0.1; an IP as TLS SNI is deprecated in Node.
      'grpc.ssl_target_name_override': 'localhost',
      'grpc.enable_channelz': 0,
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
    }),
  );
  const authorization = `Bearer ${options.token}`;
  const metadata = (): Metadata => {
    const m = new Metadata();
    m.set('authorization', authorization);
    return m;
  };
  const proxies = options.members.map((member, i) =>
    createDeltaProxy({
      nodeId: member.nodeId,
      cluster: member.cluster,
      client: clients[i % channelCount] as AdsClient,
      metadata,
      ...(options.observer === undefined ? {} : { observer: options.observer }),
    }),
  );
  const batch = options.openBatch ?? 100;
  return {
    proxies,
    async open() {
      for (const [i, proxy] of proxies.entries()) {
        proxy.start();
        if ((i + 1) % batch === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    },
    close() {
      for (const proxy of proxies) proxy.close();
      for (const client of clients) client.close();
    },
  };
}
