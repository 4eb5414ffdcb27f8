import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runKdsFanout } from './kds-fanout.js';

// Checks that the harness works end to end (a real global CP, real zone KDS clients over TLS with
// zone tokens, every policy round seen by every zone, every Dataplane stored on the global), not
// how fast: performance figures are never asserted beyond being measured at all.
describe('kds-fanout smoke', () => {
  it('fans 3 policy rounds out to 3 zones and syncs 200 Dataplanes up', { timeout: 60_000 }, async () => {
    const zones = 3;
    const rounds = 3;
    const dataplanes = 200;
    const result = await runKdsFanout({ zones, rounds, dataplanes, storeType: 'memory', quietMs: 300 });

    assert.ok(result.resourcesPerZone > 1, 'each zone received the mesh and its default policies');
    assert.equal(result.policy.missing, 0, 'every zone stored every round');
    assert.equal(result.policy.perZoneMs?.count, zones * rounds);
    assert.equal(result.policy.allZonesMs?.count, rounds);
    assert.ok((result.policy.perZoneMs?.p50 ?? 0) > 0);
    assert.ok((result.policy.allZonesMs?.max ?? 0) >= (result.policy.perZoneMs?.max ?? Infinity));

    assert.equal(result.sync.counted, dataplanes);
    assert.ok(result.sync.apiMs !== undefined && result.sync.apiMs > 0);
    assert.ok(result.sync.ackedMs !== undefined && result.sync.ackedMs > 0, 'the global ACKed every Dataplane');
    assert.ok(result.sync.responses >= 1);
    assert.ok(result.sync.firstSentMs !== undefined && result.sync.firstSentMs <= result.sync.ackedMs);

    assert.ok(result.memory.connected.rssKb > 0);
    assert.ok(result.cpu.rounds.globalMs > 0, 'the global did the fan-out work');
    assert.deepEqual(
      result.globalLogProblems.filter((p) => p.level !== 'warn'),
      [],
      'no errors in the global log',
    );
    assert.deepEqual(result.zoneLogProblems, [], 'no warnings or errors in the zones');
  });
});
