/**
 * The zone's stream port on a gzip channel compresses bulk only: a raw HTTP/2 server stands in
 * for the global and reads each gRPC frame's compressed flag off the wire.
 */
import assert from 'node:assert/strict';
import { createServer, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import { compressionAlgorithms, credentials, Metadata } from '@grpc/grpc-js';
import {
  type DeltaDiscoveryRequest,
  DeltaDiscoveryRequestSchema,
  type DeltaDiscoveryResponse,
  DeltaDiscoveryResponseSchema,
} from '@strait/proto/envoy';
import { KdsService } from '@strait/proto/kds';
import { createServiceClient } from '../grpc/index.js';
import { clientStreamPort, kdsMessageWorthCompressing } from './kds-stream-port.js';

/** One gRPC message as it crossed the wire: its compressed flag and length. */
interface Frame {
  readonly compressed: boolean;
  readonly length: number;
}

describe('clientStreamPort compression', () => {
  let server: Http2Server;
  let address: string;
  const frames: Frame[] = [];
  const frameWaiters: Array<() => void> = [];

  before(async () => {
    server = createServer();
    server.on('stream', (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      let pending = Buffer.alloc(0);
      stream.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 5) {
          const length = pending.readUInt32BE(1);
          if (pending.length < 5 + length) break;
          frames.push({ compressed: pending.readUInt8(0) === 1, length });
          pending = pending.subarray(5 + length);
          for (const w of frameWaiters.splice(0)) w();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function framesUntil(count: number): Promise<Frame[]> {
    const deadline = Date.now() + 10_000;
    while (frames.length < count) {
      assert.ok(Date.now() < deadline, `expected ${count} frames, got ${frames.length}`);
      await new Promise<void>((resolve) => {
        frameWaiters.push(resolve);
        setTimeout(resolve, 200).unref();
      });
    }
    return frames.slice(0, count);
  }

  it('gzips responses carrying resources and sends ACKs and heartbeats uncompressed', async () => {
    const client = createServiceClient(KdsService, address, credentials.createInsecure(), {
      'grpc.default_compression_algorithm': compressionAlgorithms.gzip,
    });
    const port = clientStreamPort<DeltaDiscoveryRequest, DeltaDiscoveryResponse>(
      client.zoneToGlobal(new Metadata()),
      100,
      kdsMessageWorthCompressing,
    );
    try {
      const ack = create(DeltaDiscoveryResponseSchema, { typeUrl: 'Dataplane', nonce: '1' });
      const bulk = create(DeltaDiscoveryResponseSchema, {
        typeUrl: 'Dataplane',
        nonce: '2',
        resources: Array.from({ length: 50 }, (_, i) => ({
          name: `web-${i}`,
          version: 'v1',
          resource: { typeUrl: 'type.googleapis.com/x', value: new Uint8Array(200).fill(7) },
        })),
      });
      port.write(ack);
      port.write(bulk);
      const [first, second] = await framesUntil(2);
      assert.equal(first?.compressed, false, 'an empty response goes uncompressed');
      assert.equal(second?.compressed, true, 'a response with resources is gzipped');
      assert.ok((second?.length ?? 0) < 50 * 200, `gzip shrank 10 KB of repetitive bytes to ${second?.length}`);
    } finally {
      port.close();
      client.close();
    }
  });

  it('says which messages are bulk', () => {
    const request = (init: {
      typeUrl: string;
      responseNonce?: string;
      initialResourceVersions?: Record<string, string>;
    }) => create(DeltaDiscoveryRequestSchema, init);
    assert.equal(kdsMessageWorthCompressing(request({ typeUrl: 'Mesh', responseNonce: '3' })), false);
    assert.equal(kdsMessageWorthCompressing(request({ typeUrl: 'Mesh', initialResourceVersions: { a: '1' } })), true);
    assert.equal(kdsMessageWorthCompressing(create(DeltaDiscoveryResponseSchema, { removedResources: ['a'] })), false);
  });
});
