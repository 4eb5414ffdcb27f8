/**
 * The insight writer against a real (memory) store: a pass over many dirty insights lets the
 * event loop run between slices, a proxy that reconnects while a pass is under way keeps its new
 * stream's subscription, and stopping in the middle of a paced pass still writes everything.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore, type ResourceStore, silentLogger } from '@strait/shared';
import { createProxyInsightWriter, type ProxyInsightWriter } from './proxy-insight-writer.js';

const LDS = 'type.googleapis.com/envoy.config.listener.v3.Listener';

interface Sub {
  readonly id: string;
  readonly disconnectTime?: string;
  readonly status: { readonly lds: { readonly responsesAcknowledged: number } };
}

/** A store with mesh `default` and `count` Dataplanes `dp-0`…, and a counter of insight writes. */
async function storeWith(count: number): Promise<{ store: ResourceStore; writes: () => number }> {
  const store = createMemoryStore();
  await store.create({ type: 'Mesh', name: 'default', spec: {} });
  for (let i = 0; i < count; i++) {
    await store.create({
      type: 'Dataplane',
      mesh: 'default',
      name: `dp-${i}`,
      spec: { networking: { address: '127.0.0.1', inbound: [{ port: 8080, tags: { 'kuma.io/service': 'web' } }] } },
    });
  }
  let writes = 0;
  store.subscribe((event) => {
    if (event.key.type === 'DataplaneInsight') writes++;
  });
  return { store, writes: () => writes };
}

const owner = (i: number) => ({ type: 'Dataplane', mesh: 'default', name: `dp-${i}` });

function openAll(insights: ProxyInsightWriter, count: number): void {
  for (let i = 0; i < count; i++) insights.opened(`p-${i}`, owner(i), { connectTime: new Date() });
}

async function subscriptions(store: ResourceStore, i: number): Promise<readonly Sub[]> {
  const insight = await store.get({ type: 'DataplaneInsight', mesh: 'default', name: `dp-${i}` });
  return (insight?.spec as { subscriptions?: Sub[] } | undefined)?.subscriptions ?? [];
}

describe('proxy insight writer', () => {
  it('writes every dirty insight in one flush, letting the event loop run between slices', async () => {
    const { store, writes } = await storeWith(60);
    const insights = createProxyInsightWriter({ store, logger: silentLogger(), instanceId: 'cp-1' });
    openAll(insights, 60);
    let writtenWhenLoopRan = -1;
    setImmediate(() => {
      writtenWhenLoopRan = writes();
    });
    await insights.flush();
    assert.equal(writes(), 60);
    assert.ok(
      writtenWhenLoopRan >= 0 && writtenWhenLoopRan < 60,
      `the event loop ran only after ${writtenWhenLoopRan} of 60 writes`,
    );
  });

  it("keeps a reconnected proxy's new subscription when its old stream's close is written in the same pass", async () => {
    const { store } = await storeWith(60);
    const insights = createProxyInsightWriter({ store, logger: silentLogger(), instanceId: 'cp-1' });
    openAll(insights, 60);
    await insights.flush();
    for (let i = 0; i < 60; i++) insights.acked(`p-${i}`, LDS);
    insights.closed('p-59'); // the last one the pass comes to, after it has yielded
    setImmediate(() => insights.opened('p-59', owner(59), { connectTime: new Date() }));
    await insights.flush();
    insights.acked('p-59', LDS);
    await insights.flush();

    const subs = await subscriptions(store, 59);
    assert.equal(subs.length, 2);
    assert.ok(subs[0]?.disconnectTime !== undefined, 'the old stream is recorded as closed');
    assert.equal(subs[1]?.disconnectTime, undefined);
    assert.equal(subs[1]?.status.lds.responsesAcknowledged, 1);
  });

  it('writes everything when stopped in the middle of a paced pass', async () => {
    const count = 200;
    const { store, writes } = await storeWith(count);
    const insights = createProxyInsightWriter({
      store,
      logger: silentLogger(),
      instanceId: 'cp-1',
      flushIntervalMs: 5,
    });
    await insights.start(new AbortController().signal);
    openAll(insights, count);
    const deadline = Date.now() + 10_000;
    while (writes() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
    assert.ok(writes() > 0, 'the timer started a pass');
    await insights.stop();
    for (let i = 0; i < count; i++) {
      const subs = await subscriptions(store, i);
      assert.equal(subs.length, 1, `dp-${i} has its subscription`);
      assert.ok(subs[0]?.disconnectTime !== undefined, `dp-${i}'s subscription is closed`);
    }
  });
});
