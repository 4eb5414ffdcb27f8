import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort, type ProcessHandle, startStrait, strait, waitFor } from './harness/index.js';

interface CpProcess {
  readonly handle: ProcessHandle;
  readonly api: string;
  readonly diagnostics: string;
}

async function startZoneCp(dataDir: string, name: string): Promise<CpProcess> {
  const [apiPort, diagPort, xdsPort] = [await freePort(), await freePort(), await freePort()];
  const handle = startStrait(name, ['zone-cp', 'run', '--zone', 'zone-1'], {
    STRAIT_DATA_DIR: dataDir,
    STRAIT_API_HOST: '127.0.0.1',
    STRAIT_API_PORT: String(apiPort),
    STRAIT_DIAGNOSTICS_HOST: '127.0.0.1',
    STRAIT_DIAGNOSTICS_PORT: String(diagPort),
    STRAIT_XDS_PORT: String(xdsPort),
  });
  const ready = await handle.waitForLog('ready');
  assert.deepEqual((ready.ports as Record<string, number>).api, apiPort);
  return { handle, api: `http://127.0.0.1:${apiPort}`, diagnostics: `http://127.0.0.1:${diagPort}` };
}

function timeout(name: string, i: number): Record<string, unknown> {
  return {
    type: 'MeshTimeout',
    mesh: 'default',
    name: `${name}-${i}`,
    spec: {
      targetRef: { kind: 'Mesh' },
      to: [{ targetRef: { kind: 'Mesh' }, default: { idleTimeout: `${(i % 50) + 1}s` } }],
    },
  };
}

describe('control plane process lifecycle (sqlite store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strait-e2e-cp-'));
  const running: ProcessHandle[] = [];
  after(async () => {
    await Promise.all(running.map((p) => p.killGroup()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves diagnostics, creates mesh default and an admin token, stops on SIGTERM', async () => {
    const cp = await startZoneCp(join(dir, 'a'), 'zone-cp-a');
    running.push(cp.handle);
    assert.equal((await fetch(`${cp.diagnostics}/ready`)).status, 200);
    assert.equal((await fetch(`${cp.diagnostics}/healthy`)).status, 200);
    const metrics = await (await fetch(`${cp.diagnostics}/metrics`)).text();
    assert.match(metrics, /process_resident_memory_bytes/);
    const mesh = (await (await fetch(`${cp.api}/meshes/default`)).json()) as { name: string };
    assert.equal(mesh.name, 'default');
    const token = readFileSync(join(dir, 'a', 'admin-token'), 'utf8').trim();
    const withToken = await fetch(`${cp.api}/meshes`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(withToken.status, 200);
    const forged = await fetch(`${cp.api}/meshes`, { headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` } });
    assert.equal(forged.status, 401);
    assert.equal(await cp.handle.kill('SIGTERM'), 0);
    await cp.handle.waitForLog('stopped');
  });

  it('keeps every acknowledged write across SIGKILL', async () => {
    const dataDir = join(dir, 'b');
    const cp = await startZoneCp(dataDir, 'zone-cp-b');
    running.push(cp.handle);
    const acknowledged: string[] = [];
    let stop = false;
    // Four writers in parallel until the kill; each write counts only once the API answered 201.
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const body = timeout(`w${w}`, i);
        try {
          const res = await fetch(`${cp.api}/meshes/default/meshtimeouts/${body.name}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          if (res.status === 201) acknowledged.push(body.name as string);
        } catch {
          return; // the process is gone
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await waitFor(() => acknowledged.length >= 300, { what: '300 acknowledged writes', timeoutMs: 60_000 });
    cp.handle.child.kill('SIGKILL');
    await cp.handle.exited;
    stop = true;
    await Promise.all(writers);

    const again = await startZoneCp(dataDir, 'zone-cp-b2');
    running.push(again.handle);
    const list = (await (await fetch(`${again.api}/meshes/default/meshtimeouts?size=1000`)).json()) as {
      items: Array<{ name: string; spec: { to: Array<{ default: { idleTimeout: string } }> } }>;
      total: number;
    };
    const stored = new Map(list.items.map((i) => [i.name, i]));
    assert.ok(list.total >= acknowledged.length);
    for (const name of acknowledged) {
      const item = stored.get(name);
      assert.ok(item !== undefined, `acknowledged ${name} is missing after SIGKILL`);
      const i = Number(name.split('-')[1]);
      assert.equal(item.spec.to[0]?.default.idleTimeout, `${(i % 50) + 1}s`);
    }
    await again.handle.kill('SIGTERM');
  });

  it('refuses a bad configuration with the setting named, and exits non-zero', () => {
    const r = strait(['zone-cp', 'run', '--api-port', 'eighty'], { env: { STRAIT_DATA_DIR: join(dir, 'c') } });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr + r.stdout, /api\.port/);
  });
});
