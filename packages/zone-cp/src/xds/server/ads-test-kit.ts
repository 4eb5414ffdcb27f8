/**
 * Test support for the ADS server tests (not exported): a server on a free loopback port with a
 * recording observer, a grpc-js ADS client with a message queue, and deadline-bound waits.
 */

import { create } from '@bufbuild/protobuf';
import { type Client, type ClientDuplexStream, credentials, Metadata, ServerCredentials } from '@grpc/grpc-js';
import { AggregatedDiscoveryService, type Node, NodeSchema } from '@strait/proto/envoy';
import { createServiceClient, type GrpcServiceClient, silentLogger } from '@strait/shared';
import { createSnapshotCache, type SnapshotCache } from '../cache/index.js';
import type { AdsServer } from './ads-server.js';
import { createAdsServer } from './ads-server.js';
import type { AdsErrorDetail, AdsServerOptions, AdsStreamInfo } from './ads-server-options.js';

export const DEADLINE_MS = 5_000;

/** One observer callback, as recorded. */
export type ObservedEvent =
  | { readonly kind: 'open' | 'close'; readonly proxyId: string; readonly info: AdsStreamInfo }
  | { readonly kind: 'sent'; readonly proxyId: string; readonly typeUrl: string; readonly version: string }
  | { readonly kind: 'ack'; readonly proxyId: string; readonly typeUrl: string; readonly version: string }
  | {
      readonly kind: 'nack';
      readonly proxyId: string;
      readonly typeUrl: string;
      readonly version: string;
      readonly error: AdsErrorDetail;
    };

/**
 * Polls `check` until it returns a value other than undefined/false, or throws at the deadline
 * (with the last error `check` threw, if any).
 */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  deadlineMs = DEADLINE_MS,
): Promise<T> {
  const until = Date.now() + deadlineMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > until) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out waiting for ${what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A running server for tests: its cache, what its observer saw, and a client factory. */
export interface TestAds {
  readonly server: AdsServer;
  readonly cache: SnapshotCache;
  readonly events: ObservedEvent[];
  readonly address: string;
  client(): GrpcServiceClient<typeof AggregatedDiscoveryService>;
  stop(): Promise<void>;
}

/** Starts an ADS server on 127.0.0.1:0 whose `authenticate` maps node id → proxy id (ids starting with `bad` fail). */
export async function startTestAds(overrides: Partial<AdsServerOptions> = {}): Promise<TestAds> {
  const cache = overrides.cache ?? createSnapshotCache();
  const events: ObservedEvent[] = [];
  const server = createAdsServer({
    cache,
    logger: silentLogger(),
    host: '127.0.0.1',
    port: 0,
    credentials: ServerCredentials.createInsecure(),
    authenticate: async (node) => {
      if (node.id.startsWith('bad')) throw new Error(`unknown proxy ${node.id}`);
      return { proxyId: node.id };
    },
    observer: {
      onStreamOpen: (proxyId, info) => events.push({ kind: 'open', proxyId, info }),
      onStreamClose: (proxyId, info) => events.push({ kind: 'close', proxyId, info }),
      onResponseSent: (proxyId, typeUrl, version) => events.push({ kind: 'sent', proxyId, typeUrl, version }),
      onAck: (proxyId, typeUrl, version) => events.push({ kind: 'ack', proxyId, typeUrl, version }),
      onNack: (proxyId, typeUrl, error, version) => events.push({ kind: 'nack', proxyId, typeUrl, error, version }),
    },
    ...overrides,
  });
  await server.start();
  const address = `127.0.0.1:${server.address().port}`;
  const clients: Client[] = [];
  return {
    server,
    cache,
    events,
    address,
    client() {
      const c = createServiceClient(AggregatedDiscoveryService, address, credentials.createInsecure());
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.close();
      await server.stop();
    },
  };
}

/** A client stream with its responses queued for `next()`. */
export interface TestStream<Req, Res> {
  send(request: Req): void;
  /** The next response not yet taken; rejects at the deadline or when the stream fails. */
  next(): Promise<Res>;
  /** The error the stream ended with (a grpc status error), once it ends with one. */
  failure(): Promise<{ readonly code: number; readonly details: string }>;
  /** Responses received and not yet taken. */
  readonly pending: readonly Res[];
  cancel(): void;
}

/** Wraps a grpc-js client duplex stream for tests. */
export function testStream<Req, Res>(call: ClientDuplexStream<Req, Res>): TestStream<Req, Res> {
  const queue: Res[] = [];
  let waiter: ((res: Res) => void) | undefined;
  let error: { code: number; details: string } | undefined;
  const errorWaiters: ((e: { code: number; details: string }) => void)[] = [];
  call.on('data', (res: Res) => {
    if (waiter !== undefined) {
      const w = waiter;
      waiter = undefined;
      w(res);
    } else queue.push(res);
  });
  call.on('error', (err: { code: number; details: string }) => {
    error = err;
    for (const w of errorWaiters.splice(0)) w(err);
  });
  return {
    send: (request) => call.write(request),
    next() {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          reject(new Error('timed out waiting for a response'));
        }, DEADLINE_MS);
        waiter = (res) => {
          clearTimeout(timer);
          resolve(res);
        };
      });
    },
    failure() {
      if (error !== undefined) return Promise.resolve(error);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for the stream to fail')), DEADLINE_MS);
        errorWaiters.push((e) => {
          clearTimeout(timer);
          resolve(e);
        });
      });
    },
    get pending() {
      return queue;
    },
    cancel: () => call.cancel(),
  };
}

/** Metadata with a bearer token (for tests of `authenticate`). */
export function bearer(token: string): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

/** A node for requests. */
export function node(id: string): Node {
  return create(NodeSchema, { id, cluster: 'test' });
}
