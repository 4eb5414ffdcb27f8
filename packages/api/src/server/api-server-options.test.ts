import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinRegistry, createMemoryStore, isStraitError, silentLogger } from '@strait/shared';
import { type ApiServerOptions, resolveApiServerOptions } from './api-server-options.js';

const valid: ApiServerOptions = {
  store: createMemoryStore(),
  registry: builtinRegistry,
  logger: silentLogger(),
  mode: 'zone',
  instanceId: 'i-1',
  clusterId: 'c-1',
  version: '1.0.0',
};

function violationsOf(options: unknown): string[] {
  try {
    resolveApiServerOptions(options as ApiServerOptions);
  } catch (err) {
    assert.ok(isStraitError(err, 'Invalid'));
    return err.violations.map((v) => v.field);
  }
  return [];
}

describe('resolveApiServerOptions', () => {
  it('fills defaults and freezes', () => {
    const o = resolveApiServerOptions(valid);
    assert.equal(o.federated, false);
    assert.equal(o.maxBodyBytes, 4 * 1024 * 1024);
    assert.equal(o.guiPath, '/gui');
    assert.equal(typeof o.hostname, 'string');
    assert.ok(Object.isFrozen(o));
    assert.ok(Object.isFrozen(o.auth));
  });

  it('names every invalid option', () => {
    assert.deepEqual(violationsOf({ ...valid, mode: 'both', maxBodyBytes: 10, instanceId: '' }), [
      'mode',
      'instanceId',
      'maxBodyBytes',
    ]);
    assert.deepEqual(violationsOf({ ...valid, mode: 'global', federated: true }), ['federated']);
    assert.deepEqual(violationsOf({ ...valid, store: {}, auth: { tokens: {}, localhostIsAdmin: 'yes' } }), [
      'store',
      'auth.tokens',
      'auth.localhostIsAdmin',
    ]);
    assert.deepEqual(violationsOf({ ...valid, routes: 'not a function' }), ['routes']);
  });
});
