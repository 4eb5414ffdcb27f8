/**
 * Test helpers for the KDS server: a real server on a free port, stand-in zones (the shared
 * zone-side sessions over a raw grpc-js client, or raw streams a test drives message by
 * message), resource builders and condition waits. Test-only; not exported from the package.
 */

import { Writable } from 'node:stream';
import { type ClientDuplexStream, credentials, Metadata, ServerCredentials } from '@grpc/grpc-js';
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from '@strait/proto/envoy';
import { KdsService } from '@strait/proto/kds';
import {
  builtinRegistry,
  clientStreamPort,
  createLogger,
  createMemoryStore,
  createServiceClient,
  type GrpcServiceClient,
  globalToZoneReceiveFlow,
  type KdsSession,
  type KdsSyncOptions,
  type ResourceInput,
  type ResourceStore,
  resolveKdsSyncOptions,
  silentLogger,
  startReceiverSession,
  startSenderSession,
  zoneToGlobalSendFlow,
} from '@strait/shared';
import { createKdsServer, type KdsServer } from './kds-server.js';
import type { KdsServerObserver, KdsServerOptions } from './kds-server-options.js';

/** Sync timings small enough for tests that wait on heartbeats and stalls. */
export const FAST_SYNC: KdsSyncOptions = Object.freeze({
  heartbeatIntervalMs: 100,
  heartbeatTimeoutMs: 800,
  debounceMs: 5,
  nackRetryMs: 300,
});

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 4_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A Dataplane with one inbound. */
export function dataplaneInput(mesh: string, name: string, address = '10.0.0.1'): ResourceInput {
  return {
    type: 'Dataplane',
    mesh,
    name,
    spec: { networking: { address, inbound: [{ port: 8080, tags: { 'kuma.io/service': name } }] } },
  };
}

/** Log lines captured from a logger. */
export interface CapturedLog {
  readonly lines: Record<string, unknown>[];
}

/** A logger whose JSON lines end up in `lines`. */
export function capturingLogger(): { logger: ReturnType<typeof createLogger>; captured: CapturedLog } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), captured: { lines } };
}

/** The global under test: a store with the default Mesh and the given Zones, and a started server. */
export async function startTestServer(
  options: {
    readonly zones?: readonly string[];
    readonly observer?: KdsServerObserver;
    readonly store?: ResourceStore;
  } & Partial<KdsServerOptions>,
): Promise<{ server: KdsServer; store: ResourceStore; address: string }> {
  const store = options.store ?? createMemoryStore();
  if ((await store.get({ type: 'Mesh', name: 'default' })) === undefined) {
    await store.create({ type: 'Mesh', name: 'default', spec: {} });
  }
  for (const zone of options.zones ?? []) await store.create({ type: 'Zone', name: zone, spec: {} });
  const server = createKdsServer({
    ...FAST_SYNC,
    registry: builtinRegistry,
    logger: silentLogger(),
    host: '127.0.0.1',
    port: 0,
    credentials: ServerCredentials.createInsecure(),
    authenticate: async (metadata) => {
      const match = /^Bearer token-(.+)$/.exec(String(metadata.get('authorization')[0] ?? ''));
      if (match?.[1] === undefined) throw new Error('invalid zone token');
      return { zone: match[1] };
    },
    ...options,
    store,
  });
  await server.start();
  return { server, store, address: `127.0.0.1:${server.address().port}` };
}

/** A raw client of the KDS service. */
export function kdsClient(address: string): GrpcServiceClient<typeof KdsService> {
  return createServiceClient(KdsService, address, credentials.createInsecure());
}

/** Call metadata of `zone` (token `token-<zone>`). */
export function zoneMetadata(zone: string, token = `token-${zone}`): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  metadata.set('strait-kds-instance', `${zone}-cp-1`);
  metadata.set('strait-kds-version', '1.2.3');
  return metadata;
}

/** A stand-in zone: both streams with the real zone-side sessions. */
export interface TestZone {
  readonly store: ResourceStore;
  readonly sessions: readonly KdsSession[];
  close(): Promise<void>;
}

/** Connects a stand-in zone named `zone` with its own memory store. */
export function connectTestZone(
  address: string,
  zone: string,
  store: ResourceStore,
  sync: KdsSyncOptions = FAST_SYNC,
): TestZone {
  const client = kdsClient(address);
  const resolved = resolveKdsSyncOptions(sync, []);
  const log = silentLogger();
  const metadata = zoneMetadata(zone);
  const down = startReceiverSession(
    clientStreamPort<DeltaDiscoveryResponse, DeltaDiscoveryRequest>(client.globalToZone(metadata)),
    {
      store,
      registry: builtinRegistry,
      sync: resolved,
      log,
      flow: globalToZoneReceiveFlow({ registry: builtinRegistry, zone }),
      nodeId: zone,
    },
  );
  const up = startSenderSession(
    clientStreamPort<DeltaDiscoveryRequest, DeltaDiscoveryResponse>(client.zoneToGlobal(metadata)),
    {
      store,
      registry: builtinRegistry,
      sync: resolved,
      log,
      flow: zoneToGlobalSendFlow({ registry: builtinRegistry, zone }),
    },
  );
  return {
    store,
    sessions: [down, up],
    async close() {
      down.close();
      up.close();
      await Promise.all([down.done, up.done]);
      client.close();
    },
  };
}

/** Collects the messages of a raw call and resolves waits on them. */
export function collect<T, Sent = unknown>(
  call: ClientDuplexStream<Sent, T>,
): {
  readonly messages: T[];
  readonly status: Promise<{ code: number; details: string }>;
} {
  const messages: T[] = [];
  call.on('data', (message: T) => messages.push(message));
  call.on('error', () => {});
  const status = new Promise<{ code: number; details: string }>((resolve) => call.on('status', resolve));
  return { messages, status };
}
