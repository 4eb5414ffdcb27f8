import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { create, type MessageShape } from '@bufbuild/protobuf';
import { anyPack, anyUnpack } from '@bufbuild/protobuf/wkt';
import { credentials, Metadata, Server, ServerCredentials, status } from '@grpc/grpc-js';
import {
  AggregatedDiscoveryService,
  CLUSTER_TYPE_URL,
  Cluster_DiscoveryType,
  ClusterSchema,
  DeltaDiscoveryRequestSchema,
  DeltaDiscoveryResponseSchema,
  DiscoveryRequestSchema,
  DiscoveryResponseSchema,
  envoyRegistry,
} from '@strait/proto/envoy';
import { KDS_RESOURCE_TYPE_URL, KdsResourceSchema, KdsService, kdsRegistry } from '@strait/proto/kds';
import { createServiceClient, type GrpcServiceClient } from './service-client.js';
import { createServiceDefinition, type GrpcServiceImplementation } from './service-definition.js';

const DEADLINE_MS = 5_000;

/** The next message of a stream, or a rejection once the deadline passes. */
async function next<T>(stream: NodeJS.EventEmitter): Promise<T> {
  const [message] = await once(stream, 'data', { signal: AbortSignal.timeout(DEADLINE_MS) });
  return message as T;
}

function startServer(register: (server: Server) => void): Promise<{ server: Server; address: string }> {
  const server = new Server();
  register(server);
  return new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, port) => {
      if (err) reject(err);
      else resolve({ server, address: `127.0.0.1:${port}` });
    });
  });
}

describe('createServiceDefinition', () => {
  it('maps paths, names and streaming flags from the descriptor', () => {
    const ads = createServiceDefinition(AggregatedDiscoveryService);
    assert.deepEqual(Object.keys(ads).sort(), ['deltaAggregatedResources', 'streamAggregatedResources']);
    assert.equal(
      ads.streamAggregatedResources.path,
      '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources',
    );
    assert.equal(ads.streamAggregatedResources.originalName, 'StreamAggregatedResources');
    assert.equal(ads.streamAggregatedResources.requestStream, true);
    assert.equal(ads.streamAggregatedResources.responseStream, true);

    const kds = createServiceDefinition(KdsService);
    assert.equal(kds.globalToZone.path, '/strait.kds.v1.KdsService/GlobalToZone');
    assert.equal(kds.zoneToGlobal.path, '/strait.kds.v1.KdsService/ZoneToGlobal');
  });

  it('serializes to a Buffer and deserializes bytes fields as plain Uint8Array', () => {
    const { deltaAggregatedResources: method } = createServiceDefinition(AggregatedDiscoveryService);
    const response = create(DeltaDiscoveryResponseSchema, {
      nonce: 'n',
      resources: [{ name: 'r', resource: { typeUrl: 'type.googleapis.com/x', value: new Uint8Array([1, 2, 3]) } }],
    });
    const wire = method.responseSerialize(response);
    assert.ok(Buffer.isBuffer(wire));
    const decoded = method.responseDeserialize(wire);
    assert.equal(Object.getPrototypeOf(decoded.resources[0]?.resource?.value), Uint8Array.prototype);
    assert.deepEqual(decoded.resources[0]?.resource?.value, new Uint8Array([1, 2, 3]));
  });
});

describe('grpc-js server and client over protobuf-es messages', () => {
  let server: Server;
  let ads: GrpcServiceClient<typeof AggregatedDiscoveryService>;
  let kds: GrpcServiceClient<typeof KdsService>;
  const acks: MessageShape<typeof DiscoveryRequestSchema>[] = [];
  const kdsAuthorization: unknown[] = [];

  before(async () => {
    // ADS: answer every CDS request that is not an ACK with one cluster; record the ACKs.
    const adsImpl: Partial<GrpcServiceImplementation<typeof AggregatedDiscoveryService>> = {
      streamAggregatedResources(call) {
        call.on('data', (request: MessageShape<typeof DiscoveryRequestSchema>) => {
          if (request.responseNonce !== '') {
            acks.push(request);
            return;
          }
          const cluster = create(ClusterSchema, {
            name: `backend-of-${request.node?.id ?? ''}`,
            clusterDiscoveryType: { case: 'type', value: Cluster_DiscoveryType.EDS },
            connectTimeout: { seconds: 5n, nanos: 0 },
          });
          call.write(
            create(DiscoveryResponseSchema, {
              versionInfo: 'v1',
              typeUrl: request.typeUrl,
              nonce: 'nonce-1',
              resources: [anyPack(ClusterSchema, cluster)],
            }),
          );
        });
        call.on('end', () => call.end());
      },
      // deltaAggregatedResources left out on purpose: grpc-js answers UNIMPLEMENTED.
    };

    // KDS: global→zone sends one Mesh; zone→global asks for Dataplanes and echoes what it got.
    const kdsImpl: GrpcServiceImplementation<typeof KdsService> = {
      globalToZone(call) {
        kdsAuthorization.push(...call.metadata.get('authorization'));
        call.on('data', (request: MessageShape<typeof DeltaDiscoveryRequestSchema>) => {
          if (request.responseNonce !== '') return;
          const mesh = create(KdsResourceSchema, {
            meta: { type: 'Mesh', name: 'default', labels: { 'kuma.io/origin': 'global' }, version: '3' },
            spec: new TextEncoder().encode(JSON.stringify({ mtls: { enabledBackend: 'ca-1' } })),
          });
          call.write(
            create(DeltaDiscoveryResponseSchema, {
              typeUrl: request.typeUrl,
              nonce: `to-${request.node?.id ?? ''}`,
              resources: [{ name: 'default', version: 'h1', resource: anyPack(KdsResourceSchema, mesh) }],
            }),
          );
        });
        call.on('end', () => call.end());
      },
      zoneToGlobal(call) {
        call.write(
          create(DeltaDiscoveryRequestSchema, {
            typeUrl: 'Dataplane',
            initialResourceVersions: { 'default/dp-1': 'h0' },
          }),
        );
        call.on('data', (response: MessageShape<typeof DeltaDiscoveryResponseSchema>) => {
          call.write(create(DeltaDiscoveryRequestSchema, { typeUrl: response.typeUrl, responseNonce: response.nonce }));
        });
        call.on('end', () => call.end());
      },
    };

    const started = await startServer((s) => {
      s.addService(createServiceDefinition(AggregatedDiscoveryService), adsImpl);
      s.addService(createServiceDefinition(KdsService), kdsImpl);
    });
    server = started.server;
    ads = createServiceClient(AggregatedDiscoveryService, started.address, credentials.createInsecure());
    kds = createServiceClient(KdsService, started.address, credentials.createInsecure());
  });

  after(() => {
    ads?.close();
    kds?.close();
    server?.forceShutdown();
  });

  it('round-trips a DiscoveryRequest/Response with an Any-packed Cluster on a bidi stream', async () => {
    const stream = ads.streamAggregatedResources();
    stream.write(create(DiscoveryRequestSchema, { node: { id: 'dp-1' }, typeUrl: CLUSTER_TYPE_URL }));

    const response = await next<MessageShape<typeof DiscoveryResponseSchema>>(stream);
    assert.equal(response.$typeName, 'envoy.service.discovery.v3.DiscoveryResponse');
    assert.equal(response.typeUrl, CLUSTER_TYPE_URL);
    assert.equal(response.nonce, 'nonce-1');
    assert.equal(response.resources.length, 1);
    const [packed] = response.resources;
    assert.equal(packed?.typeUrl, 'type.googleapis.com/envoy.config.cluster.v3.Cluster');
    assert.ok(packed);

    const cluster = anyUnpack(packed, ClusterSchema);
    assert.ok(cluster);
    assert.equal(cluster.name, 'backend-of-dp-1');
    assert.deepEqual(cluster.clusterDiscoveryType, { case: 'type', value: Cluster_DiscoveryType.EDS });
    assert.equal(cluster.connectTimeout?.seconds, 5n);
    // The registry resolves the same Any without naming the schema.
    assert.equal(anyUnpack(packed, envoyRegistry)?.$typeName, 'envoy.config.cluster.v3.Cluster');

    stream.write(
      create(DiscoveryRequestSchema, {
        node: { id: 'dp-1' },
        typeUrl: CLUSTER_TYPE_URL,
        versionInfo: response.versionInfo,
        responseNonce: response.nonce,
      }),
    );
    stream.end();
    await once(stream, 'status', { signal: AbortSignal.timeout(DEADLINE_MS) });
    assert.deepEqual(
      acks.map((a) => [a.responseNonce, a.versionInfo]),
      [['nonce-1', 'v1']],
    );
  });

  it('answers UNIMPLEMENTED for a method the implementation leaves out', async () => {
    const stream = ads.deltaAggregatedResources();
    const [err] = await once(stream, 'error', { signal: AbortSignal.timeout(DEADLINE_MS) });
    assert.equal((err as { code: number }).code, status.UNIMPLEMENTED);
  });

  it('carries KDS resources global→zone on a zone-opened stream', async () => {
    const metadata = new Metadata();
    metadata.set('authorization', 'Bearer zone-token');
    const stream = kds.globalToZone(metadata);
    stream.write(create(DeltaDiscoveryRequestSchema, { node: { id: 'zone-1' }, typeUrl: 'Mesh' }));

    const response = await next<MessageShape<typeof DeltaDiscoveryResponseSchema>>(stream);
    assert.deepEqual(kdsAuthorization, ['Bearer zone-token']);
    assert.equal(response.typeUrl, 'Mesh');
    assert.equal(response.nonce, 'to-zone-1');
    const [resource] = response.resources;
    assert.equal(resource?.name, 'default');
    assert.equal(resource?.version, 'h1');
    assert.equal(resource?.resource?.typeUrl, KDS_RESOURCE_TYPE_URL);
    assert.ok(resource?.resource);

    const unpacked = anyUnpack(resource.resource, kdsRegistry);
    assert.ok(unpacked);
    assert.equal(unpacked.$typeName, 'strait.kds.v1.KdsResource');
    const mesh = anyUnpack(resource.resource, KdsResourceSchema);
    assert.ok(mesh);
    assert.deepEqual(
      { type: mesh.meta?.type, name: mesh.meta?.name, labels: mesh.meta?.labels, version: mesh.meta?.version },
      { type: 'Mesh', name: 'default', labels: { 'kuma.io/origin': 'global' }, version: '3' },
    );
    assert.deepEqual(JSON.parse(new TextDecoder().decode(mesh.spec)), { mtls: { enabledBackend: 'ca-1' } });
    assert.equal(mesh.status.length, 0);

    stream.end();
    await once(stream, 'status', { signal: AbortSignal.timeout(DEADLINE_MS) });
  });

  it('reverses the roles zone→global: the global requests on a stream the zone opened', async () => {
    const stream = kds.zoneToGlobal();
    const request = await next<MessageShape<typeof DeltaDiscoveryRequestSchema>>(stream);
    assert.equal(request.typeUrl, 'Dataplane');
    assert.deepEqual(request.initialResourceVersions, { 'default/dp-1': 'h0' });

    stream.write(
      create(DeltaDiscoveryResponseSchema, { typeUrl: 'Dataplane', nonce: 'up-1', removedResources: ['default/dp-1'] }),
    );
    const ack = await next<MessageShape<typeof DeltaDiscoveryRequestSchema>>(stream);
    assert.equal(ack.responseNonce, 'up-1');
    assert.equal(ack.errorDetail, undefined);

    stream.end();
    await once(stream, 'status', { signal: AbortSignal.timeout(DEADLINE_MS) });
  });
});
