import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore, isStraitError, silentLogger } from '@strait/shared';
import { createZoneInsightWriter } from './zone-insight-writer.js';
import { createZoneRegistry } from './zone-registry.js';

interface InsightSpec {
  subscriptions: Array<{
    disconnectTime?: string;
    status: { total: { responsesRejected: number }; lastNack?: { message: string } };
  }>;
}

describe('zone registry', () => {
  it('creates a Zone on first connect and refuses a disabled one', async () => {
    const store = createMemoryStore();
    const registry = createZoneRegistry(store, silentLogger());
    await registry.admit('zone-1');
    assert.equal((await store.get({ type: 'Zone', name: 'zone-1' }))?.meta.name, 'zone-1');
    await registry.admit('zone-1'); // idempotent
    await store.update({ type: 'Zone', name: 'zone-1', labels: {}, spec: { enabled: false } });
    await assert.rejects(registry.admit('zone-1'), (err: unknown) => isStraitError(err, 'Forbidden'));
    assert.equal(await registry.isEnabled('zone-1'), false);
  });
});

describe('zone insight writer', () => {
  it('records the stream, counters and last NACK; marks a silent zone offline', async () => {
    const store = createMemoryStore();
    await createZoneRegistry(store, silentLogger()).admit('zone-1');
    const offline: string[] = [];
    let now = Date.now();
    const writer = createZoneInsightWriter({
      store,
      logger: silentLogger(),
      instanceId: 'global-1',
      offlineAfterMs: 200,
      flushIntervalMs: 60_000, // flushed by hand below
      onOffline: (z) => offline.push(z),
      nowMs: () => now,
    });
    await writer.start(new AbortController().signal);
    writer.connected('zone-1', { version: '0.1.0' });
    writer.sent('zone-1', 'Mesh', 2);
    writer.nacked('zone-1', 'Mesh', 'bad mesh');
    await writer.flush();
    const spec = (await store.get({ type: 'ZoneInsight', name: 'zone-1' }))?.spec as InsightSpec;
    assert.equal(spec.subscriptions.length, 1);
    assert.equal(spec.subscriptions[0]?.disconnectTime, undefined);
    assert.equal(spec.subscriptions[0]?.status.total.responsesRejected, 1);
    assert.equal(spec.subscriptions[0]?.status.lastNack?.message, 'bad mesh');

    now += 150;
    writer.heartbeat('zone-1'); // a heartbeat keeps it online
    now += 150;
    await writer.flush();
    const alive = (await store.get({ type: 'ZoneInsight', name: 'zone-1' }))?.spec as InsightSpec;
    assert.equal(alive.subscriptions[0]?.disconnectTime, undefined);
    now += 250; // silent for longer than offlineAfterMs
    await writer.flush();
    const after = (await store.get({ type: 'ZoneInsight', name: 'zone-1' }))?.spec as InsightSpec;
    assert.notEqual(after.subscriptions[0]?.disconnectTime, undefined);
    assert.deepEqual(offline, ['zone-1']);
    await writer.stop();
  });

  it('deleting the Zone removes its insight (owner cascade)', async () => {
    const store = createMemoryStore();
    await createZoneRegistry(store, silentLogger()).admit('zone-2');
    const writer = createZoneInsightWriter({ store, logger: silentLogger(), instanceId: 'g', flushIntervalMs: 60_000 });
    writer.connected('zone-2', {});
    await writer.flush();
    await store.delete({ type: 'Zone', name: 'zone-2' });
    assert.equal(await store.get({ type: 'ZoneInsight', name: 'zone-2' }), undefined);
  });
});
