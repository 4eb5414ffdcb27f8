import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { isStraitError } from '../errors/strait-error.js';
import { createRootCa, loadCa } from './certificate-authority.js';
import { certificateInfo, renewAt } from './certificate-info.js';
import { bytesToIp, ipToBytes } from './ip-address.js';
import { issueWorkloadCertificate } from './workload-cert.js';

const DAY_MS = 24 * 3600_000;
const TEN_YEARS_MS = 3650 * DAY_MS;

function assertInvalid(field: string): (err: unknown) => true {
  return (err) => {
    assert.ok(isStraitError(err, 'Invalid'), `expected Invalid, got ${String(err)}`);
    assert.deepEqual(
      err.violations.map((v) => v.field),
      [field],
    );
    return true;
  };
}

describe('createRootCa', () => {
  it('creates a self-signed ECDSA P-256 CA with CA extensions', async () => {
    const now = new Date('2030-01-01T00:00:00.500Z');
    const ca = await createRootCa({ commonName: 'default', validForMs: TEN_YEARS_MS, now, trustDomain: 'default' });
    const cert = new X509Certificate(ca.certPem);
    assert.equal(cert.ca, true);
    assert.ok(cert.checkIssued(cert), 'self-issued');
    assert.ok(cert.verify(cert.publicKey), 'self-signed');
    assert.ok(cert.checkPrivateKey(createPrivateKey(ca.keyPem)));
    assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(cert.subject, 'O=Strait\nCN=default');

    const info = certificateInfo(ca.certPem);
    assert.equal(info.isCa, true);
    assert.deepEqual(info.uris, ['spiffe://default']);
    assert.equal(info.notBefore.toISOString(), '2029-12-31T23:59:00.000Z', 'backdated by a minute, whole seconds');
    assert.equal(info.notAfter.getTime(), Date.parse('2030-01-01T00:00:00Z') + TEN_YEARS_MS);
    assert.equal(info.serialNumber, cert.serialNumber.replace(/^0+/, ''));
  });

  it('creates RSA-2048 CAs on request', async () => {
    const ca = await createRootCa({ commonName: 'rsa', validForMs: DAY_MS, keyAlgorithm: 'rsa-2048' });
    const cert = new X509Certificate(ca.certPem);
    assert.equal(cert.publicKey.asymmetricKeyType, 'rsa');
    assert.ok(cert.verify(cert.publicKey));
    const leaf = await issueWorkloadCertificate(await loadCa(ca), { spiffeId: 'spiffe://rsa/a', validForMs: DAY_MS });
    assert.ok(new X509Certificate(leaf.certPem).verify(cert.publicKey));
  });

  it('rejects a non-positive lifetime', async () => {
    await assert.rejects(createRootCa({ commonName: 'x', validForMs: 0 }), assertInvalid('validForMs'));
  });
});

describe('loadCa', () => {
  it('accepts a PKCS#1 RSA key, the form Kuma stores', async () => {
    const ca = await createRootCa({ commonName: 'kuma', validForMs: DAY_MS, keyAlgorithm: 'rsa-2048' });
    const pkcs1 = createPrivateKey(ca.keyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
    assert.match(pkcs1, /BEGIN RSA PRIVATE KEY/);
    const handle = await loadCa({ certPem: ca.certPem, keyPem: pkcs1 });
    assert.equal(handle.certPem, ca.certPem);
    assert.ok('keyPem' in handle === false, 'the handle does not expose the key');
  });

  it('rejects a key that does not match the certificate', async () => {
    const [a, b] = await Promise.all([
      createRootCa({ commonName: 'a', validForMs: DAY_MS }),
      createRootCa({ commonName: 'b', validForMs: DAY_MS }),
    ]);
    await assert.rejects(loadCa({ certPem: a.certPem, keyPem: b.keyPem }), assertInvalid('keyPem'));
  });

  it('rejects garbage and non-CA certificates', async () => {
    const ca = await createRootCa({ commonName: 'a', validForMs: DAY_MS });
    await assert.rejects(loadCa({ certPem: 'nope', keyPem: ca.keyPem }), assertInvalid('certPem'));
    await assert.rejects(loadCa({ certPem: ca.certPem, keyPem: 'nope' }), assertInvalid('keyPem'));
    const leaf = await issueWorkloadCertificate(await loadCa(ca), { spiffeId: 'spiffe://a/b', validForMs: DAY_MS });
    await assert.rejects(loadCa({ certPem: leaf.certPem, keyPem: leaf.keyPem }), assertInvalid('certPem'));
  });

  it('can certify an existing key again (same key, new CA certificate)', async () => {
    const first = await createRootCa({ commonName: 'a', validForMs: DAY_MS });
    const again = await createRootCa({ commonName: 'a', validForMs: DAY_MS, keyPem: first.keyPem });
    assert.equal(again.keyPem, first.keyPem);
    assert.ok(new X509Certificate(again.certPem).checkPrivateKey(createPrivateKey(first.keyPem)));
  });
});

describe('renewAt', () => {
  it('is the given fraction into the lifetime', () => {
    const notBefore = new Date('2030-01-01T00:00:00Z');
    const notAfter = new Date('2030-01-02T00:00:00Z');
    assert.equal(renewAt(notBefore, notAfter).toISOString(), '2030-01-01T19:12:00.000Z');
    assert.equal(renewAt(notBefore, notAfter, 0.5).toISOString(), '2030-01-01T12:00:00.000Z');
  });
});

describe('IP address SANs', () => {
  it('round-trip IPv4, IPv6 and IPv4-mapped IPv6', () => {
    for (const [text, expected] of [
      ['10.1.2.3', '10.1.2.3'],
      ['::1', '::1'],
      ['fd00::1:0:0:2', 'fd00::1:0:0:2'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['::ffff:1.2.3.4', '::ffff:102:304'],
    ] as const) {
      const bytes = ipToBytes(text);
      assert.ok(bytes !== undefined, text);
      assert.equal(bytesToIp(bytes), expected);
    }
    assert.equal(ipToBytes('example.com'), undefined);
  });
});
