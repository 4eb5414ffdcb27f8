/**
 * KDS resilience with a global and three zone CPs as real processes (SQLite stores):
 * fan-out latency, a `kill -9` of the global in the middle of a write burst, and a zone CP
 * restarted while the global is down. Every delete a zone applies from KDS is logged by the
 * zone ("KDS deleted a resource the peer removed"); the tests read those lines to prove that no
 * zone ever deleted something that still exists on the global.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kdsHashedName } from '@strait/shared';
import {
  type GlobalCpProcess,
  type ProcessHandle,
  startGlobalCpProcess,
  waitFor,
  type ZoneCpProcess,
} from './harness/index.js';
import {
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

const ZONES = ['zone-1', 'zone-2', 'zone-3'] as const;

describe('KDS resilience: global restarts (a global and three zone CPs)', { concurrency: false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'strait-e2e-kds-restart-'));
  const everyProcess: ProcessHandle[] = [];
  /** Each zone's successive processes, to read all the deletes it ever logged. */
  const zoneHistory = new Map<string, ProcessHandle[]>();
  const tokens = new Map<string, string>();
  let global: GlobalCpProcess;
  const zones = new Map<string, ZoneCpProcess>();

  async function startGlobal(): Promise<GlobalCpProcess> {
    const name = `global-cp-${everyProcess.length}`;
    global = await startGlobalCpProcess(name, join(dir, 'global'), global?.ports);
    everyProcess.push(global.handle);
    return global;
  }

  async function startZone(name: string): Promise<ZoneCpProcess> {
    const previous = zones.get(name);
    const zone = await startFederatedZone(dir, name, global, tokens.get(name) as string, {
      ...(previous === undefined ? {} : { ports: previous.ports }),
    });
    zones.set(name, zone);
    everyProcess.push(zone.handle);
    zoneHistory.set(name, [...(zoneHistory.get(name) ?? []), zone.handle]);
    return zone;
  }

  /** Waits until every zone holds exactly the global's MeshTimeouts (display name + spec). */
  async function waitForConvergence(what: string, timeoutMs = 60_000): Promise<Map<string, string>> {
    let upstream = new Map<string, string>();
    await waitFor(
      async () => {
        upstream = await globalMeshTimeouts(global);
        for (const [name, zone] of zones) {
          const diff = differences(upstream, await zoneGlobalMeshTimeouts(zone));
          if (diff.length > 0) throw new Error(`${name} differs on ${diff.length}: ${diff.slice(0, 5).join(', ')}`);
        }
        return true;
      },
      { timeoutMs, intervalMs: 250, what },
    );
    return upstream;
  }

  /**
   * Asserts that no zone ever deleted something the global still has (only MeshTimeouts are ever
   * deleted on the global here, so a delete of any other type is spurious too); returns the
   * display names of the deleted MeshTimeouts per zone.
   */
  function assertNoSpuriousDeletes(upstream: ReadonlyMap<string, string>): Map<string, Set<string>> {
    const seen = new Map<string, Set<string>>();
    for (const name of ZONES) {
      const deletes = kdsDeletes(zoneHistory.get(name) ?? []);
      const spurious = deletes.filter(
        (d) => d.type !== 'MeshTimeout' || d.displayName === undefined || upstream.has(d.displayName),
      );
      assert.deepEqual(spurious, [], `${name} deleted resources that still exist on the global`);
      seen.set(name, new Set(deletes.map((d) => d.displayName as string)));
    }
    return seen;
  }

  before(async () => {
    await startGlobal();
    for (const name of ZONES) tokens.set(name, await zoneToken(global, name));
    for (const name of ZONES) await startZone(name);
  });
  after(async () => {
    await Promise.all(everyProcess.map((p) => p.killGroup()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a policy applied on the global reaches all three zones within 1 s', async (t) => {
    const samples: number[][] = [];
    for (let i = 0; i < 5; i++) {
      const name = `fanout-${i}`;
      const zoneName = kdsHashedName('default', name);
      assert.equal(await putMeshTimeout(global.api, name, `${10 + i}s`), 201);
      const putAt = performance.now();
      const latencies = await Promise.all(
        [...zones.values()].map((zone) =>
          waitFor(
            async () => {
              const res = await fetch(`${zone.api}/meshes/default/meshtimeouts/${zoneName}`);
              await res.arrayBuffer();
              return res.status === 200 ? performance.now() - putAt : undefined;
            },
            { timeoutMs: 10_000, intervalMs: 20, what: `${name} to reach ${zone.handle.name}` },
          ),
        ),
      );
      samples.push(latencies.map(Math.round));
    }
    t.diagnostic(`ms from PUT response to each zone seeing it: ${JSON.stringify(samples)}`);
    for (const latencies of samples) for (const ms of latencies) assert.ok(ms < 1_000, `took ${ms} ms`);
  });

  it('kill -9 of the global during a burst of 500 writes: zones converge, no spurious deletes', async (t) => {
    // Before the burst: policies the burst will update and policies it will delete, everywhere.
    const keep = Array.from({ length: 50 }, (_, i) => `keep-${i}`);
    const drop = Array.from({ length: 50 }, (_, i) => `drop-${i}`);
    await runWrites(
      [...keep, ...drop].map((name) => () => putMeshTimeout(global.api, name, '1s')),
      8,
    );
    await waitForConvergence('the zones to hold the policies before the burst');

    // The burst: 400 creates, 50 updates, 50 deletes, 8 at a time, retried until the global answers.
    const ops: Array<() => Promise<number>> = [
      ...Array.from({ length: 400 }, (_, i) => () => putMeshTimeout(global.api, `burst-${i}`, `${i + 1}s`)),
      ...keep.map((name) => () => putMeshTimeout(global.api, name, '2s')),
      ...drop.map((name) => () => deleteMeshTimeout(global.api, name)),
    ];
    shuffle(ops);
    let done = 0;
    const burst = runWrites(
      ops.map((op) => async () => {
        const status = await op();
        done += 1;
        return status;
      }),
      8,
    );
    await waitFor(() => done >= 150, { timeoutMs: 60_000, intervalMs: 5, what: '150 writes of the burst' });
    const killedAt = done;
    await global.handle.killGroup();
    t.diagnostic(`global killed with SIGKILL after ${killedAt} of ${ops.length} writes answered`);
    await startGlobal();
    await burst;

    const upstream = await waitForConvergence('every zone to hold exactly the global set after the restart');
    assert.equal(upstream.size, 5 + 400 + 50, 'fanout + burst + keep policies on the global');
    for (const name of keep) assert.deepEqual(JSON.parse(upstream.get(name) ?? 'null'), meshTimeoutSpec('2s'));
    const seen = assertNoSpuriousDeletes(upstream);
    for (const [zone, deleted] of seen) {
      assert.deepEqual([...deleted].sort(), [...drop].sort(), `${zone} saw exactly the burst's deletes`);
    }
  });

  it('a zone restarted while the global is down serves the last known config, then converges', async () => {
    const zone3 = zones.get('zone-3') as ZoneCpProcess;
    // A proxy of zone-3 with an outbound to "backend", and a policy for that traffic.
    const dataplane = {
      type: 'Dataplane',
      mesh: 'default',
      name: 'web-1',
      networking: {
        address: '127.0.0.1',
        inbound: [{ port: 10_001, tags: { 'kuma.io/service': 'web' } }],
        outbound: [{ port: 10_002, tags: { 'kuma.io/service': 'backend' } }],
      },
    };
    const put = await fetch(`${zone3.api}/meshes/default/dataplanes/web-1`, { method: 'PUT', ...json(dataplane) });
    assert.equal(put.status, 201);
    const backendTimeout = {
      type: 'MeshTimeout',
      mesh: 'default',
      name: 'backend-timeout',
      spec: {
        targetRef: { kind: 'Mesh' },
        to: [{ targetRef: { kind: 'MeshService', name: 'backend' }, default: { idleTimeout: '777s' } }],
      },
    };
    const res = await fetch(`${global.api}/meshes/default/meshtimeouts/backend-timeout`, {
      method: 'PUT',
      ...json(backendTimeout),
    });
    assert.equal(res.status, 201);
    const before = await waitForConvergence('the zones to hold backend-timeout');
    // What the proxy gets: Envoy config generated from the zone's copy of the global's Mesh (a
    // federated zone has no Mesh of its own), and the policies matching it, the global's included.
    const servesProxy = async (why: string) => {
      const config = await fetch(`${zone3.api}/meshes/default/dataplanes/web-1/_config`);
      assert.equal(config.status, 200, why);
      const { listeners } = (await config.json()) as { listeners: Array<{ name: string }> };
      assert.ok(
        listeners.some((l) => l.name.startsWith('outbound:') && l.name.endsWith(':10002')),
        `${why}: outbound listener in ${listeners.map((l) => l.name).join(', ')}`,
      );
      const policies = await fetch(`${zone3.api}/meshes/default/dataplanes/web-1/_policies`);
      assert.equal(policies.status, 200, why);
      assert.ok((await policies.text()).includes('"777s"'), `${why}: backend-timeout matches the proxy`);
    };
    await servesProxy('before the global goes down');

    await global.handle.killGroup();
    await zone3.handle.killGroup();
    const restarted = await startZone('zone-3');
    const ready = await fetch(`${restarted.diagnostics}/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(differences(before, await zoneGlobalMeshTimeouts(restarted)), []);
    await servesProxy('after a restart without the global');

    // The global comes back and changes a few things: the zones follow, deleting only what it deleted.
    await startGlobal();
    assert.equal(await deleteMeshTimeout(global.api, 'burst-0'), 200);
    assert.equal(await deleteMeshTimeout(global.api, 'burst-1'), 200);
    assert.equal(await putMeshTimeout(global.api, 'burst-2', '999s'), 200);
    assert.equal(await putMeshTimeout(global.api, 'after-restart', '3s'), 201);
    const upstream = await waitForConvergence('every zone to converge once the global is back');
    assert.ok(!upstream.has('burst-0') && upstream.has('after-restart'));
    const seen = assertNoSpuriousDeletes(upstream);
    for (const [zone, deleted] of seen) assert.ok(deleted.has('burst-0') && deleted.has('burst-1'), zone);
    await waitFor(
      async () => {
        const r = await fetch(`${global.api}/meshes/default/dataplanes?filter[labels.kuma.io/display-name]=web-1`);
        return ((await r.json()) as { total: number }).total === 1;
      },
      { timeoutMs: 30_000, what: "zone-3's Dataplane on the global" },
    );
  });
});

function meshTimeoutSpec(idleTimeout: string) {
  return { targetRef: { kind: 'Mesh' }, to: [{ targetRef: { kind: 'Mesh' }, default: { idleTimeout } }] };
}

/**
 * Runs `ops` with `parallel` workers; an op that fails on the network or with a 5xx (the global
 * is down or restarting) is retried until it gets an answer. Each must end in 2xx, or 404 for
 * a delete whose first attempt landed before the crash.
 */
async function runWrites(ops: ReadonlyArray<() => Promise<number>>, parallel: number): Promise<void> {
  const queue = [...ops];
  const worker = async () => {
    for (let op = queue.shift(); op !== undefined; op = queue.shift()) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        let status: number | undefined;
        try {
          status = await op();
        } catch {
          status = undefined;
        }
        if (status !== undefined && status < 500) {
          assert.ok(status < 300 || status === 404, `write answered ${status}`);
          break;
        }
        assert.ok(Date.now() < deadline, 'a write kept failing for 60 s');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
