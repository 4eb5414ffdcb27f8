/** The global → zone flow driving a real delta sender: withholding a disabled zone's copies. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeltaDiscoveryResponse } from '@strait/proto/envoy';
import type { ResourceInput } from '../model/resource.js';
import { builtinRegistry } from '../resources/index.js';
import { createMemoryStore } from '../store/memory-store.js';
import { createDeltaSender } from './delta-sender.js';
import { globalToZoneSendFlow } from './global-to-zone-flow.js';
import type { ZoneSet } from './kds-flow.js';
import { kdsHashedName } from './kds-hashed-name.js';
import { ack, subscribe, testLog, testSync, waitFor } from './kds-test-helpers.js';

/** A ZoneIngress as the global stores it after `zone` synced it up. */
function ingressOf(zone: string, name: string): ResourceInput {
  return {
    type: 'ZoneIngress',
    name: kdsHashedName('', name, zone),
    labels: { 'kuma.io/origin': 'zone', 'kuma.io/zone': zone, 'kuma.io/display-name': name },
    spec: { networking: { address: '10.0.0.9', port: 10001, advertisedAddress: '1.2.3.4', advertisedPort: 10001 } },
  };
}

/** A zone set a test flips by hand. */
function zoneSet(): ZoneSet & { set(zone: string, on: boolean): void } {
  const zones = new Set<string>();
  const listeners = new Set<() => void>();
  return {
    has: (zone) => zones.has(zone),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(zone, on) {
      if (on) zones.add(zone);
      else zones.delete(zone);
      for (const listener of listeners) listener();
    },
  };
}

describe('global → zone flow with a delta sender', () => {
  it('removes a disabled zone’s copies from the others, withholds its new ones, and sends them again once enabled', async () => {
    const store = createMemoryStore();
    await store.create(ingressOf('zone-2', 'ingress-a'));
    await store.create(ingressOf('zone-3', 'ingress-b'));
    const withheld = zoneSet();
    const written: DeltaDiscoveryResponse[] = [];
    const sender = createDeltaSender({
      store,
      flow: globalToZoneSendFlow({ registry: builtinRegistry, zone: 'zone-1', withheldZones: withheld }),
      sync: testSync(),
      log: testLog,
      events: {},
      write: (response) => {
        written.push(response);
        return true;
      },
    });
    /** The next ZoneIngress response, ACKed. */
    const next = async (what: string): Promise<DeltaDiscoveryResponse> => {
      const seen = written.length;
      const response = await waitFor(what, () => written.slice(seen).find((r) => r.typeUrl === 'ZoneIngress'));
      sender.handleRequest(ack(response));
      return response;
    };
    const a = kdsHashedName('', 'ingress-a', 'zone-2');
    const b = kdsHashedName('', 'ingress-b', 'zone-3');
    const c = kdsHashedName('', 'ingress-c', 'zone-2');
    try {
      const initial = next('the initial ingresses');
      sender.handleRequest(subscribe('ZoneIngress'));
      assert.deepEqual((await initial).resources.map((r) => r.name).sort(), [a, b].sort());

      const removal = next('the removal of zone-2’s ingress');
      withheld.set('zone-2', true);
      const removed = await removal;
      assert.deepEqual(removed.removedResources, [a]);
      assert.deepEqual(removed.resources, [], 'nothing else is resent');

      // While zone-2 is disabled, what it syncs up stays on the global only.
      const sentBefore = written.length;
      await store.create(ingressOf('zone-2', 'ingress-c'));
      const update = next('the update of zone-3’s ingress');
      const moved = ingressOf('zone-3', 'ingress-b');
      await store.update({ ...moved, spec: { networking: { address: '10.0.0.10', port: 10001 } } });
      const updated = await update;
      assert.deepEqual(
        written.slice(sentBefore).flatMap((r) => r.resources.map((x) => x.name)),
        [b],
        'zone-2’s new ingress was not sent',
      );
      assert.deepEqual(updated.removedResources, []);

      const resend = next('zone-2’s ingresses again');
      withheld.set('zone-2', false);
      const back = await resend;
      assert.deepEqual(back.resources.map((r) => r.name).sort(), [a, c].sort());
      assert.deepEqual(back.removedResources, []);
    } finally {
      sender.close();
    }
  });
});
