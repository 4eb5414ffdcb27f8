import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createSelfSignedServerCertificate, type ServerCertificate } from '../ca/server-cert.js';
import { isStraitError } from '../errors/strait-error.js';
import { createLogger, silentLogger } from '../logging/logger.js';
import { parseCpAddress } from './cp-address.js';
import { deregisterProxy } from './deregister.js';
import { fetchBootstrap } from './fetch-bootstrap.js';

/** One answer of the fake control plane: status and JSON body, or `hang` to never answer. */
type Answer = { status: number; body: unknown } | 'hang';

interface FakeCp {
  readonly server: Server;
  readonly address: URL;
  readonly requests: { path: string; body: Record<string, unknown> }[];
  /** Answers served in order; the last one repeats. */
  answers: Answer[];
}

const servers: Server[] = [];
let tls: ServerCertificate;

before(async () => {
  tls = await createSelfSignedServerCertificate();
});
after(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

async function startFakeCp(answers: Answer[]): Promise<FakeCp> {
  const requests: FakeCp['requests'] = [];
  const cp = { requests, answers } as FakeCp;
  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, async (req, res) => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    requests.push({ path: req.url ?? '', body: JSON.parse(text) as Record<string, unknown> });
    const answer = cp.answers[Math.min(requests.length, cp.answers.length) - 1];
    if (answer === undefined || answer === 'hang') return;
    const problem = answer.status >= 400;
    res.writeHead(answer.status, { 'content-type': problem ? 'application/problem+json' : 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return Object.assign(cp, { server, address: parseCpAddress(`https://localhost:${port}`) });
}

const DATAPLANE = {
  type: 'Dataplane',
  mesh: 'default',
  name: 'web-1',
  networking: { address: '127.0.0.1', inbound: [{ port: 8080, tags: { 'kuma.io/service': 'web' } }] },
};
const BOOTSTRAP = { node: { id: 'default.web-1' }, admin: {} };

function options(cp: FakeCp, extra: Record<string, unknown> = {}) {
  return {
    cpAddress: cp.address,
    caCertPem: tls.caPem,
    proxyType: 'dataplane' as const,
    resource: DATAPLANE,
    token: 'secret-token',
    envoyVersion: '1.40.0',
    logger: silentLogger(),
    retryBackoffMs: 5,
    maxRetryBackoffMs: 20,
    retryJitter: 0,
    maxAttempts: 3,
    requestTimeoutMs: 2_000,
    ...extra,
  };
}

function problem(status: number, title: string, detail: string, extra: Record<string, unknown> = {}): Answer {
  return { status, body: { type: 'about:blank', status, title, detail, ...extra } };
}

describe('fetchBootstrap', () => {
  it('registers the resource with the token and returns the bootstrap', async () => {
    const cp = await startFakeCp([{ status: 200, body: { bootstrap: BOOTSTRAP, resource: DATAPLANE } }]);
    const result = await fetchBootstrap(options(cp));
    assert.deepEqual(result, { bootstrap: BOOTSTRAP, resource: DATAPLANE });
    assert.deepEqual(cp.requests, [
      {
        path: '/bootstrap',
        body: { proxyType: 'dataplane', resource: DATAPLANE, token: 'secret-token', envoyVersion: '1.40.0' },
      },
    ]);
  });

  it('maps 401 to Unauthenticated with the server detail, without retrying', async () => {
    const cp = await startFakeCp([problem(401, 'Unauthorized', 'token expired')]);
    await assert.rejects(
      fetchBootstrap(options(cp)),
      (err: unknown) => isStraitError(err, 'Unauthenticated') && err.message.includes('token expired'),
    );
    assert.equal(cp.requests.length, 1);
  });

  it('maps 403 to Forbidden', async () => {
    const cp = await startFakeCp([problem(403, 'Forbidden', 'token is for web-2')]);
    await assert.rejects(fetchBootstrap(options(cp)), (err: unknown) => isStraitError(err, 'Forbidden'));
  });

  it('maps 400 to Invalid with the fields the server named', async () => {
    const cp = await startFakeCp([
      problem(400, 'Bad Request', 'invalid Dataplane', {
        invalid_parameters: [{ field: 'networking.inbound[0].port', reason: 'must be set', source: 'body' }],
      }),
    ]);
    await assert.rejects(fetchBootstrap(options(cp)), (err: unknown) => {
      assert.ok(isStraitError(err, 'Invalid'));
      assert.deepEqual(err.violations, [{ field: 'networking.inbound[0].port', reason: 'must be set' }]);
      return true;
    });
    assert.equal(cp.requests.length, 1);
  });

  it('retries a 503 and logs each failed attempt', async () => {
    const cp = await startFakeCp([
      problem(503, 'Service Unavailable', 'starting'),
      { status: 200, body: { bootstrap: BOOTSTRAP, resource: DATAPLANE } },
    ]);
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const result = await fetchBootstrap(options(cp, { logger: createLogger({ destination }) }));
    assert.deepEqual(result.bootstrap, BOOTSTRAP);
    assert.equal(cp.requests.length, 2);
    const warnings = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 'warn');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.attempt, 1);
    assert.ok(!lines.join('').includes('secret-token'), 'the token must never be logged');
  });

  it('gives up with Unavailable after maxAttempts of 5xx', async () => {
    const cp = await startFakeCp([problem(500, 'Internal Server Error', 'store down')]);
    await assert.rejects(
      fetchBootstrap(options(cp)),
      (err: unknown) => isStraitError(err, 'Unavailable') && err.message.includes('store down'),
    );
    assert.equal(cp.requests.length, 3);
  });

  it('retries a request that times out', async () => {
    const cp = await startFakeCp(['hang', { status: 200, body: { bootstrap: BOOTSTRAP } }]);
    const result = await fetchBootstrap(options(cp, { requestTimeoutMs: 200 }));
    assert.deepEqual(result, { bootstrap: BOOTSTRAP, resource: DATAPLANE });
    assert.equal(cp.requests.length, 2);
  });

  it('fails at once with a TLS error that names --ca-cert-file when the CA does not match', async () => {
    const cp = await startFakeCp([{ status: 200, body: { bootstrap: BOOTSTRAP } }]);
    const other = await createSelfSignedServerCertificate();
    await assert.rejects(
      fetchBootstrap(options(cp, { caCertPem: other.caPem })),
      (err: unknown) =>
        isStraitError(err, 'Unavailable') &&
        err.message.includes('--ca-cert-file') &&
        (err.cause as { code?: string }).code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
    assert.equal(cp.requests.length, 0);
  });

  it('verifies against the system trust store without a CA, refusing a self-signed CP', async () => {
    const cp = await startFakeCp([{ status: 200, body: { bootstrap: BOOTSTRAP } }]);
    const { caCertPem: _, ...withoutCa } = options(cp);
    await assert.rejects(
      fetchBootstrap(withoutCa),
      (err: unknown) => isStraitError(err, 'Unavailable') && err.message.includes('--ca-cert-file'),
    );
    assert.equal(cp.requests.length, 0);
  });

  it('retries an unreachable CP, then fails with Unavailable', async () => {
    const cp = await startFakeCp([]);
    const address = cp.address;
    cp.server.close();
    await once(cp.server, 'close');
    await assert.rejects(
      fetchBootstrap(options(cp, { cpAddress: address })),
      (err: unknown) => isStraitError(err, 'Unavailable') && err.message.includes('gave up after 3 attempts'),
    );
  });

  it('rejects an answer without a bootstrap object as Internal', async () => {
    const cp = await startFakeCp([{ status: 200, body: { resource: DATAPLANE } }]);
    await assert.rejects(fetchBootstrap(options(cp)), (err: unknown) => isStraitError(err, 'Internal'));
  });
});

describe('deregisterProxy', () => {
  it('posts proxy type, mesh, name and token to /deregister', async () => {
    const cp = await startFakeCp([{ status: 200, body: {} }]);
    await deregisterProxy({ ...options(cp), mesh: 'default', name: 'web-1' });
    assert.deepEqual(cp.requests, [
      { path: '/deregister', body: { proxyType: 'dataplane', mesh: 'default', name: 'web-1', token: 'secret-token' } },
    ]);
  });
});

describe('parseCpAddress', () => {
  it('defaults the port to 5678 and refuses plain http', () => {
    assert.equal(parseCpAddress('https://cp.example').port, '5678');
    assert.throws(
      () => parseCpAddress('http://cp.example:5678'),
      (err: unknown) => isStraitError(err, 'Invalid') && err.violations[0]?.field === 'cpAddress',
    );
  });
});
