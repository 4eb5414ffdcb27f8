/**
 * A zone CP's KDS side inside the bench process: its own in-memory store and the zone CP's real
 * KDS client (`createKdsClient` from packages/zone-cp) dialing the global over gRPC + TLS
 * (verified against the global's CA) with a real zone token and the product's default sync
 * timings. Everything else a zone CP runs (xDS, REST) is left out: the global cannot tell.
 *
 * The client is imported by path: `@strait/bench` does not (yet) depend on `@strait/zone-cp`.
 */

import { credentials } from '@grpc/grpc-js';
import { builtinRegistry, createMemoryStore, type Logger, type ResourceStore } from '@strait/shared';
import { createKdsClient, type KdsClient, type KdsClientObserver } from '@strait/zone-cp';

/** Options of {@link startBenchZone}. */
export interface BenchZoneOptions {
  /** Zone name (must match the token's). */
  readonly zone: string;
  /** The global's KDS `host:port`. */
  readonly kdsAddress: string;
  /** PEM of the global's KDS CA. */
  readonly caPem: string;
  readonly token: string;
  readonly logger: Logger;
  /** The store to sync; default a new, empty memory store. */
  readonly store?: ResourceStore;
  readonly observer?: KdsClientObserver;
}

/** A connected (or connecting) in-process zone. */
export interface BenchZone {
  readonly zone: string;
  readonly store: ResourceStore;
  readonly client: KdsClient;
  /** Stops the client and closes the store. */
  close(): Promise<void>;
}

/** Creates the zone and starts dialing (resolves at once; watch `client.connected` or the store). */
export async function startBenchZone(options: BenchZoneOptions): Promise<BenchZone> {
  const store = options.store ?? createMemoryStore();
  const client = createKdsClient({
    store,
    registry: builtinRegistry,
    logger: options.logger,
    zone: options.zone,
    address: options.kdsAddress,
    // One secure context per zone: grpc-js then gives each zone its own HTTP/2 connection, as
    // separate zone CPs would have (equal credentials would share one subchannel).
    credentials: credentials.createSsl(Buffer.from(options.caPem)),
    token: options.token,
    instance: `bench-${options.zone}`,
    version: 'bench',
    ...(options.observer === undefined ? {} : { observer: options.observer }),
  });
  await client.start();
  return {
    zone: options.zone,
    store,
    client,
    async close() {
      await client.stop();
      await store.close();
    },
  };
}
