/** A global CP and two zone CPs as real processes, syncing over KDS with zone tokens and TLS. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type GlobalCpProcess,
  type ProcessHandle,
  startGlobalCpProcess,
  startZoneCpProcess,
  waitFor,
  type ZoneCpProcess,
  zoneCpPorts,
} from './harness/index.js';

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('global + zones over KDS (real processes)', { concurrency: false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'strait-e2e-mz-'));
  const processes: ProcessHandle[] = [];
  let global: GlobalCpProcess;
  const zones: ZoneCpProcess[] = [];

  async function startZone(name: string, token: string): Promise<ZoneCpProcess> {
    const tokenFile = join(dir, `${name}.token`);
    writeFileSync(tokenFile, token, { mode: 0o600 });
    const zone = await startZoneCpProcess(name, join(dir, name), await zoneCpPorts(), {
      STRAIT_ZONE_NAME: name,
      STRAIT_GLOBAL_ADDRESS: global.kds,
      STRAIT_GLOBAL_CA_FILE: global.caFile,
      STRAIT_ZONE_TOKEN_FILE: tokenFile,
    });
    processes.push(zone.handle);
    return zone;
  }

  async function zoneToken(zone: string): Promise<string> {
    const res = await fetch(`${global.api}/tokens/zone`, { method: 'POST', ...json({ zone, scope: ['cp'] }) });
    assert.equal(res.status, 200);
    return (await res.text()).trim();
  }

  before(async () => {
    global = await startGlobalCpProcess('global-cp', join(dir, 'global'));
    processes.push(global.handle);
    zones.push(await startZone('zone-1', await zoneToken('zone-1')));
    zones.push(await startZone('zone-2', await zoneToken('zone-2')));
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.killGroup()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a policy applied on the global appears in every zone', async () => {
    const policy = {
      type: 'MeshTimeout',
      mesh: 'default',
      name: 'global-timeout',
      spec: { targetRef: { kind: 'Mesh' }, to: [{ targetRef: { kind: 'Mesh' }, default: { idleTimeout: '5s' } }] },
    };
    const put = await fetch(`${global.api}/meshes/default/meshtimeouts/global-timeout`, {
      method: 'PUT',
      ...json(policy),
    });
    assert.equal(put.status, 201);
    for (const zone of zones) {
      await waitFor(
        async () => {
          const res = await fetch(
            `${zone.api}/meshes/default/meshtimeouts?filter[labels.kuma.io/display-name]=global-timeout`,
          );
          const body = (await res.json()) as { items: Array<{ labels: Record<string, string> }> };
          return body.items[0]?.labels['kuma.io/origin'] === 'global';
        },
        { timeoutMs: 10_000, what: 'the policy to reach the zone' },
      );
    }
  });

  it('a Dataplane registered in zone-2 appears on the global with zone labels', async () => {
    const dp = {
      type: 'Dataplane',
      mesh: 'default',
      name: 'backend-1',
      networking: { address: '127.0.0.2', inbound: [{ port: 10_001, tags: { 'kuma.io/service': 'backend' } }] },
    };
    const zone2 = zones[1] as ZoneCpProcess;
    const put = await fetch(`${zone2.api}/meshes/default/dataplanes/backend-1`, { method: 'PUT', ...json(dp) });
    assert.equal(put.status, 201);
    const synced = await waitFor(
      async () => {
        const res = await fetch(
          `${global.api}/meshes/default/dataplanes?filter[labels.kuma.io/display-name]=backend-1`,
        );
        const body = (await res.json()) as { items: Array<{ name: string; labels: Record<string, string> }> };
        return body.items[0];
      },
      { timeoutMs: 10_000, what: 'the Dataplane to reach the global' },
    );
    assert.equal(synced.labels['kuma.io/zone'], 'zone-2');
    assert.equal(synced.labels['kuma.io/origin'], 'zone');
    assert.notEqual(synced.name, 'backend-1'); // hash-suffixed
  });

  it('global-owned types are read-only on a federated zone (405)', async () => {
    const res = await fetch(`${(zones[0] as ZoneCpProcess).api}/meshes/other`, {
      method: 'PUT',
      ...json({ type: 'Mesh', name: 'other' }),
    });
    assert.equal(res.status, 405);
  });

  it('the global lists both zones online', async () => {
    await waitFor(
      async () => {
        const res = await fetch(`${global.api}/zones+insights`);
        const body = (await res.json()) as {
          items: Array<{ name: string; zoneInsight?: { subscriptions?: Array<{ disconnectTime?: string }> } }>;
        };
        const online = body.items.filter((z) => {
          const last = z.zoneInsight?.subscriptions?.at(-1);
          return last !== undefined && last.disconnectTime === undefined;
        });
        return online.length === 2;
      },
      { timeoutMs: 10_000, what: 'both zones to show online' },
    );
  });

  it('disabling a zone cuts it off; enabling it lets it back in', async () => {
    const zoneState = async (name: string): Promise<boolean> => {
      const res = await fetch(`${global.api}/zones+insights`);
      const body = (await res.json()) as {
        items: Array<{ name: string; zoneInsight?: { subscriptions?: Array<{ disconnectTime?: string }> } }>;
      };
      const last = body.items.find((z) => z.name === name)?.zoneInsight?.subscriptions?.at(-1);
      return last !== undefined && last.disconnectTime === undefined;
    };
    const put = (enabled: boolean) =>
      fetch(`${global.api}/zones/zone-1`, { method: 'PUT', ...json({ type: 'Zone', name: 'zone-1', enabled }) });
    assert.equal((await put(false)).status, 200);
    await waitFor(async () => !(await zoneState('zone-1')), { timeoutMs: 10_000, what: 'zone-1 to be cut off' });
    assert.equal((await put(true)).status, 200);
    await waitFor(async () => zoneState('zone-1'), { timeoutMs: 40_000, what: 'zone-1 to reconnect' });
  });

  it('a connected zone cannot be deleted; stopping it and deleting it removes what it synced', async () => {
    const refused = await fetch(`${global.api}/zones/zone-2`, { method: 'DELETE' });
    assert.equal(refused.status, 400);
    const zone2 = zones[1] as ZoneCpProcess;
    assert.equal(await zone2.handle.kill('SIGTERM'), 0);
    await waitFor(
      async () => {
        const res = await fetch(`${global.api}/zones/zone-2`, { method: 'DELETE' });
        return res.status === 200;
      },
      { timeoutMs: 10_000, what: 'zone-2 to be deletable once disconnected' },
    );
    const res = await fetch(`${global.api}/meshes/default/dataplanes?filter[labels.kuma.io/zone]=zone-2`);
    assert.equal(((await res.json()) as { total: number }).total, 0);
  });
});
