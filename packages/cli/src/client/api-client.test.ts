import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { isStraitError } from '@strait/shared';
import { closedPort } from '../testing/closed-port.js';
import { createApiClient } from './api-client.js';
import type { HttpRequest, HttpResponse } from './http-transport.js';

/** A transport that answers from a table and records what it was asked. */
function fakeTransport(answer: (req: HttpRequest) => HttpResponse) {
  const requests: HttpRequest[] = [];
  const transport = async (req: HttpRequest) => {
    requests.push(req);
    return answer(req);
  };
  return { requests, transport };
}

const json = (status: number, body: unknown): HttpResponse => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(body),
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('createApiClient', () => {
  it('follows next across pages against its own base URL, keeping the filters', async () => {
    const { requests, transport } = fakeTransport((req) => {
      const offset = req.url.searchParams.get('offset');
      if (offset === null) return json(200, { items: [1, 2], total: 5, next: 'http://elsewhere:9999/meshes?offset=2' });
      if (offset === '2') return json(200, { items: [3, 4], total: 5, next: '/meshes?offset=4' });
      return json(200, { items: [5], total: 5, next: null });
    });
    const client = createApiClient({ baseUrl: 'http://cp:5681/', transport });
    assert.deepEqual(await client.listAll('/meshes', [['filter[labels.team]', 'a']]), [1, 2, 3, 4, 5]);
    assert.deepEqual(
      requests.map((r) => r.url.href),
      [
        'http://cp:5681/meshes?filter%5Blabels.team%5D=a',
        'http://cp:5681/meshes?filter%5Blabels.team%5D=a&offset=2',
        'http://cp:5681/meshes?filter%5Blabels.team%5D=a&offset=4',
      ],
    );
  });

  it('stops when a page is empty or next repeats itself', async () => {
    const { requests, transport } = fakeTransport(() => json(200, { items: [1], next: 'http://cp/meshes?offset=1' }));
    const client = createApiClient({ baseUrl: 'http://cp', transport });
    assert.deepEqual(await client.listAll('/meshes'), [1, 1]);
    assert.equal(requests.length, 2);
  });

  it('sends the bearer token, and JSON on PUT; tells created (201) from updated (200)', async () => {
    let status = 201;
    const { requests, transport } = fakeTransport(() => json(status, {}));
    const client = createApiClient({ baseUrl: 'http://cp', authToken: 'tok', transport });
    assert.equal((await client.put('/meshes/a', { type: 'Mesh', name: 'a' })).status, 201);
    status = 200;
    assert.equal((await client.put('/meshes/a', { type: 'Mesh', name: 'a' })).status, 200);
    const req = requests[0] ?? assert.fail();
    assert.equal(req.method, 'PUT');
    assert.equal(req.headers.authorization, 'Bearer tok');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(req.body ?? ''), { type: 'Mesh', name: 'a' });
  });

  it('maps error bodies to StraitError codes and violations', async () => {
    const body = {
      type: '/std-errors',
      status: 400,
      title: 'Could not process a resource',
      detail: 'Resource is not valid',
      instance: 'x',
      invalid_parameters: [{ field: 'spec.from[0].default.action', reason: 'must be Allow or Deny', source: 'body' }],
    };
    const statuses: Record<string, HttpResponse> = {
      '/bad': json(400, body),
      '/missing': json(404, { title: 'Not Found', detail: 'Mesh x not found' }),
      '/auth': json(401, { title: 'Invalid authentication data', detail: 'bad token' }),
      '/boom': { status: 502, contentType: 'text/html', body: '<html>bad gateway</html>' },
    };
    const { transport } = fakeTransport((req) => statuses[req.url.pathname] ?? json(500, {}));
    const client = createApiClient({ baseUrl: 'http://cp', transport });
    await assert.rejects(
      client.put('/bad', {}),
      (err) =>
        isStraitError(err, 'Invalid') &&
        err.message.includes('Resource is not valid') &&
        err.violations[0]?.field === 'spec.from[0].default.action',
    );
    await assert.rejects(client.get('/missing'), (err) => isStraitError(err, 'NotFound'));
    await assert.rejects(client.get('/auth'), (err) => isStraitError(err, 'Unauthenticated'));
    await assert.rejects(client.get('/boom'), (err) => isStraitError(err, 'Internal') && err.message.includes('502'));
  });

  it('explains an unreachable control plane', async () => {
    const port = await closedPort();
    const client = createApiClient({ baseUrl: `http://127.0.0.1:${port}` });
    await assert.rejects(
      client.get('/'),
      (err) =>
        isStraitError(err, 'Unavailable') &&
        err.message.startsWith(`cannot reach control plane at http://127.0.0.1:${port}: ECONNREFUSED`) &&
        err.message.includes('strait config control-planes list'),
    );
  });

  it('gives up after requestTimeoutMs', async () => {
    const server = createServer(() => {
      // never answers
    });
    const port = await listen(server);
    try {
      const client = createApiClient({ baseUrl: `http://127.0.0.1:${port}`, requestTimeoutMs: 100 });
      await assert.rejects(
        client.get('/'),
        (err) => isStraitError(err, 'Unavailable') && err.message.includes('no answer within 100ms'),
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
