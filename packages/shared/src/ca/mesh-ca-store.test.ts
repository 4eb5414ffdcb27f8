import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { isStraitError } from '../errors/strait-error.js';
import { silentLogger } from '../logging/logger.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { ResourceStore } from '../store/store.js';
import { createRootCa } from './certificate-authority.js';
import { caCertSecretName, caKeySecretName, createMeshCaManager, type MeshCaManagerOptions } from './mesh-ca-store.js';
import { issueWorkloadCertificate } from './workload-cert.js';

const DAY_MS = 24 * 3600_000;
const TEN_YEARS_MS = 3650 * DAY_MS;
const closers: Array<() => unknown> = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

async function storeWithMesh(): Promise<ResourceStore> {
  const store = createMemoryStore();
  closers.push(() => store.close());
  await store.create({ type: 'Mesh', name: 'default', labels: {}, spec: {} });
  return store;
}

function manager(store: ResourceStore, extra: Partial<MeshCaManagerOptions> = {}) {
  const m = createMeshCaManager({ store, logger: silentLogger(), caValidForMs: TEN_YEARS_MS, ...extra });
  closers.push(() => m.close());
  return m;
}

const secret = (name: string) => ({ type: 'Secret', mesh: 'default', name });
const encode = (pem: string) => ({ data: Buffer.from(pem).toString('base64') });
const decode = (spec: unknown) => Buffer.from((spec as { data: string }).data, 'base64').toString('utf8');

describe('createMeshCaManager', () => {
  it('creates the CA once, as Kuma-named Secrets, for concurrent callers', async () => {
    const store = await storeWithMesh();
    const cas = manager(store);
    const [a, b] = await Promise.all([cas.ensureCa('default', 'ca-1'), cas.ensureCa('default', 'ca-1')]);
    assert.equal(a.certPem, b.certPem);

    const secrets = await store.list({ type: 'Secret', mesh: 'default' });
    assert.deepEqual(secrets.items.map((s) => s.meta.name).sort(), [
      'default.ca-builtin-cert-ca-1',
      'default.ca-builtin-key-ca-1',
    ]);
    const certSecret = await store.get(secret(caCertSecretName('default', 'ca-1')));
    assert.equal(decode(certSecret?.spec), a.certPem);
    const keySecret = await store.get(secret(caKeySecretName('default', 'ca-1')));
    assert.match(decode(keySecret?.spec), /-----BEGIN PRIVATE KEY-----/);
    assert.ok(new X509Certificate(a.certPem).ca);

    assert.equal(await cas.ensureCa('default', 'ca-1'), a, 'cached handle');
    const leaf = await issueWorkloadCertificate(a, { spiffeId: 'spiffe://default/web', validForMs: DAY_MS });
    assert.ok(new X509Certificate(leaf.certPem).verify(new X509Certificate(a.certPem).publicKey));
  });

  it('ends with one CA when two control planes race on one store', async () => {
    const store = await storeWithMesh();
    const [a, b] = await Promise.all([
      manager(store).ensureCa('default', 'ca-1'),
      manager(store).ensureCa('default', 'ca-1'),
    ]);
    assert.equal(a.certPem, b.certPem);
    assert.equal((await store.list({ type: 'Secret' })).total, 2);
  });

  it('uses a CA it did not create and follows changes to its Secrets', async () => {
    const store = await storeWithMesh();
    const fromGlobal = await createRootCa({ commonName: 'default', validForMs: TEN_YEARS_MS });
    await store.create({ ...secret(caCertSecretName('default', 'ca-1')), spec: encode(fromGlobal.certPem) });
    await store.create({ ...secret(caKeySecretName('default', 'ca-1')), spec: encode(fromGlobal.keyPem) });
    const cas = manager(store, { createIfMissing: false });
    assert.equal((await cas.ensureCa('default', 'ca-1')).certPem, fromGlobal.certPem);

    // The global CP replaces the CA (key first, then certificate, as KDS may deliver them).
    const rotated = await createRootCa({ commonName: 'default', validForMs: TEN_YEARS_MS });
    await store.update({ ...secret(caKeySecretName('default', 'ca-1')), spec: encode(rotated.keyPem) });
    await store.update({ ...secret(caCertSecretName('default', 'ca-1')), spec: encode(rotated.certPem) });
    assert.equal((await cas.ensureCa('default', 'ca-1')).certPem, rotated.certPem);
  });

  it('without createIfMissing, reports NotFound until the Secrets arrive', async () => {
    const store = await storeWithMesh();
    const cas = manager(store, { createIfMissing: false });
    await assert.rejects(cas.ensureCa('default', 'ca-1'), (err: unknown) => isStraitError(err, 'NotFound'));
    assert.equal((await store.list({ type: 'Secret' })).total, 0);
  });

  it('certifies a stored key whose certificate was never written', async () => {
    const store = await storeWithMesh();
    const orphan = await createRootCa({ commonName: 'default', validForMs: TEN_YEARS_MS });
    await store.create({ ...secret(caKeySecretName('default', 'ca-1')), spec: encode(orphan.keyPem) });
    const handle = await manager(store).ensureCa('default', 'ca-1');
    const keySecret = await store.get(secret(caKeySecretName('default', 'ca-1')));
    assert.equal(decode(keySecret?.spec), orphan.keyPem, 'the stored key is kept');
    assert.equal(handle.certPem, decode((await store.get(secret(caCertSecretName('default', 'ca-1'))))?.spec));
  });

  it('reports unusable stored material as Invalid, naming the Secret', async () => {
    const store = await storeWithMesh();
    const [a, b] = await Promise.all([
      createRootCa({ commonName: 'a', validForMs: DAY_MS }),
      createRootCa({ commonName: 'b', validForMs: DAY_MS }),
    ]);
    await store.create({ ...secret(caCertSecretName('default', 'ca-1')), spec: encode(a.certPem) });
    await store.create({ ...secret(caKeySecretName('default', 'ca-1')), spec: encode(b.keyPem) });
    await assert.rejects(
      manager(store).ensureCa('default', 'ca-1'),
      (err: unknown) =>
        isStraitError(err, 'Invalid') && err.violations[0]?.field === caKeySecretName('default', 'ca-1'),
    );
  });

  it('creates a new CA after the old Secrets are deleted', async () => {
    const store = await storeWithMesh();
    const cas = manager(store);
    const first = await cas.ensureCa('default', 'ca-1');
    await store.delete(secret(caCertSecretName('default', 'ca-1')));
    await store.delete(secret(caKeySecretName('default', 'ca-1')));
    const second = await cas.ensureCa('default', 'ca-1');
    assert.notEqual(second.certPem, first.certPem);
  });

  it('fails with NotFound for a mesh that does not exist', async () => {
    const store = await storeWithMesh();
    await assert.rejects(manager(store).ensureCa('nope', 'ca-1'), (err: unknown) => isStraitError(err, 'NotFound'));
  });
});
