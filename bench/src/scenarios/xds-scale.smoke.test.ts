import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runXdsScale } from './xds-scale.js';

// Checks that the harness works end to end (a real zone CP, real delta ADS streams, the policy
// change observed), not how fast: performance figures are never asserted.
describe('xds-scale smoke', () => {
  it('configures 20 proxies and delivers one policy change to all of them', { timeout: 60_000 }, async () => {
    const proxies = 20;
    const result = await runXdsScale({
      proxies,
      storeType: 'memory',
      firstConfigTimeoutMs: 20_000,
      policyTimeoutMs: 10_000,
      quietMs: 300,
    });
    assert.equal(result.firstConfig.timedOut, false);
    assert.equal(result.firstConfig.configured, proxies);
    assert.equal(result.firstConfig.perProxyMs?.count, proxies);
    assert.equal(result.policy.timedOut, false);
    assert.equal(result.policy.observed, proxies);
    assert.equal(result.policy.inboundChanged, proxies, 'every LDS update carries the inbound listener (RBAC)');
    assert.ok(result.memory.configuredKb > 0);
    assert.deepEqual(
      result.cpLogProblems.filter((p) => p.level !== 'warn'),
      [],
      'no errors in the CP log',
    );
  });
});
