import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StraitError } from '../errors/strait-error.js';
import { checkProxyToken } from './proxy-token.js';

const web = { type: 'dataplane' as const, mesh: 'default', name: 'web-1', inboundTags: [{ 'kuma.io/service': 'web' }] };

function forbiddenFields(fn: () => void): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof StraitError && err.code === 'Forbidden');
    return err.violations.map((v) => v.field);
  }
  assert.fail('expected Forbidden');
}

describe('checkProxyToken', () => {
  it('accepts a token bound to the same name, mesh and tags', () => {
    checkProxyToken({ type: 'dataplane', mesh: 'default', name: 'web-1', tags: { 'kuma.io/service': ['web'] } }, web);
    checkProxyToken({ type: 'dataplane', mesh: 'default' }, web);
  });

  it('refuses another mesh, name, tag value or proxy type, naming each', () => {
    assert.deepEqual(
      forbiddenFields(() => checkProxyToken({ type: 'dataplane', mesh: 'other' }, web)),
      ['mesh'],
    );
    assert.deepEqual(
      forbiddenFields(() => checkProxyToken({ type: 'dataplane', mesh: 'default', name: 'x' }, web)),
      ['name'],
    );
    assert.deepEqual(
      forbiddenFields(() =>
        checkProxyToken({ type: 'dataplane', mesh: 'default', tags: { 'kuma.io/service': ['backend'] } }, web),
      ),
      ['networking.inbound[0].tags["kuma.io/service"]'],
    );
    assert.deepEqual(
      forbiddenFields(() => checkProxyToken({ type: 'ingress' }, web)),
      ['type'],
    );
  });
});
