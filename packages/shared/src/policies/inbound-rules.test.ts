import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInboundRules, foldCatchAll } from './inbound-rules.js';
import { policy } from './test-fixtures.js';

describe('buildInboundRules', () => {
  const low = policy('MeshTimeout', 'low', {
    rules: [
      { default: { idleTimeout: '1h', connectionTimeout: '5s' } },
      {
        matches: [{ sni: { type: 'Exact', value: 'a.mesh' } }, { spiffeID: { type: 'Prefix', value: 'spiffe://m/' } }],
        default: { idleTimeout: '2m' },
      },
    ],
  });
  const high = policy('MeshTimeout', 'high', {
    rules: [
      { matches: [{ spiffeID: { type: 'Exact', value: 'spiffe://m/web' } }], default: { idleTimeout: '3m' } },
      { default: { idleTimeout: '30m' } },
    ],
  });

  it('keeps one entry per match, sorted exact, prefix, SNI, then catch-all, stable in fold order', () => {
    const got = buildInboundRules([low, high]);
    assert.deepEqual(
      got.map((r) => [r.origin, r.matches, r.conf]),
      [
        ['high', [{ spiffeID: { type: 'Exact', value: 'spiffe://m/web' } }], { idleTimeout: '3m' }],
        ['low', [{ spiffeID: { type: 'Prefix', value: 'spiffe://m/' } }], { idleTimeout: '2m' }],
        ['low', [{ sni: { type: 'Exact', value: 'a.mesh' } }], { idleTimeout: '2m' }],
        ['low', [], { idleTimeout: '1h', connectionTimeout: '5s' }],
        ['high', [], { idleTimeout: '30m' }],
      ],
    );
  });

  it('folds the catch-all entries in order', () => {
    assert.deepEqual(foldCatchAll(buildInboundRules([low, high])), { idleTimeout: '30m', connectionTimeout: '5s' });
    assert.equal(foldCatchAll([]), undefined);
  });
});
