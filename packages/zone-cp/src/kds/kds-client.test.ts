import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { credentials, ServerCredentials } from '@grpc/grpc-js';
import {
  createMemoryStore,
  createSelfSignedServerCertificate,
  kdsHashedName,
  type ResourceStore,
} from '@strait/shared';
import type { KdsClient } from './kds-client.js';
import {
  dataplaneInput,
  meshInput,
  mtpInput,
  recordChanges,
  startTestClient,
  startTestGlobal,
  type TestGlobal,
  waitFor,
  zoneIngressInput,
} from './kds-test-kit.js';

/** Everything a test started, stopped in reverse order afterwards. */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function global(store: ResourceStore, extra: Partial<Parameters<typeof startTestGlobal>[0]> = {}) {
  const g = await startTestGlobal({ store, ...extra });
  cleanups.push(() => g.close());
  return g;
}

async function zone(
  store: ResourceStore,
  name: string,
  g: TestGlobal,
  extra: Partial<Parameters<typeof startTestClient>[0]> = {},
) {
  const client = await startTestClient({ store, zone: name, address: g.address, ...extra });
  cleanups.push(() => client.stop());
  return client;
}

/** A global store with the default Mesh and a registered Zone per name. */
async function globalStore(...zones: string[]): Promise<ResourceStore> {
  const store = createMemoryStore();
  await store.create(meshInput('default'));
  for (const z of zones) await store.create({ type: 'Zone', name: z, spec: {} });
  return store;
}

async function zoneStore(): Promise<ResourceStore> {
  const store = createMemoryStore();
  return store;
}

async function names(store: ResourceStore, type: string): Promise<string[]> {
  return (await store.list({ type })).items.map((r) => r.meta.name).sort();
}

describe('KDS client ↔ global', () => {
  it('brings global meshes, secrets and policies into the zone, policies hash-suffixed', async () => {
    const gs = await globalStore('zone-1');
    await gs.create({ type: 'Secret', mesh: 'default', name: 'db-password', spec: { data: 'c2VjcmV0' } });
    await gs.create(mtpInput('default', 'allow-all'));
    const g = await global(gs);
    const zs = await zoneStore();
    await zone(zs, 'zone-1', g);

    const mtpName = kdsHashedName('default', 'allow-all');
    const mtp = await waitFor('the policy in the zone', () =>
      zs.get({ type: 'MeshTrafficPermission', mesh: 'default', name: mtpName }),
    );
    assert.match(mtpName, /^allow-all-[bcdfghjklmnpqrstvwxz2456789]{16}$/);
    assert.deepEqual(mtp.meta.labels, { 'kuma.io/origin': 'global', 'kuma.io/display-name': 'allow-all' });
    assert.deepEqual(mtp.spec, mtpInput('default', 'allow-all').spec);
    const mesh = await zs.get({ type: 'Mesh', name: 'default' });
    assert.equal(mesh?.meta.labels['kuma.io/origin'], 'global');
    const secret = await zs.get({ type: 'Secret', mesh: 'default', name: 'db-password' });
    assert.deepEqual(secret?.spec, { data: 'c2VjcmV0' });
  });

  it('sends zone dataplanes up with zone labels, a hash-suffixed name and the Zone as owner', async () => {
    const gs = await globalStore('zone-1');
    const g = await global(gs);
    const zs = await zoneStore();
    await zs.create(meshInput('default'));
    await zs.create(dataplaneInput('default', 'backend-1'));
    await zone(zs, 'zone-1', g);

    const name = kdsHashedName('default', 'backend-1', 'zone-1');
    const dp = await waitFor('the dataplane on the global', () => gs.get({ type: 'Dataplane', mesh: 'default', name }));
    assert.deepEqual(dp.meta.labels, {
      'kuma.io/origin': 'zone',
      'kuma.io/zone': 'zone-1',
      'kuma.io/display-name': 'backend-1',
    });
    assert.deepEqual(dp.meta.owner, { type: 'Zone', name: 'zone-1' });
    // Deleting the Zone deletes what it synced up.
    await gs.delete({ type: 'Zone', name: 'zone-1' });
    assert.equal(await gs.get({ type: 'Dataplane', mesh: 'default', name }), undefined);
  });

  it('never hands a zone its own resources back, but relays other zones’ ingresses and policies', async () => {
    const gs = await globalStore('zone-1', 'zone-2');
    const g = await global(gs);
    const z1 = await zoneStore();
    await z1.create(meshInput('default'));
    await z1.create(zoneIngressInput('ingress'));
    await z1.create(mtpInput('default', 'local-policy', { 'kuma.io/origin': 'zone' }));
    const z2 = await zoneStore();
    await z2.create(meshInput('default'));
    await z2.create(zoneIngressInput('ingress'));
    await zone(z1, 'zone-1', g);
    await zone(z2, 'zone-2', g);

    const ingress1 = kdsHashedName('', 'ingress', 'zone-1');
    const ingress2 = kdsHashedName('', 'ingress', 'zone-2');
    await waitFor('both ingresses on the global', async () => (await names(gs, 'ZoneIngress')).length === 2);
    // zone-2 gets zone-1's ingress and policy; zone-1 only has its own.
    const relayed = await waitFor('zone-1’s ingress in zone-2', () => z2.get({ type: 'ZoneIngress', name: ingress1 }));
    assert.equal(relayed.meta.labels['kuma.io/zone'], 'zone-1');
    assert.equal(relayed.meta.labels['kuma.io/origin'], 'global');
    const policyName = kdsHashedName('default', 'local-policy', 'zone-1');
    await waitFor('zone-1’s policy in zone-2', () =>
      z2.get({ type: 'MeshTrafficPermission', mesh: 'default', name: policyName }),
    );
    assert.deepEqual(await names(z2, 'ZoneIngress'), ['ingress', ingress1].sort());
    // Give zone-1 time to (wrongly) receive something, then check it did not.
    await waitFor('zone-2’s ingress in zone-1', () => z1.get({ type: 'ZoneIngress', name: ingress2 }));
    assert.deepEqual(await names(z1, 'ZoneIngress'), ['ingress', ingress2].sort());
    assert.deepEqual(await names(z1, 'MeshTrafficPermission'), ['local-policy']);
  });

  it('propagates updates and deletes both ways', async () => {
    const gs = await globalStore('zone-1');
    await gs.create(mtpInput('default', 'p1'));
    const g = await global(gs);
    const zs = await zoneStore();
    await zs.create(meshInput('default'));
    await zs.create(dataplaneInput('default', 'dp-1', '10.0.0.1'));
    await zone(zs, 'zone-1', g);
    const p1 = { type: 'MeshTrafficPermission', mesh: 'default', name: kdsHashedName('default', 'p1') };
    const dp1 = { type: 'Dataplane', mesh: 'default', name: kdsHashedName('default', 'dp-1', 'zone-1') };
    await waitFor('initial sync', async () => (await zs.get(p1)) !== undefined && (await gs.get(dp1)) !== undefined);

    await gs.update(mtpInput('default', 'p1', {}, 'Deny'));
    await zs.update(dataplaneInput('default', 'dp-1', '10.0.0.2'));
    await waitFor('the policy update in the zone', async () => {
      const spec = (await zs.get(p1))?.spec as { from?: { default?: { action?: string } }[] } | undefined;
      return spec?.from?.[0]?.default?.action === 'Deny';
    });
    await waitFor('the dataplane update on the global', async () => {
      const spec = (await gs.get(dp1))?.spec as { networking?: { address?: string } } | undefined;
      return spec?.networking?.address === '10.0.0.2';
    });

    await gs.delete({ type: 'MeshTrafficPermission', mesh: 'default', name: 'p1' });
    await zs.delete({ type: 'Dataplane', mesh: 'default', name: 'dp-1' });
    await waitFor('the policy delete in the zone', async () => (await zs.get(p1)) === undefined);
    await waitFor('the dataplane delete on the global', async () => (await gs.get(dp1)) === undefined);
  });

  it('resumes after a global restart with only the differences and no spurious deletes', async () => {
    const gs = await globalStore('zone-1');
    for (let i = 0; i < 20; i += 1) await gs.create(mtpInput('default', `p${i}`));
    const first = await startTestGlobal({ store: gs });
    const zs = await zoneStore();
    await zs.create(meshInput('default'));
    await zs.create(dataplaneInput('default', 'dp-1'));
    let disconnects = 0;
    let connects = 0;
    await zone(zs, 'zone-1', first, {
      observer: {
        onDisconnected: () => {
          disconnects += 1;
        },
        onConnected: () => {
          connects += 1;
        },
      },
    });
    await waitFor('initial sync', async () => (await names(zs, 'MeshTrafficPermission')).length === 20);
    await waitFor('dataplane on global', async () => (await names(gs, 'Dataplane')).length === 1);

    await first.close();
    await waitFor('the zone to notice', () => disconnects > 0);
    const changes = recordChanges(zs);
    cleanups.push(() => changes.stop());
    // While the global is away: one policy changes, one is added, one is deleted.
    await gs.update(mtpInput('default', 'p0', {}, 'Deny'));
    await gs.create(mtpInput('default', 'p-new'));
    await gs.delete({ type: 'MeshTrafficPermission', mesh: 'default', name: 'p1' });
    assert.equal(changes.events.length, 0, 'a disconnected zone keeps what it has');

    const second = await global(gs, { port: first.port });
    await waitFor('reconnect and resync', async () => {
      const now = await names(zs, 'MeshTrafficPermission');
      return connects >= 2 && now.length === 20 && now.includes(kdsHashedName('default', 'p-new'));
    });
    // Only the difference travelled: two resources and one removal; nothing of the other 18.
    await waitFor('the removal', () => (second.removedSent.get('MeshTrafficPermission') ?? 0) === 1);
    assert.equal(second.sentResources.get('MeshTrafficPermission'), 2);
    assert.equal(second.sentResources.get('Mesh') ?? 0, 0);
    // The zone's dataplane was already on the global: nothing applied there either.
    assert.equal(first.sentResources.get('Dataplane') ?? 0, 0);
    const deletes = changes.events.filter((e) => e.op === 'delete').map((e) => e.key.name);
    assert.deepEqual(deletes, [kdsHashedName('default', 'p1')]);
  });

  it('converges on a burst of 500 policy writes', async () => {
    const gs = await globalStore('zone-1');
    const g = await global(gs);
    const zs = await zoneStore();
    await zone(zs, 'zone-1', g);
    await waitFor('the mesh in the zone', () => zs.get({ type: 'Mesh', name: 'default' }));
    for (let i = 0; i < 500; i += 1) {
      await gs.create(mtpInput('default', `burst-${i}`));
      if (i % 5 === 0) await gs.update(mtpInput('default', `burst-${i}`, {}, 'Deny'));
      if (i % 7 === 0) await gs.delete({ type: 'MeshTrafficPermission', mesh: 'default', name: `burst-${i}` });
    }
    const expected = (await gs.list({ type: 'MeshTrafficPermission' })).items
      .map((r) => kdsHashedName('default', r.meta.name))
      .sort();
    await waitFor('the zone to hold exactly the global’s set', async () => {
      const have = await names(zs, 'MeshTrafficPermission');
      return have.length === expected.length && have.every((n, i) => n === expected[i]);
    });
    const denied = (await zs.list({ type: 'MeshTrafficPermission' })).items.filter(
      (r) => (r.spec as { from: { default: { action: string } }[] }).from[0]?.default.action === 'Deny',
    );
    assert.equal(
      denied.length,
      (await gs.list({ type: 'MeshTrafficPermission' })).items.filter(
        (r) => (r.spec as { from: { default: { action: string } }[] }).from[0]?.default.action === 'Deny',
      ).length,
    );
  });

  it('connects over TLS to a grpcs:// address, verifying the global against its CA', async () => {
    const cert = await createSelfSignedServerCertificate();
    const gs = await globalStore('zone-1');
    const g = await global(gs, {
      credentials: ServerCredentials.createSsl(null, [
        { cert_chain: Buffer.from(cert.certPem), private_key: Buffer.from(cert.keyPem) },
      ]),
    });
    const zs = await zoneStore();
    const client = await zone(zs, 'zone-1', g, {
      address: `grpcs://localhost:${g.port}`,
      credentials: credentials.createSsl(Buffer.from(cert.caPem)),
    });
    await waitFor('the mesh over TLS', () => zs.get({ type: 'Mesh', name: 'default' }));
    assert.equal(client.connected, true);
  });

  it('splits a large type across responses under maxMessageBytes', async () => {
    const gs = await globalStore('zone-1');
    for (let i = 0; i < 60; i += 1) await gs.create(mtpInput('default', `policy-with-a-long-name-${i}`));
    const cap = 2_048;
    const g = await global(gs, { sync: { maxMessageBytes: cap } });
    const zs = await zoneStore();
    let applied = 0;
    await zone(zs, 'zone-1', g, {
      maxMessageBytes: cap,
      observer: {
        onApplied: (type) => {
          if (type === 'MeshTrafficPermission') applied += 1;
        },
      },
    });
    await waitFor('all 60 policies', async () => (await names(zs, 'MeshTrafficPermission')).length === 60);
    assert.ok(applied > 1, `expected several responses, got ${applied}`);
    assert.ok(g.responseBytes.length > 2);
    for (const bytes of g.responseBytes) assert.ok(bytes <= cap, `a response of ${bytes} bytes exceeds ${cap}`);
  });
});

describe('KDS client liveness and backoff', () => {
  let client: KdsClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  it('detects a stalled global and reconnects', async () => {
    const g = await global(createMemoryStore(), { silent: true });
    const ends: string[] = [];
    const started = Date.now();
    client = await startTestClient({
      store: createMemoryStore(),
      zone: 'zone-1',
      address: g.address,
      observer: { onDisconnected: (info) => void ends.push(info.details) },
    });
    await waitFor('two stall detections', () => ends.length >= 2);
    assert.match(ends[0] ?? '', /stalled/);
    // Timeout 800 ms (+ one check interval) per detection, plus backoff: well under 4 s.
    assert.ok(Date.now() - started < 4_000);
  });

  it('backs off when the global refuses the token', async () => {
    const g = await global(createMemoryStore(), {
      authenticate: () => {
        throw new Error('token revoked');
      },
    });
    const delays: number[] = [];
    const codes: number[] = [];
    client = await startTestClient({
      store: createMemoryStore(),
      zone: 'zone-1',
      address: g.address,
      reconnectBackoffMs: 20,
      maxReconnectBackoffMs: 1_000,
      observer: {
        onDisconnected: (info) => {
          delays.push(info.reconnectInMs);
          codes.push(info.code);
        },
      },
    });
    await waitFor('three refusals', () => delays.length >= 3);
    assert.equal(client.connected, false);
    assert.deepEqual(codes.slice(0, 3), [16, 16, 16]);
    assert.ok((delays[1] ?? 0) > (delays[0] ?? 0) && (delays[2] ?? 0) > (delays[1] ?? 0), `delays ${delays}`);
  });
});
