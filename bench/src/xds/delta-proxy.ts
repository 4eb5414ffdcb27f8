/**
 * A simulated Envoy on one delta ADS stream: it subscribes to CDS and LDS (wildcard), follows
 * every cluster to its EDS resource and SDS secrets as Envoy does, ACKs every response (keeping
 * the nonce and version it ACKed), and, like Envoy, reopens a failed stream after a jittered
 * exponential backoff, telling the CP what it already holds (`initial_resource_versions`).
 * It never decodes more than clusters: a fake proxy must cost the client far less than the CP.
 */

import { create, type MessageInitShape } from '@bufbuild/protobuf';
import type { ClientDuplexStream, Metadata } from '@grpc/grpc-js';
import {
  type AggregatedDiscoveryService,
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  type DeltaDiscoveryRequest,
  DeltaDiscoveryRequestSchema,
  type DeltaDiscoveryResponse,
  LISTENER_TYPE_URL,
  SECRET_TYPE_URL,
} from '@strait/proto/envoy';
import type { GrpcServiceClient } from '@strait/shared';
import { clusterDependencies } from './cluster-dependencies.js';

/** A grpc-js ADS client (one channel); many proxies share one. */
export type AdsClient = GrpcServiceClient<typeof AggregatedDiscoveryService>;

/** One ACK as the proxy sent it. */
export interface AckRecord {
  readonly typeUrl: string;
  readonly nonce: string;
  /** The response's `system_version_info`. */
  readonly version: string;
  /** `performance.now()` when the ACK was written. */
  readonly atMs: number;
}

/** What the proxy knows and did for one xDS type. */
export interface TypeProgress {
  /** Resource name → version, as last received. */
  readonly known: Map<string, string>;
  responses: number;
  acks: number;
  firstAckAtMs: number | undefined;
  lastAck: AckRecord | undefined;
}

/** How a stream ended (gRPC status). */
export interface StreamFailure {
  readonly code: number;
  readonly details: string;
}

/** Hooks into every proxy of a fleet; called synchronously, keep them cheap. */
export interface DeltaProxyObserver {
  /** A response arrived (it is ACKed right after this returns). */
  response?(proxy: DeltaProxy, response: DeltaDiscoveryResponse, atMs: number): void;
  ack?(proxy: DeltaProxy, ack: AckRecord): void;
  /** The stream ended unasked; the proxy retries after a backoff. */
  failure?(proxy: DeltaProxy, failure: StreamFailure): void;
}

/** Options of {@link createDeltaProxy}. */
export interface DeltaProxyOptions {
  /** Envoy's node id (`<mesh>.<dataplane name>` for a Strait dataplane). */
  readonly nodeId: string;
  /** `node.cluster` (Envoy's `--service-cluster`). */
  readonly cluster: string;
  readonly client: AdsClient;
  /** Call metadata of each stream (the dataplane token). */
  readonly metadata: () => Metadata;
  readonly observer?: DeltaProxyObserver;
  /** First retry backoff ceiling; default 500 ms (Envoy's). */
  readonly retryBaseMs?: number;
  /** Largest retry backoff; default 30 s (Envoy's). */
  readonly retryMaxMs?: number;
}

/** A simulated proxy. */
export interface DeltaProxy {
  readonly nodeId: string;
  /** `performance.now()` of the first stream open, once opened. */
  readonly startedAtMs: number | undefined;
  /** Streams opened so far (1 + retries). */
  readonly attempts: number;
  /** Streams that ended unasked, by gRPC status code. */
  readonly failuresByCode: ReadonlyMap<number, number>;
  readonly lastFailure: StreamFailure | undefined;
  /** Progress of one type; undefined until a response of that type arrived. */
  progress(typeUrl: string): TypeProgress | undefined;
  /** Opens the stream (once; later opens are the proxy's own retries). */
  start(): void;
  /** Cancels the stream and any pending retry. */
  close(): void;
}

type RequestInit = MessageInitShape<typeof DeltaDiscoveryRequestSchema>;

/** Creates a proxy; nothing happens until `start()`. */
export function createDeltaProxy(options: DeltaProxyOptions): DeltaProxy {
  const retryBaseMs = options.retryBaseMs ?? 500;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const types = new Map<string, TypeProgress>();
  const edsNames = new Set<string>();
  const secretNames = new Set<string>();
  const edsOfCluster = new Map<string, string>();
  const failuresByCode = new Map<number, number>();
  let call: ClientDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let attempts = 0;
  let backoffStep = 0;
  let startedAtMs: number | undefined;
  let lastFailure: StreamFailure | undefined;

  const progressOf = (typeUrl: string): TypeProgress => {
    let p = types.get(typeUrl);
    if (p === undefined) {
      p = { known: new Map(), responses: 0, acks: 0, firstAckAtMs: undefined, lastAck: undefined };
      types.set(typeUrl, p);
    }
    return p;
  };

  const send = (init: RequestInit): void => {
    call?.write(create(DeltaDiscoveryRequestSchema, init));
  };

  const initialVersions = (typeUrl: string): Record<string, string> =>
    Object.fromEntries(types.get(typeUrl)?.known ?? []);

  function open(): void {
    attempts += 1;
    startedAtMs ??= performance.now();
    const stream = options.client.deltaAggregatedResources(options.metadata());
    call = stream;
    stream.on('data', (response: DeltaDiscoveryResponse) => {
      if (call === stream && !closed) onResponse(response);
    });
    // Every end is reported by 'status'; an 'error' listener only keeps grpc-js from throwing.
    stream.on('error', () => {});
    stream.on('status', (s: { code: number; details: string }) => {
      if (call === stream) onEnded({ code: s.code, details: s.details });
    });
    // The node goes on the first request of every stream (Envoy's default for delta).
    send({
      node: { id: options.nodeId, cluster: options.cluster, userAgentName: 'strait-bench' },
      typeUrl: CLUSTER_TYPE_URL,
      initialResourceVersions: initialVersions(CLUSTER_TYPE_URL),
    });
    send({ typeUrl: LISTENER_TYPE_URL, initialResourceVersions: initialVersions(LISTENER_TYPE_URL) });
    if (edsNames.size > 0) {
      send({
        typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
        resourceNamesSubscribe: [...edsNames],
        initialResourceVersions: initialVersions(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL),
      });
    }
    if (secretNames.size > 0) {
      send({
        typeUrl: SECRET_TYPE_URL,
        resourceNamesSubscribe: [...secretNames],
        initialResourceVersions: initialVersions(SECRET_TYPE_URL),
      });
    }
  }

  /** New clusters: subscribe to their endpoints and secrets; removed ones: drop their endpoints. */
  function followClusters(response: DeltaDiscoveryResponse): void {
    const subscribeEds: string[] = [];
    const subscribeSecrets: string[] = [];
    for (const resource of response.resources) {
      if (resource.resource === undefined) continue;
      const deps = clusterDependencies(resource.resource);
      if (deps.eds !== undefined) {
        edsOfCluster.set(resource.name, deps.eds);
        if (!edsNames.has(deps.eds)) {
          edsNames.add(deps.eds);
          subscribeEds.push(deps.eds);
        }
      }
      for (const name of deps.secrets) {
        if (secretNames.has(name)) continue;
        secretNames.add(name);
        subscribeSecrets.push(name);
      }
    }
    const unsubscribeEds: string[] = [];
    for (const name of response.removedResources) {
      const eds = edsOfCluster.get(name);
      edsOfCluster.delete(name);
      if (eds !== undefined && edsNames.delete(eds)) unsubscribeEds.push(eds);
    }
    if (subscribeEds.length > 0 || unsubscribeEds.length > 0) {
      send({
        typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
        resourceNamesSubscribe: subscribeEds,
        resourceNamesUnsubscribe: unsubscribeEds,
      });
    }
    if (subscribeSecrets.length > 0) send({ typeUrl: SECRET_TYPE_URL, resourceNamesSubscribe: subscribeSecrets });
  }

  function onResponse(response: DeltaDiscoveryResponse): void {
    const atMs = performance.now();
    backoffStep = 0;
    const progress = progressOf(response.typeUrl);
    progress.responses += 1;
    for (const resource of response.resources) progress.known.set(resource.name, resource.version);
    for (const name of response.removedResources) progress.known.delete(name);
    options.observer?.response?.(proxy, response, atMs);
    if (response.typeUrl === CLUSTER_TYPE_URL) followClusters(response);
    send({ typeUrl: response.typeUrl, responseNonce: response.nonce });
    const ack: AckRecord = {
      typeUrl: response.typeUrl,
      nonce: response.nonce,
      version: response.systemVersionInfo,
      atMs: performance.now(),
    };
    progress.acks += 1;
    progress.firstAckAtMs ??= ack.atMs;
    progress.lastAck = ack;
    options.observer?.ack?.(proxy, ack);
  }

  function onEnded(failure: StreamFailure): void {
    call = undefined;
    if (closed) return;
    lastFailure = failure;
    failuresByCode.set(failure.code, (failuresByCode.get(failure.code) ?? 0) + 1);
    options.observer?.failure?.(proxy, failure);
    // Full jitter over an exponentially growing ceiling, as Envoy's JitteredExponentialBackOffStrategy.
    const ceilingMs = Math.min(retryMaxMs, retryBaseMs * 2 ** backoffStep);
    backoffStep += 1;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (!closed) open();
    }, Math.random() * ceilingMs);
  }

  const proxy: DeltaProxy = {
    nodeId: options.nodeId,
    get startedAtMs() {
      return startedAtMs;
    },
    get attempts() {
      return attempts;
    },
    failuresByCode,
    get lastFailure() {
      return lastFailure;
    },
    progress: (typeUrl) => types.get(typeUrl),
    start() {
      if (attempts === 0 && !closed) open();
    },
    close() {
      closed = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      retryTimer = undefined;
      const stream = call;
      call = undefined;
      stream?.cancel();
    },
  };
  return proxy;
}
