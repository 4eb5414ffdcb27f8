import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ServerCredentials, status } from '@grpc/grpc-js';
import {
  DeltaDiscoveryRequestSchema,
  type DeltaDiscoveryResponse,
  DeltaDiscoveryResponseSchema,
  ResourceSchema,
} from '@strait/proto/envoy';
import { KDS_RESOURCE_TYPE_URL, KdsResourceSchema } from '@strait/proto/kds';
import {
  builtinRegistry,
  createMemoryStore,
  createTokenIssuer,
  encodeKdsResource,
  isStraitError,
  KDS_HEARTBEAT_TYPE_URL,
  kdsHashedName,
  type MappedResource,
  type ProxyTokenClaims,
  silentLogger,
} from '@strait/shared';
import { createKdsServer } from './kds-server.js';
import type { KdsZoneConnectionInfo } from './kds-server-options.js';
import {
  capturingLogger,
  collect,
  connectTestZone,
  dataplaneInput,
  kdsClient,
  startTestServer,
  waitFor,
  zoneMetadata,
} from './kds-test-kit.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(options: Parameters<typeof startTestServer>[0] = {}) {
  const started = await startTestServer(options);
  cleanups.push(() => started.server.stop());
  return started;
}

function rawClient(address: string) {
  const client = kdsClient(address);
  cleanups.push(() => client.close());
  return client;
}

/** A Dataplane as zone-1 would send it: labels and hash-suffixed name, with overrides. */
function zoneDataplane(overrides: Partial<MappedResource> = {}): MappedResource {
  const input = dataplaneInput('default', 'dp-1');
  return {
    type: 'Dataplane',
    mesh: 'default',
    name: kdsHashedName('default', 'dp-1', 'zone-1'),
    labels: { 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-1', 'kuma.io/display-name': 'dp-1' },
    spec: input.spec,
    creationTime: '2024-01-01T00:00:00.000Z',
    modificationTime: '2024-01-01T00:00:00.000Z',
    storeVersion: 1,
    ...overrides,
  };
}

describe('KDS server', () => {
  it('syncs a zone’s resources up (labels, hashed name, Zone owner) and policies down, reporting the zone', async () => {
    const connected: [string, KdsZoneConnectionInfo][] = [];
    const disconnected: string[] = [];
    const heartbeats: string[] = [];
    const applied: string[] = [];
    const { store, address } = await server({
      zones: ['zone-1'],
      observer: {
        onZoneConnected: (zone, info) => void connected.push([zone, info]),
        onZoneDisconnected: (zone) => void disconnected.push(zone),
        onHeartbeat: (zone) => void heartbeats.push(zone),
        onApplied: (zone, type) => void applied.push(`${zone}/${type}`),
      },
    });
    await store.create({
      type: 'MeshTimeout',
      mesh: 'default',
      name: 'timeouts',
      spec: {
        targetRef: { kind: 'Mesh' },
        to: [{ targetRef: { kind: 'Mesh' }, default: { connectionTimeout: '2s' } }],
      },
    });
    const zoneStore = createMemoryStore();
    await zoneStore.create({ type: 'Mesh', name: 'default', spec: {} });
    await zoneStore.create(dataplaneInput('default', 'dp-1'));
    const zone = connectTestZone(address, 'zone-1', zoneStore);

    const name = kdsHashedName('default', 'dp-1', 'zone-1');
    const dp = await waitFor('the dataplane on the global', () =>
      store.get({ type: 'Dataplane', mesh: 'default', name }),
    );
    assert.deepEqual(dp.meta.owner, { type: 'Zone', name: 'zone-1' });
    assert.equal(dp.meta.labels['kuma.io/zone'], 'zone-1');
    await waitFor('the policy in the zone', () =>
      zoneStore.get({ type: 'MeshTimeout', mesh: 'default', name: kdsHashedName('default', 'timeouts') }),
    );
    await waitFor('a heartbeat', () => heartbeats.length > 0);
    assert.equal(connected.length, 1);
    assert.equal(connected[0]?.[0], 'zone-1');
    assert.equal(connected[0]?.[1].instance, 'zone-1-cp-1');
    assert.equal(connected[0]?.[1].version, '1.2.3');
    assert.ok(applied.includes('zone-1/Dataplane'));

    await zone.close();
    await waitFor('the disconnect', () => disconnected.length === 1);
    assert.deepEqual(disconnected, ['zone-1']);
    // What the zone synced stays on the global after it disconnects (it is shown offline instead).
    assert.ok(await store.get({ type: 'Dataplane', mesh: 'default', name }));
  });

  it('closes a stream with UNAUTHENTICATED when the token is refused, and logs it', async () => {
    const { logger, captured } = capturingLogger();
    const { address } = await server({ zones: ['zone-1'], logger });
    const call = rawClient(address).globalToZone(zoneMetadata('zone-1', 'forged'));
    const { status: ended } = collect(call);
    call.write(create(DeltaDiscoveryRequestSchema, { typeUrl: 'Mesh', node: { id: 'zone-1' } }));
    const end = await ended;
    assert.equal(end.code, status.UNAUTHENTICATED);
    assert.match(end.details, /invalid zone token/);
    const line = captured.lines.find((l) => l.msg === 'KDS stream authentication failed');
    assert.ok(line, 'the refusal is logged');
    assert.equal(line.stream, 'global-to-zone');
  });

  it('NACKs malformed or forged zone resources with a reason and writes nothing', async () => {
    const refused: string[] = [];
    const { store, address } = await server({
      zones: ['zone-1', 'zone-2'],
      maxMessageBytes: 4_096,
      maxConsecutiveNacks: 100,
      observer: { onRefused: (_zone, type, message) => void refused.push(`${type}: ${message}`) },
    });
    const call = rawClient(address).zoneToGlobal(zoneMetadata('zone-1'));
    const { messages } = collect(call);
    await waitFor('the global’s subscriptions', () => messages.some((m) => m.typeUrl === 'Dataplane'));

    let nonce = 0;
    const send = async (response: Omit<Partial<DeltaDiscoveryResponse>, '$typeName'>): Promise<string> => {
      nonce += 1;
      const n = `n${nonce}`;
      call.write(create(DeltaDiscoveryResponseSchema, { typeUrl: 'Dataplane', ...response, nonce: n }));
      const answer = await waitFor(`the answer to ${n}`, () => messages.find((m) => m.responseNonce === n));
      return answer.errorDetail?.message ?? 'ACK';
    };
    const otherZone = zoneDataplane({
      name: kdsHashedName('default', 'dp-1', 'zone-2'),
      labels: { 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-2', 'kuma.io/display-name': 'dp-1' },
    });
    const badAny = create(ResourceSchema, {
      name: `default/${zoneDataplane().name}`,
      version: 'v1',
      resource: { typeUrl: 'type.googleapis.com/google.protobuf.Empty', value: new Uint8Array() },
    });
    const wellFormed = encodeKdsResource(zoneDataplane()).message;
    const envelope = fromBinary(KdsResourceSchema, wellFormed.resource?.value ?? new Uint8Array());
    envelope.spec = new TextEncoder().encode('{"networking": {');
    const badJson = create(ResourceSchema, {
      name: wellFormed.name,
      version: 'v1',
      resource: { typeUrl: KDS_RESOURCE_TYPE_URL, value: toBinary(KdsResourceSchema, envelope) },
    });
    const garbled = create(ResourceSchema, {
      name: wellFormed.name,
      version: 'v1',
      resource: { typeUrl: KDS_RESOURCE_TYPE_URL, value: new Uint8Array([0x0a, 0xff, 0xff, 0xff]) },
    });

    assert.match(await send({ resources: [badAny] }), /not type\.googleapis\.com\/strait\.kds\.v1\.KdsResource/);
    assert.match(await send({ typeUrl: 'Bogus' }), /unknown resource type "Bogus"/);
    assert.match(await send({ typeUrl: 'Mesh' }), /type Mesh does not flow zone-to-global/);
    assert.match(await send({ resources: [garbled] }), /resource does not decode/);
    assert.match(await send({ resources: [badJson] }), /spec is not UTF-8 JSON/);
    assert.match(
      await send({ resources: [encodeKdsResource(zoneDataplane({ spec: { networking: {} } })).message] }),
      /networking\.address/,
    );
    assert.match(
      await send({ resources: [encodeKdsResource(otherZone).message] }),
      /claims kuma\.io\/zone: zone-2, but the stream is authenticated as zone zone-1/,
    );
    assert.match(
      await send({ resources: [encodeKdsResource(zoneDataplane({ name: 'dp-1-hijacked' })).message] }),
      /name must be dp-1-/,
    );
    const big = zoneDataplane({
      spec: {
        networking: { address: '10.0.0.1', inbound: [{ port: 8080, tags: { 'kuma.io/service': 'x'.repeat(5_000) } }] },
      },
    });
    assert.match(await send({ resources: [encodeKdsResource(big).message] }), /exceeds the limit of 4096 bytes/);
    assert.match(
      await send({ removedResources: ['default/not-mine'] }),
      /^ACK$/,
      'removing something absent is a no-op',
    );

    assert.equal((await store.list({ type: 'Dataplane' })).total, 0);
    assert.equal(refused.length, 9);
    // A well-formed one is applied: the stream survived the garbage.
    assert.equal(await send({ resources: [encodeKdsResource(zoneDataplane()).message] }), 'ACK');
    assert.equal((await store.list({ type: 'Dataplane' })).total, 1);
    call.cancel();
  });

  it('closes a stream that keeps sending refused responses', async () => {
    const { address } = await server({ zones: ['zone-1'], maxConsecutiveNacks: 3 });
    const call = rawClient(address).zoneToGlobal(zoneMetadata('zone-1'));
    const { status: ended } = collect(call);
    for (let i = 0; i < 3; i += 1) {
      call.write(create(DeltaDiscoveryResponseSchema, { typeUrl: 'Bogus', nonce: `n${i}` }));
    }
    const end = await ended;
    assert.equal(end.code, status.INVALID_ARGUMENT);
    assert.match(end.details, /3 KDS responses refused in a row/);
  });

  it('does not let a zone delete or replace resources it did not sync', async () => {
    const { store, address } = await server({ zones: ['zone-1', 'zone-2'] });
    const theirs = kdsHashedName('default', 'dp-1', 'zone-2');
    await store.create({
      ...dataplaneInput('default', theirs),
      labels: { 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-2', 'kuma.io/display-name': 'dp-1' },
      owner: { type: 'Zone', name: 'zone-2' },
    });
    const call = rawClient(address).zoneToGlobal(zoneMetadata('zone-1'));
    const { messages } = collect(call);
    await waitFor('the global’s subscriptions', () => messages.some((m) => m.typeUrl === 'Dataplane'));
    // zone-1 never says it holds zone-2's dataplane.
    assert.deepEqual(messages.find((m) => m.typeUrl === 'Dataplane')?.initialResourceVersions, {});
    call.write(
      create(DeltaDiscoveryResponseSchema, {
        typeUrl: 'Dataplane',
        nonce: 'n1',
        removedResources: [`default/${theirs}`],
      }),
    );
    const answer = await waitFor('the NACK', () => messages.find((m) => m.responseNonce === 'n1'));
    assert.match(answer.errorDetail?.message ?? '', /would delete a Dataplane that did not come from this peer/);
    assert.ok(await store.get({ type: 'Dataplane', mesh: 'default', name: theirs }));
    call.cancel();
  });

  it('closes a stalled zone stream within the heartbeat timeout', async () => {
    const disconnected: string[] = [];
    const { address } = await server({
      zones: ['zone-1'],
      observer: { onZoneDisconnected: (zone) => void disconnected.push(zone) },
    });
    const call = rawClient(address).globalToZone(zoneMetadata('zone-1'));
    const { messages, status: ended } = collect(call);
    // Subscribe, then fall silent: no heartbeats, no ACKs.
    call.write(create(DeltaDiscoveryRequestSchema, { typeUrl: 'Mesh', node: { id: 'zone-1' } }));
    const started = Date.now();
    const end = await ended;
    assert.equal(end.code, status.UNAVAILABLE);
    assert.match(end.details, /stalled/);
    assert.ok(Date.now() - started < 2_500, 'detected within timeout + one check interval');
    assert.ok(
      messages.some((m) => m.typeUrl === KDS_HEARTBEAT_TYPE_URL),
      'the global sent heartbeats',
    );
    await waitFor('the disconnect report', () => disconnected.length === 1);
  });

  it('replaces an older stream of the same zone and refuses a node id that is not the zone', async () => {
    const { address, server: kds } = await server({ zones: ['zone-1'] });
    const client = rawClient(address);
    const first = client.globalToZone(zoneMetadata('zone-1'));
    const firstEnd = collect(first).status;
    first.write(create(DeltaDiscoveryRequestSchema, { typeUrl: 'Mesh', node: { id: 'zone-1' } }));
    await waitFor('the zone to connect', () => kds.connectedZones().includes('zone-1'));
    const second = client.globalToZone(zoneMetadata('zone-1'));
    const secondEnd = collect(second).status;
    second.write(create(DeltaDiscoveryRequestSchema, { typeUrl: 'Mesh', node: { id: 'zone-1' } }));
    assert.equal((await firstEnd).code, status.ABORTED);
    second.write(create(DeltaDiscoveryRequestSchema, { typeUrl: 'Dataplane', node: { id: 'zone-7' } }));
    const end = await secondEnd;
    assert.equal(end.code, status.PERMISSION_DENIED);
    assert.match(end.details, /zone-7/);
  });

  it('closes a zone’s streams when its Zone resource is deleted', async () => {
    const { address, store } = await server({ zones: ['zone-1'] });
    const call = rawClient(address).globalToZone(zoneMetadata('zone-1'));
    const { messages, status: ended } = collect(call);
    call.write(create(DeltaDiscoveryRequestSchema, { typeUrl: 'Mesh', node: { id: 'zone-1' } }));
    await waitFor('the Mesh', () => messages.some((m) => m.typeUrl === 'Mesh'));
    await store.delete({ type: 'Zone', name: 'zone-1' });
    assert.equal((await ended).code, status.FAILED_PRECONDITION);
  });

  it('withholds a disabled zone’s ingresses from the other zones and sends them again once it is enabled', async () => {
    const { store, address } = await server({ zones: ['zone-1', 'zone-2'] });
    const ingress = kdsHashedName('', 'ingress-1', 'zone-2');
    await store.create({
      type: 'ZoneIngress',
      name: ingress,
      labels: { 'kuma.io/origin': 'zone', 'kuma.io/zone': 'zone-2', 'kuma.io/display-name': 'ingress-1' },
      spec: { networking: { address: '10.0.0.2', port: 10001, advertisedAddress: '1.2.3.4', advertisedPort: 10001 } },
      owner: { type: 'Zone', name: 'zone-2' },
    });
    const zoneStore = createMemoryStore();
    const zone = connectTestZone(address, 'zone-1', zoneStore);
    cleanups.push(() => zone.close());
    const held = () => zoneStore.get({ type: 'ZoneIngress', name: ingress });
    await waitFor('zone-2’s ingress in zone-1', held);

    const setEnabled = (enabled: boolean) =>
      store.update({ type: 'Zone', name: 'zone-2', labels: {}, spec: { enabled } });
    await setEnabled(false);
    await waitFor('zone-2’s ingress to leave zone-1', async () => (await held()) === undefined);
    assert.ok(await store.get({ type: 'ZoneIngress', name: ingress }), 'the global keeps it');
    await setEnabled(true);
    await waitFor('zone-2’s ingress back in zone-1', held);
  });

  it('sends zones the public half of token signing keys only, which verifies the global’s tokens', async () => {
    const { store, address } = await server({ zones: ['zone-1'] });
    const globalTokens = createTokenIssuer<ProxyTokenClaims>({ store, kind: 'dataplane', logger: silentLogger() });
    cleanups.push(() => globalTokens.close());
    const token = await globalTokens.issue({ type: 'dataplane', mesh: 'default' }, { validForMs: 60_000 });
    const zoneStore = createMemoryStore();
    const zone = connectTestZone(address, 'zone-1', zoneStore);
    cleanups.push(() => zone.close());
    await waitFor('the public key in the zone', () =>
      zoneStore.get({ type: 'GlobalSecret', name: 'dataplane-token-signing-public-key-1' }),
    );
    const names = (await zoneStore.list({ type: 'GlobalSecret' })).items.map((s) => s.meta.name);
    assert.ok(
      names.every((name) => !/-token-signing-key-/.test(name)),
      `no private signing key in the zone: ${names.join(', ')}`,
    );
    const zoneTokens = createTokenIssuer<ProxyTokenClaims>({
      store: zoneStore,
      kind: 'dataplane',
      logger: silentLogger(),
    });
    cleanups.push(() => zoneTokens.close());
    assert.equal((await zoneTokens.verify(token)).mesh, 'default');
  });

  it('validates its options, listing every bad field', () => {
    assert.throws(
      () =>
        createKdsServer({
          store: createMemoryStore(),
          registry: builtinRegistry,
          logger: silentLogger(),
          credentials: ServerCredentials.createInsecure(),
          authenticate: async () => ({ zone: 'z' }),
          port: -1,
          heartbeatIntervalMs: 1_000,
          heartbeatTimeoutMs: 1_500,
          redistributedTypes: ['MeshTimeout'],
        }),
      (err: unknown) =>
        isStraitError(err, 'Invalid') &&
        err.violations.map((v) => v.field).join(',') === 'heartbeatTimeoutMs,port,redistributedTypes[0]',
    );
  });
});
