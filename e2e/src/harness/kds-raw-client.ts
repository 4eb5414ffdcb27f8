/**
 * A raw KDS client for security tests: it dials a real global CP over TLS the way the zone
 * CP's KDS client does (`createServiceClient` of `@strait/shared` on the generated KdsService),
 * but sends exactly what a test tells it — any token (or none), any node id, hand-made
 * responses on ZoneToGlobal — and records what comes back and how the stream ended.
 */

import { readFileSync } from 'node:fs';
import { create } from '@bufbuild/protobuf';
import { credentials, Metadata } from '@grpc/grpc-js';
import {
  type DeltaDiscoveryRequest,
  DeltaDiscoveryRequestSchema,
  type DeltaDiscoveryResponse,
  DeltaDiscoveryResponseSchema,
  type Resource as KdsWireResource,
  ResourceSchema,
} from '@strait/proto/envoy';
import { KdsService } from '@strait/proto/kds';
import { createServiceClient, KDS_AUTHORIZATION_HEADER } from '@strait/shared';
import { waitFor } from './wait-for.js';

/** The part of a grpc-js duplex call this client uses. */
interface DuplexCall<Out, In> {
  write(message: Out): boolean;
  cancel(): void;
  on(event: 'data', listener: (message: In) => void): unknown;
  on(event: 'status', listener: (s: { code: number; details: string }) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/** gRPC status codes the tests look for. */
export const GrpcStatus = Object.freeze({
  OK: 0,
  INVALID_ARGUMENT: 3,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNAUTHENTICATED: 16,
});

/** How a stream ended. */
export interface StreamEnd {
  readonly code: number;
  readonly details: string;
}

/** One raw stream: what arrived, how it ended, and a way to write. */
export interface RawStream<Out, In> {
  readonly received: In[];
  /** Resolves once the stream ended (for any reason). */
  readonly ended: Promise<StreamEnd>;
  send(message: Out): void;
  cancel(): void;
}

/** A raw KDS client bound to one global CP. */
export interface RawKdsClient {
  /** Opens GlobalToZone with `token` (none when undefined) and subscribes to Mesh as `nodeId`. */
  globalToZone(token: string | undefined, nodeId: string): RawStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>;
  /** Opens ZoneToGlobal with `token`; the global's subscriptions and ACK/NACKs arrive in `received`. */
  zoneToGlobal(token: string | undefined): RawStream<DeltaDiscoveryResponse, DeltaDiscoveryRequest>;
  close(): void;
}

/** Dials `address` (`host:port`), verifying the global's certificate against `caFile`. */
export function dialKds(address: string, caFile: string): RawKdsClient {
  const client = createServiceClient(KdsService, address, credentials.createSsl(readFileSync(caFile)), {
    'grpc.enable_channelz': 0,
    // Large enough for the oversized-message tests: the global, not this client, must refuse them.
    'grpc.max_send_message_length': 64 * 1024 * 1024,
  });
  const metadata = (token: string | undefined): Metadata => {
    const md = new Metadata();
    if (token !== undefined) md.set(KDS_AUTHORIZATION_HEADER, `Bearer ${token}`);
    return md;
  };
  return {
    globalToZone(token, nodeId) {
      const stream = wrap<DeltaDiscoveryRequest, DeltaDiscoveryResponse>(client.globalToZone(metadata(token)));
      stream.send(kdsRequest({ typeUrl: 'Mesh', node: { id: nodeId } }));
      return stream;
    },
    zoneToGlobal: (token) => wrap<DeltaDiscoveryResponse, DeltaDiscoveryRequest>(client.zoneToGlobal(metadata(token))),
    close: () => client.close(),
  };
}

function wrap<Out, In>(call: unknown): RawStream<Out, In> {
  const stream = call as DuplexCall<Out, In>;
  const received: In[] = [];
  stream.on('data', (message) => void received.push(message));
  stream.on('error', () => {}); // every end is reported by 'status'
  const ended = new Promise<StreamEnd>((resolve) => stream.on('status', (s) => resolve(s)));
  return {
    received,
    ended,
    send: (message) => void stream.write(message),
    cancel: () => stream.cancel(),
  };
}

/** A DeltaDiscoveryRequest. */
export function kdsRequest(init: {
  typeUrl: string;
  node?: { id: string };
  responseNonce?: string;
}): DeltaDiscoveryRequest {
  return create(DeltaDiscoveryRequestSchema, init) as DeltaDiscoveryRequest;
}

/** A DeltaDiscoveryResponse (what a zone sends on ZoneToGlobal). */
export function kdsResponse(init: {
  typeUrl: string;
  nonce: string;
  resources?: KdsWireResource[];
  removedResources?: string[];
}): DeltaDiscoveryResponse {
  return create(DeltaDiscoveryResponseSchema, init) as DeltaDiscoveryResponse;
}

/** A delta `Resource` with an arbitrary `Any` (for malformed-message tests). */
export function rawResource(name: string, typeUrl: string, value: Uint8Array): KdsWireResource {
  return create(ResourceSchema, { name, version: 'v1', resource: { typeUrl, value } }) as KdsWireResource;
}

/**
 * Sends `response` on a ZoneToGlobal stream and resolves with the global's answer to its
 * nonce: `ACK`, or the NACK's error text.
 */
export async function answerTo(
  stream: RawStream<DeltaDiscoveryResponse, DeltaDiscoveryRequest>,
  response: DeltaDiscoveryResponse,
  timeoutMs = 15_000,
): Promise<string> {
  stream.send(response);
  const answer = await waitFor(() => stream.received.find((r) => r.responseNonce === response.nonce), {
    timeoutMs,
    what: `the global's answer to nonce ${response.nonce}`,
  });
  return answer.errorDetail?.message ?? 'ACK';
}
