import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isStraitError } from '@strait/shared';
import { DEFAULT_CLI_CONFIG } from './cli-config.js';
import { clientOptionsFor, resolveConnection } from './connection.js';

const config = {
  current: 'prod',
  controlPlanes: [{ name: 'prod', address: 'https://cp:5682', authToken: 'ctx-token', caCertFile: '/ca.pem' }],
};

describe('resolveConnection', () => {
  it('uses the current context', () => {
    assert.deepEqual(resolveConnection({}, {}, config), {
      address: 'https://cp:5682',
      authToken: 'ctx-token',
      caCertFile: '/ca.pem',
      source: 'control plane "prod"',
    });
    assert.equal(resolveConnection({}, {}, DEFAULT_CLI_CONFIG).address, 'http://127.0.0.1:5681');
  });

  it('prefers --api-address over STRAIT_API_ADDRESS over the context, without the context’s credentials', () => {
    const env = { STRAIT_API_ADDRESS: 'http://env:5681' };
    assert.deepEqual(resolveConnection({}, env, config), { address: 'http://env:5681', source: 'STRAIT_API_ADDRESS' });
    assert.deepEqual(resolveConnection({ apiAddress: 'http://flag:5681' }, env, config), {
      address: 'http://flag:5681',
      source: '--api-address',
    });
  });

  it('prefers --auth-token over STRAIT_AUTH_TOKEN over the context’s token', () => {
    assert.equal(resolveConnection({}, { STRAIT_AUTH_TOKEN: 'env' }, config).authToken, 'env');
    assert.equal(resolveConnection({ authToken: 'flag' }, { STRAIT_AUTH_TOKEN: 'env' }, config).authToken, 'flag');
  });

  it('rejects an override that is not an http(s) URL', () => {
    assert.throws(
      () => resolveConnection({ apiAddress: 'localhost:5681' }, {}, config),
      (err) => isStraitError(err, 'Invalid') && err.message.includes('--api-address'),
    );
  });
});

describe('clientOptionsFor', () => {
  it('reads the token file (trimmed) and the CA file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strait-conn-'));
    try {
      await writeFile(join(dir, 'token'), 'abc.def.ghi\n');
      await writeFile(join(dir, 'ca.pem'), 'PEM');
      const options = await clientOptionsFor(
        {
          address: 'https://cp:5682',
          source: 'x',
          authTokenFile: join(dir, 'token'),
          caCertFile: join(dir, 'ca.pem'),
          skipVerify: true,
        },
        { apiTimeoutMs: 5000 },
      );
      assert.deepEqual(options, {
        baseUrl: 'https://cp:5682',
        authToken: 'abc.def.ghi',
        caCertPem: 'PEM',
        skipVerify: true,
        requestTimeoutMs: 5000,
      });
      await assert.rejects(
        clientOptionsFor({ address: 'http://x', source: 'x', caCertFile: join(dir, 'nope.pem') }, {}),
        (err) => isStraitError(err, 'Invalid') && err.message.includes('nope.pem'),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
