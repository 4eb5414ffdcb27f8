import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isStraitError } from '../errors/strait-error.js';
import { silentLogger } from '../logging/logger.js';
import { certificateInfo } from './certificate-info.js';
import { createSelfSignedServerCertificate } from './server-cert.js';
import { ensureServerTlsFiles } from './server-tls-files.js';

const DAY_MS = 24 * 3600_000;
const DEADLINE_MS = 5_000;
const tempDirs: string[] = [];
after(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'strait-ca-'));
  tempDirs.push(dir);
  return dir;
}

/** GETs `/` over HTTPS trusting only `caPem`; resolves with the body or rejects with the TLS error. */
async function httpsGet(port: number, caPem: string, servername: string): Promise<string> {
  const req = request({
    host: '127.0.0.1',
    port,
    path: '/',
    ca: caPem,
    servername,
    signal: AbortSignal.timeout(DEADLINE_MS),
  });
  req.end();
  const [res] = (await once(req, 'response')) as [NodeJS.ReadableStream];
  let body = '';
  for await (const chunk of res) body += String(chunk);
  return body;
}

describe('createSelfSignedServerCertificate', () => {
  it('serves HTTPS that a client verifies with caPem for localhost', async () => {
    const tls = await createSelfSignedServerCertificate({ hostnames: ['cp.example.com'], ips: ['10.0.0.7'] });
    const info = certificateInfo(tls.certPem);
    assert.ok(['localhost', 'cp.example.com'].every((n) => info.dnsNames.includes(n)));
    assert.ok(['127.0.0.1', '::1', '10.0.0.7'].every((ip) => info.ipAddresses.includes(ip)));
    assert.equal(certificateInfo(tls.caPem).isCa, true);

    const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (_req, res) => res.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      assert.equal(await httpsGet(port, tls.caPem, 'localhost'), 'ok');
      await assert.rejects(httpsGet(port, tls.caPem, 'elsewhere.example.com'), {
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      });
      const other = await createSelfSignedServerCertificate();
      await assert.rejects(httpsGet(port, other.caPem, 'localhost'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('rejects IP SANs that are not IP addresses', async () => {
    await assert.rejects(
      createSelfSignedServerCertificate({ ips: ['example.com'] }),
      (err: unknown) => isStraitError(err, 'Invalid') && err.violations[0]?.field === 'ips[0]',
    );
  });
});

describe('ensureServerTlsFiles', () => {
  it('generates once into <dataDir>/tls and reuses the files later', async () => {
    const dataDir = await tempDir();
    const first = await ensureServerTlsFiles({ dataDir, hostnames: ['cp.local'], logger: silentLogger() });
    assert.equal(first.certFile, join(dataDir, 'tls', 'server.crt'));
    assert.equal(first.keyFile, join(dataDir, 'tls', 'server.key'));
    assert.equal(first.caFile, join(dataDir, 'tls', 'ca.crt'));
    assert.equal((await stat(first.keyFile)).mode & 0o777, 0o600);
    assert.equal(await readFile(first.certFile, 'utf8'), first.certPem);
    assert.ok(certificateInfo(first.certPem).dnsNames.includes('cp.local'));

    const second = await ensureServerTlsFiles({ dataDir, hostnames: ['cp.local'], logger: silentLogger() });
    assert.equal(second.certPem, first.certPem);
    assert.equal(second.caPem, first.caPem);

    const renamed = await ensureServerTlsFiles({ dataDir, hostnames: ['cp2.local'], logger: silentLogger() });
    assert.notEqual(renamed.certPem, first.certPem, 'a name the certificate lacks makes a new one');
    assert.ok(certificateInfo(renamed.certPem).dnsNames.includes('cp2.local'));
  });

  it('regenerates expired files', async () => {
    const dataDir = await tempDir();
    const old = await ensureServerTlsFiles({
      dataDir,
      hostnames: [],
      validForMs: DAY_MS,
      now: new Date('2001-01-01T00:00:00Z'),
      logger: silentLogger(),
    });
    const fresh = await ensureServerTlsFiles({ dataDir, hostnames: [], logger: silentLogger() });
    assert.notEqual(fresh.certPem, old.certPem);
    assert.ok(certificateInfo(fresh.certPem).notAfter.getTime() > Date.now());
  });

  it('uses configured files and names a bad one by path', async () => {
    const dir = await tempDir();
    const good = await createSelfSignedServerCertificate({ hostnames: ['cp.local'] });
    const other = await createSelfSignedServerCertificate();
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    await writeFile(certFile, good.certPem);
    await writeFile(keyFile, good.keyPem);
    const dataDir = join(dir, 'data');
    const loaded = await ensureServerTlsFiles({ dataDir, certFile, keyFile, hostnames: [], logger: silentLogger() });
    assert.deepEqual(loaded, { certPem: good.certPem, keyPem: good.keyPem, certFile, keyFile });

    const expectInvalid = (field: string, path: string) => (err: unknown) => {
      assert.ok(isStraitError(err, 'Invalid'), String(err));
      assert.equal(err.violations[0]?.field, field);
      assert.ok(err.violations[0]?.reason.includes(path), err.violations[0]?.reason);
      return true;
    };
    const missing = join(dir, 'missing.pem');
    await assert.rejects(
      ensureServerTlsFiles({ dataDir, certFile: missing, keyFile, hostnames: [], logger: silentLogger() }),
      expectInvalid('tls.certFile', missing),
    );
    const garbage = join(dir, 'garbage.pem');
    await writeFile(garbage, 'not a certificate');
    await assert.rejects(
      ensureServerTlsFiles({ dataDir, certFile: garbage, keyFile, hostnames: [], logger: silentLogger() }),
      expectInvalid('tls.certFile', garbage),
    );
    const wrongKey = join(dir, 'wrong-key.pem');
    await writeFile(wrongKey, other.keyPem);
    await assert.rejects(
      ensureServerTlsFiles({ dataDir, certFile, keyFile: wrongKey, hostnames: [], logger: silentLogger() }),
      expectInvalid('tls.keyFile', wrongKey),
    );
    await assert.rejects(
      ensureServerTlsFiles({ dataDir, certFile, hostnames: [], logger: silentLogger() }),
      expectInvalid('tls.keyFile', ''),
    );
  });
});
