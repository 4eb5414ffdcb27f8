/**
 * Test helpers for the KDS client: a stand-in global (a grpc-js server running the same shared
 * sessions the real KDS server runs, with a trivial token check), resource builders, and
 * condition waits. Test-only; not exported from the package.
 */

import { toBinary } from '@bufbuild/protobuf';
import { credentials, type Metadata, Server, ServerCredentials, type ServerDuplexStream, status } from '@grpc/grpc-js';
import {
  type DeltaDiscoveryRequest,
  type DeltaDiscoveryResponse,
  DeltaDiscoveryResponseSchema,
} from '@strait/proto/envoy';
import { KdsService } from '@strait/proto/kds';
import {
  builtinRegistry,
  type ChangeEvent,
  createServiceDefinition,
  type GrpcServiceImplementation,
  globalToZoneSendFlow,
  type KdsSession,
  type KdsStreamPort,
  type KdsSyncEvents,
  type KdsSyncOptions,
  type ResourceInput,
  type ResourceStore,
  resolveKdsSyncOptions,
  serverStreamPort,
  silentLogger,
  startReceiverSession,
  startSenderSession,
  zoneToGlobalReceiveFlow,
} from '@strait/shared';
import { createKdsClient, type KdsClient } from './kds-client.js';
import type { KdsClientObserver, KdsClientOptions } from './kds-client-options.js';

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

/** A Mesh with no mTLS. */
export function meshInput(name: string): ResourceInput {
  return { type: 'Mesh', name, spec: {} };
}

/** A MeshTrafficPermission allowing everything, with a marker in its spec for telling versions apart. */
export function mtpInput(
  mesh: string,
  name: string,
  labels: Record<string, string> = {},
  action = 'Allow',
): ResourceInput {
  return {
    type: 'MeshTrafficPermission',
    mesh,
    name,
    labels,
    spec: { targetRef: { kind: 'Mesh' }, from: [{ targetRef: { kind: 'Mesh' }, default: { action } }] },
  };
}

/** A Dataplane with one inbound. */
export function dataplaneInput(mesh: string, name: string, address = '10.0.0.1'): ResourceInput {
  return {
    type: 'Dataplane',
    mesh,
    name,
    spec: {
      networking: {
        address,
        inbound: [{ port: 8080, tags: { 'kuma.io/service': name } }],
      },
    },
  };
}

/** A ZoneIngress. */
export function zoneIngressInput(name: string, labels: Record<string, string> = {}): ResourceInput {
  return { type: 'ZoneIngress', name, labels, spec: { networking: { address: '192.168.0.1', port: 10001 } } };
}

/** Records every change event a store emits. */
export function recordChanges(store: ResourceStore): { readonly events: ChangeEvent[]; stop(): void } {
  const events: ChangeEvent[] = [];
  const stop = store.subscribe((event) => events.push(event));
  return { events, stop };
}

/** What the stand-in global saw and did. */
export interface TestGlobal {
  readonly address: string;
  readonly port: number;
  /** Serialized size of every response the global wrote (heartbeats excluded). */
  readonly responseBytes: number[];
  /** Sum of resources carried by the responses the global sent, per type. */
  readonly sentResources: Map<string, number>;
  readonly removedSent: Map<string, number>;
  /** Streams opened (after authentication). */
  streamsOpened: number;
  close(): Promise<void>;
}

/** Options of {@link startTestGlobal}. */
export interface TestGlobalOptions {
  readonly store: ResourceStore;
  /** 0 for a free port, or a port to reuse (a restarted global). */
  readonly port?: number;
  readonly sync?: KdsSyncOptions;
  /** Maps metadata to a zone; default: the bearer token is `token-<zone>`. */
  readonly authenticate?: (metadata: Metadata) => string;
  /** Accept streams but never read or write anything (a stalled global). */
  readonly silent?: boolean;
  readonly events?: KdsSyncEvents;
  /** Default insecure. */
  readonly credentials?: ServerCredentials;
}

function zoneFromToken(metadata: Metadata): string {
  const value = String(metadata.get('authorization')[0] ?? '');
  const match = /^Bearer token-(.+)$/.exec(value);
  if (match?.[1] === undefined) throw new Error('bad zone token');
  return match[1];
}

/** Starts a stand-in global on 127.0.0.1. */
export async function startTestGlobal(options: TestGlobalOptions): Promise<TestGlobal> {
  const sync = resolveKdsSyncOptions({ ...FAST_SYNC, ...options.sync }, []);
  const registry = builtinRegistry;
  const log = silentLogger();
  const sessions: KdsSession[] = [];
  const held: ServerDuplexStream<unknown, unknown>[] = [];
  const responseBytes: number[] = [];
  const sentResources = new Map<string, number>();
  const removedSent = new Map<string, number>();
  const add = (map: Map<string, number>, type: string, n: number) => map.set(type, (map.get(type) ?? 0) + n);
  const events: KdsSyncEvents = {
    ...options.events,
    onSent(type, info) {
      add(sentResources, type, info.resources);
      add(removedSent, type, info.removed);
      options.events?.onSent?.(type, info);
    },
  };

  const result: TestGlobal = {
    address: '',
    port: 0,
    responseBytes,
    sentResources,
    removedSent,
    streamsOpened: 0,
    close: async () => {},
  };

  /** Authenticates; returns the zone, or undefined after refusing the call. */
  function admit<In, Out>(call: ServerDuplexStream<In, Out>, port: KdsStreamPort<In, Out>): string | undefined {
    if (options.silent) {
      held.push(call as ServerDuplexStream<unknown, unknown>);
      return undefined;
    }
    try {
      const zone = (options.authenticate ?? zoneFromToken)(call.metadata);
      result.streamsOpened += 1;
      return zone;
    } catch (err) {
      port.close(status.UNAUTHENTICATED, err instanceof Error ? err.message : String(err));
      return undefined;
    }
  }

  const implementation: GrpcServiceImplementation<typeof KdsService> = {
    globalToZone(call: ServerDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>) {
      const raw = serverStreamPort(call);
      const zone = admit(call, raw);
      if (zone === undefined) return;
      const port: KdsStreamPort<DeltaDiscoveryRequest, DeltaDiscoveryResponse> = {
        ...raw,
        write(message) {
          if (message.typeUrl !== 'strait.kds.v1.Heartbeat') {
            responseBytes.push(toBinary(DeltaDiscoveryResponseSchema, message).byteLength);
          }
          return raw.write(message);
        },
      };
      sessions.push(
        startSenderSession(port, {
          store: options.store,
          registry,
          sync,
          log,
          events,
          flow: globalToZoneSendFlow({ registry, zone }),
          expectedNodeId: zone,
        }),
      );
    },
    zoneToGlobal(call: ServerDuplexStream<DeltaDiscoveryResponse, DeltaDiscoveryRequest>) {
      const port = serverStreamPort(call);
      const zone = admit(call, port);
      if (zone === undefined) return;
      sessions.push(
        startReceiverSession(port, {
          store: options.store,
          registry,
          sync,
          log,
          events,
          flow: zoneToGlobalReceiveFlow({ registry, zone }),
        }),
      );
    },
  };

  const server = new Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  server.addService(createServiceDefinition(KdsService), implementation);
  const port = await new Promise<number>((resolve, reject) => {
    const creds = options.credentials ?? ServerCredentials.createInsecure();
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, creds, (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  return Object.assign(result, {
    address: `127.0.0.1:${port}`,
    port,
    async close() {
      for (const session of sessions) session.close(status.UNAVAILABLE, 'test global closing');
      for (const call of held) call.destroy();
      await Promise.all(sessions.map((s) => s.done));
      server.forceShutdown();
    },
  });
}

/** Starts a KDS client for `zone` against `address` with fast timings; stop it with `stop()`. */
export async function startTestClient(
  options: {
    readonly store: ResourceStore;
    readonly zone: string;
    readonly address: string;
    readonly observer?: KdsClientObserver;
  } & Partial<KdsClientOptions>,
): Promise<KdsClient> {
  const client = createKdsClient({
    ...FAST_SYNC,
    registry: builtinRegistry,
    logger: silentLogger(),
    credentials: credentials.createInsecure(),
    token: `token-${options.zone}`,
    reconnectBackoffMs: 50,
    maxReconnectBackoffMs: 400,
    ...options,
  });
  await client.start();
  return client;
}
