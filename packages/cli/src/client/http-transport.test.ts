import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { isStraitError } from '@strait/shared';
import { createApiClient } from './api-client.js';

const testdata = new URL('../testdata/tls/', import.meta.url);
const cert = readFileSync(new URL('server.crt', testdata), 'utf8');
const key = readFileSync(new URL('server.key', testdata), 'utf8');

describe('https transport', () => {
  let server: Server;
  let baseUrl = '';
  before(async () => {
    server = createServer({ cert, key }, (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ product: 'Strait', path: req.url, auth: req.headers.authorization ?? null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('verifies the server against a custom CA', async () => {
    const client = createApiClient({ baseUrl, caCertPem: cert, authToken: 't' });
    assert.deepEqual(await client.get('/meshes'), { product: 'Strait', path: '/meshes', auth: 'Bearer t' });
  });

  it('accepts any certificate with skipVerify', async () => {
    const client = createApiClient({ baseUrl, skipVerify: true });
    assert.equal(((await client.get('/')) as { product: string }).product, 'Strait');
  });

  it('refuses an unknown certificate and says which flag fixes it', async () => {
    const client = createApiClient({ baseUrl });
    await assert.rejects(
      client.get('/'),
      (err) =>
        isStraitError(err, 'Unavailable') &&
        err.message.includes('SELF_SIGNED') &&
        err.message.includes('--ca-cert-file'),
    );
  });
});
