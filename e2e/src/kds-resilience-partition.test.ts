/**
 * A zone cut off from the global for 60 s reconnects, and only what changed meanwhile travels:
 * the zone names what it holds (`initial_resource_versions`) and the global names what it holds
 * from the zone, so each side sends the difference. Resources on the wire are counted by the
 * CPs' own KDS counters on `/metrics` (`strait_kds_resources_{sent,received}_total`). A TCP
 * relay between the zone and the global cuts the connection and refuses new ones.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type GlobalCpProcess,
  type ProcessHandle,
  startGlobalCpProcess,
  startTcpRelay,
  type TcpRelay,
  waitFor,
  type ZoneCpProcess,
} from './harness/index.js';
import {
  counterValue,
  deleteMeshTimeout,
  differences,
  globalMeshTimeouts,
  json,
  kdsDeletes,
  putMeshTimeout,
  startFederatedZone,
  zoneGlobalMeshTimeouts,
  zoneToken,
} from './kds-resilience-kit.js';

const PARTITION_MS = 60_000;
const POLICIES = 200;
const DATAPLANES = 20;

describe('KDS resilience: a zone reconnecting after a 60 s partition', { concurrency: false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'strait-e2e-kds-partition-'));
  const processes: ProcessHandle[] = [];
  let global: GlobalCpProcess;
  let relay: TcpRelay;
  let zone: ZoneCpProcess;
  let globalDiagnostics: string;

  /** The KDS counters both CPs keep of one stream direction (all types, or one). */
  async function wire(direction: 'global-to-zone' | 'zone-to-global', type?: string) {
    const labels = (op: string) => ({ direction, op, ...(type === undefined ? {} : { type }) });
    const [sender, receiver] =
      direction === 'global-to-zone' ? [globalDiagnostics, zone.diagnostics] : [zone.diagnostics, globalDiagnostics];
    return {
      sentUpserts: await counterValue(sender, 'strait_kds_resources_sent_total', labels('upsert')),
      sentRemovals: await counterValue(sender, 'strait_kds_resources_sent_total', labels('remove')),
      receivedUpserts: await counterValue(receiver, 'strait_kds_resources_received_total', labels('upsert')),
      receivedRemovals: await counterValue(receiver, 'strait_kds_resources_received_total', labels('remove')),
    };
  }
  type Wire = Awaited<ReturnType<typeof wire>>;
  const minus = (a: Wire, b: Wire): Wire => ({
    sentUpserts: a.sentUpserts - b.sentUpserts,
    sentRemovals: a.sentRemovals - b.sentRemovals,
    receivedUpserts: a.receivedUpserts - b.receivedUpserts,
    receivedRemovals: a.receivedRemovals - b.receivedRemovals,
  });

  async function putDataplane(name: string, port: number): Promise<void> {
    const dataplane = {
      type: 'Dataplane',
      mesh: 'default',
      name,
      networking: { address: '127.0.0.1', inbound: [{ port, tags: { 'kuma.io/service': name } }] },
    };
    const res = await fetch(`${zone.api}/meshes/default/dataplanes/${name}`, { method: 'PUT', ...json(dataplane) });
    assert.equal(res.status, 201);
  }

  async function globalDataplaneCount(): Promise<number> {
    const res = await fetch(`${global.api}/meshes/default/dataplanes?filter[labels.kuma.io/zone]=zone-1`);
    return ((await res.json()) as { total: number }).total;
  }

  async function converged(): Promise<boolean> {
    const diff = differences(await globalMeshTimeouts(global), await zoneGlobalMeshTimeouts(zone));
    if (diff.length > 0) throw new Error(`zone differs on ${diff.length}: ${diff.slice(0, 5).join(', ')}`);
    return true;
  }

  before(async () => {
    global = await startGlobalCpProcess('global-cp', join(dir, 'global'));
    processes.push(global.handle);
    globalDiagnostics = `http://127.0.0.1:${global.ports.diagnostics}`;
    relay = await startTcpRelay(global.ports.kds);
    zone = await startFederatedZone(dir, 'zone-1', global, await zoneToken(global, 'zone-1'), {
      kdsAddress: `grpcs://127.0.0.1:${relay.port}`,
    });
    processes.push(zone.handle);
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.killGroup()));
    await relay?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends only what changed during the partition, both ways, and converges', async (t) => {
    for (let i = 0; i < POLICIES; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, j) =>
          assert.equal(await putMeshTimeout(global.api, `p-${i + j}`, '1s'), 201),
        ),
      );
    }
    for (let i = 0; i < DATAPLANES; i++) await putDataplane(`dp-${i}`, 20_000 + i);
    await waitFor(converged, { timeoutMs: 30_000, intervalMs: 250, what: 'the zone to hold the 200 policies' });
    await waitFor(async () => (await globalDataplaneCount()) === DATAPLANES, {
      timeoutMs: 30_000,
      what: "the zone's dataplanes on the global",
    });
    const initialDown = await wire('global-to-zone', 'MeshTimeout');
    assert.ok(initialDown.receivedUpserts >= POLICIES, `the first sync carried ${initialDown.receivedUpserts}`);
    const initialBytes = relay.bytes.toClient;

    const partitionedAt = Date.now();
    relay.partition();
    await zone.handle.waitForLog(
      'KDS connection to the global ended',
      (l) => Date.parse(String(l.time)) >= partitionedAt,
    );
    const down0 = await wire('global-to-zone');
    const downPolicies0 = await wire('global-to-zone', 'MeshTimeout');
    const up0 = await wire('zone-to-global');
    const bytes0 = { ...relay.bytes };

    // Meanwhile, on both sides: 3 updates, 2 creates and 1 delete on the global; 1 new Dataplane in the zone.
    for (const name of ['p-0', 'p-1', 'p-2']) assert.equal(await putMeshTimeout(global.api, name, '2s'), 200);
    for (const name of ['new-0', 'new-1']) assert.equal(await putMeshTimeout(global.api, name, '3s'), 201);
    assert.equal(await deleteMeshTimeout(global.api, 'p-3'), 200);
    await putDataplane('dp-new', 21_000);
    // The partition's length is the scenario itself, not a wait for something to happen.
    await delay(Math.max(0, partitionedAt + PARTITION_MS - Date.now()));
    assert.ok(relay.bytes.toClient === bytes0.toClient, 'nothing crossed the partition');
    relay.heal();

    await waitFor(converged, { timeoutMs: 60_000, intervalMs: 250, what: 'the zone to converge after the partition' });
    await waitFor(async () => (await globalDataplaneCount()) === DATAPLANES + 1, {
      timeoutMs: 30_000,
      what: 'the Dataplane created during the partition on the global',
    });

    const down = minus(await wire('global-to-zone'), down0);
    const downPolicies = minus(await wire('global-to-zone', 'MeshTimeout'), downPolicies0);
    const up = minus(await wire('zone-to-global'), up0);
    t.diagnostic(`global → zone after the partition: ${JSON.stringify(down)}; zone → global: ${JSON.stringify(up)}`);
    t.diagnostic(
      `bytes global → zone: first sync ${initialBytes}, after the partition ${relay.bytes.toClient - bytes0.toClient}`,
    );
    // Exactly the changes, and nothing of the other types (Mesh, Secrets, …) either.
    assert.deepEqual(downPolicies, { sentUpserts: 5, sentRemovals: 1, receivedUpserts: 5, receivedRemovals: 1 });
    assert.deepEqual(down, downPolicies, 'only MeshTimeouts travelled down');
    assert.deepEqual(up, { sentUpserts: 1, sentRemovals: 0, receivedUpserts: 1, receivedRemovals: 0 });
    assert.deepEqual(
      kdsDeletes([zone.handle]).map((d) => d.displayName),
      ['p-3'],
      'the zone deleted only what the global deleted',
    );
  });
});
