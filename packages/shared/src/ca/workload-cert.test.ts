import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { isStraitError } from '../errors/strait-error.js';
import { type CaHandle, type CaMaterial, createRootCa, loadCa } from './certificate-authority.js';
import { certificateInfo } from './certificate-info.js';
import type { IssuedCertificate } from './leaf-cert.js';
import { issueWorkloadCertificate, spiffeIdOf } from './workload-cert.js';

const DAY_MS = 24 * 3600_000;
const TEN_YEARS_MS = 3650 * DAY_MS;
const DEADLINE_MS = 5_000;

let caMaterial: CaMaterial;
let ca: CaHandle;
let foreignCa: CaHandle;
before(async () => {
  caMaterial = await createRootCa({ commonName: 'default', validForMs: TEN_YEARS_MS, trustDomain: 'default' });
  ca = await loadCa(caMaterial);
  foreignCa = await loadCa(await createRootCa({ commonName: 'other', validForMs: TEN_YEARS_MS }));
});

describe('issueWorkloadCertificate', () => {
  it('issues a leaf that verifies against the CA and carries the SPIFFE ID', async () => {
    const now = new Date();
    const issued = await issueWorkloadCertificate(ca, {
      spiffeId: spiffeIdOf('default', 'backend'),
      extraUris: ['kuma://kuma.io/service/backend'],
      validForMs: DAY_MS,
      now,
    });
    const leaf = new X509Certificate(issued.certPem);
    const root = new X509Certificate(caMaterial.certPem);
    assert.ok(leaf.checkIssued(root), 'issued by the CA');
    assert.ok(leaf.verify(root.publicKey), 'signed by the CA key');
    assert.equal(leaf.ca, false);
    assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    assert.equal(leaf.subjectAltName, 'URI:spiffe://default/backend, URI:kuma://kuma.io/service/backend');

    const info = certificateInfo(issued.certPem);
    assert.deepEqual(info.uris, ['spiffe://default/backend', 'kuma://kuma.io/service/backend']);
    assert.equal(info.isCa, false);
    assert.ok(info.notBefore.getTime() <= now.getTime() - 59_000, 'backdated for clock skew');
    assert.ok(info.notBefore.getTime() > now.getTime() - 61_000);
    assert.ok(info.notAfter.getTime() > Date.now() && info.notAfter.getTime() <= now.getTime() + DAY_MS);
    assert.deepEqual([info.notBefore, info.notAfter], [issued.notBefore, issued.notAfter]);
    assert.equal(issued.chainPem, `${issued.certPem}${caMaterial.certPem}`);
    assert.match(issued.keyPem, /^-----BEGIN PRIVATE KEY-----/);
  });

  it('never outlives its CA', async () => {
    const shortCa = await loadCa(await createRootCa({ commonName: 'short', validForMs: 3600_000 }));
    const issued = await issueWorkloadCertificate(shortCa, { spiffeId: 'spiffe://short/a', validForMs: DAY_MS });
    assert.equal(issued.notAfter.getTime(), shortCa.notAfter.getTime());
  });

  it('refuses to issue from an expired CA', async () => {
    const old = await loadCa(
      await createRootCa({ commonName: 'old', validForMs: DAY_MS, now: new Date('2001-01-01T00:00:00Z') }),
    );
    await assert.rejects(
      issueWorkloadCertificate(old, { spiffeId: 'spiffe://old/a', validForMs: DAY_MS }),
      (err: unknown) => isStraitError(err, 'Invalid') && err.violations[0]?.field === 'ca.notAfter',
    );
  });

  it('rejects malformed SPIFFE IDs and URIs', async () => {
    for (const [options, field] of [
      [{ spiffeId: 'https://default/backend' }, 'spiffeId'],
      [{ spiffeId: 'spiffe://default' }, 'spiffeId'],
      [{ spiffeId: 'spiffe://default/a', extraUris: ['not a uri'] }, 'extraUris[0]'],
      [{ spiffeId: 'spiffe://default/a', dnsNames: ['bad name'] }, 'dnsNames[0]'],
    ] as const) {
      await assert.rejects(
        issueWorkloadCertificate(ca, { ...options, validForMs: DAY_MS }),
        (err: unknown) => isStraitError(err, 'Invalid') && err.violations[0]?.field === field,
      );
    }
  });

  it('issues 200 certificates quickly', async (t) => {
    const count = 200;
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      await issueWorkloadCertificate(ca, { spiffeId: `spiffe://default/svc-${i}`, validForMs: DAY_MS });
    }
    const sequentialMs = (performance.now() - started) / count;
    const startedConcurrent = performance.now();
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        issueWorkloadCertificate(ca, { spiffeId: `spiffe://default/svc-${i}`, validForMs: DAY_MS }),
      ),
    );
    const concurrentMs = (performance.now() - startedConcurrent) / count;
    t.diagnostic(
      `issue time per cert: ${sequentialMs.toFixed(2)} ms sequential, ${concurrentMs.toFixed(2)} ms concurrent`,
    );
    assert.ok(sequentialMs < 25, `${sequentialMs} ms per certificate`); // generous: CI machines vary
  });
});

describe('mutual TLS with workload certificates', () => {
  const servers: Server[] = [];
  after(() => {
    for (const server of servers) server.close();
  });

  async function startServer(
    identity: IssuedCertificate,
    trust: string,
  ): Promise<{ port: number; server: Server; accepted: string[] }> {
    const server = createServer({
      key: identity.keyPem,
      cert: identity.chainPem,
      ca: trust,
      requestCert: true,
      rejectUnauthorized: true,
    });
    const accepted: string[] = [];
    server.on('secureConnection', (socket: TLSSocket) => {
      accepted.push(socket.getPeerCertificate().subjectaltname ?? '');
      socket.end(socket.getPeerCertificate().subjectaltname ?? '');
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { port: (server.address() as AddressInfo).port, server, accepted };
  }

  /** Connects and returns what the server saw of us and what we saw of it, or the error. */
  async function exchange(
    port: number,
    identity: IssuedCertificate,
    trust: string,
  ): Promise<{ serverSaw: string; clientSaw: string } | { error: Error }> {
    const socket = connect({
      host: '127.0.0.1',
      port,
      key: identity.keyPem,
      cert: identity.chainPem,
      ca: trust,
      // Mesh peers are identified by URI SAN, not host name (Envoy matches SANs instead).
      checkServerIdentity: () => undefined,
    });
    const signal = AbortSignal.timeout(DEADLINE_MS);
    try {
      await once(socket, 'secureConnect', { signal });
      const clientSaw = socket.getPeerCertificate().subjectaltname ?? '';
      let serverSaw = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => {
        serverSaw += chunk;
      });
      await once(socket, 'end', { signal });
      return { serverSaw, clientSaw };
    } catch (err) {
      return { error: err as Error };
    } finally {
      socket.destroy();
    }
  }

  it('succeeds between two proxies of the mesh, each seeing the other SPIFFE ID', async () => {
    const backend = await issueWorkloadCertificate(ca, { spiffeId: 'spiffe://default/backend', validForMs: DAY_MS });
    const web = await issueWorkloadCertificate(ca, { spiffeId: 'spiffe://default/web', validForMs: DAY_MS });
    const { port } = await startServer(backend, ca.certPem);
    const result = await exchange(port, web, ca.certPem);
    assert.ok(!('error' in result), `handshake failed: ${'error' in result ? result.error.message : ''}`);
    assert.equal(result.serverSaw, 'URI:spiffe://default/web');
    assert.equal(result.clientSaw, 'URI:spiffe://default/backend');
  });

  it('refuses a client whose certificate comes from another CA', async () => {
    const backend = await issueWorkloadCertificate(ca, { spiffeId: 'spiffe://default/backend', validForMs: DAY_MS });
    const intruder = await issueWorkloadCertificate(foreignCa, {
      spiffeId: 'spiffe://default/web',
      validForMs: DAY_MS,
    });
    const { port, server, accepted } = await startServer(backend, ca.certPem);
    const refused = once(server, 'tlsClientError', { signal: AbortSignal.timeout(DEADLINE_MS) });
    const result = await exchange(port, intruder, ca.certPem);
    // With TLS 1.3 the client finishes its side before the server checks the client certificate,
    // so the refusal shows as an error or as a connection closed without a response.
    assert.ok('error' in result || result.serverSaw === '', 'the client must not get a response');
    await refused;
    assert.deepEqual(accepted, [], 'the server must not accept the connection');
  });

  it('refuses a server whose certificate comes from another CA', async () => {
    const impostor = await issueWorkloadCertificate(foreignCa, {
      spiffeId: 'spiffe://default/backend',
      validForMs: DAY_MS,
    });
    const web = await issueWorkloadCertificate(ca, { spiffeId: 'spiffe://default/web', validForMs: DAY_MS });
    const { port } = await startServer(impostor, ca.certPem);
    const result = await exchange(port, web, ca.certPem);
    assert.ok('error' in result, 'the client must refuse the server');
    assert.match((result.error as Error & { code?: string }).code ?? '', /UNABLE_TO_|CERT/);
  });
});
