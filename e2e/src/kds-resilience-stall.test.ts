/**
 * A KDS stream that stops moving while its TCP connection stays open (Kuma #16428, #13624) is
 * noticed by the application heartbeat and reopened. A relay between the zone and the global
 * stops reading one direction of the live connection; new connections go through normally.
 *
 * Both CPs run with a 500 ms heartbeat interval and a 2 s timeout (`STRAIT_KDS_HEARTBEAT_*`).
 * The bound under test: a stall is detected within timeout + interval of the last message (the
 * check runs every min(interval, timeout / 4)); with the defaults (10 s / 30 s) that is 40 s.
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
  startTcpRelay,
  type TcpRelay,
  waitFor,
  type ZoneCpProcess,
} from './harness/index.js';
import { counterValue, json, putMeshTimeout, startFederatedZone, zoneToken } from './kds-resilience-kit.js';

const INTERVAL_MS = 500;
const TIMEOUT_MS = 2_000;
const HEARTBEAT_ENV = { STRAIT_KDS_HEARTBEAT_INTERVAL: `${INTERVAL_MS}ms`, STRAIT_KDS_HEARTBEAT_TIMEOUT: '2s' };
/** Scheduling noise allowed on a shared 2-core machine on top of the documented bound. */
const SLACK_MS = 1_500;
const STALLED = 'KDS stream stalled; closing it';
const CONNECTED = 'connected to the global KDS';

describe('KDS resilience: a stalled stream is detected and reopened', { concurrency: false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'strait-e2e-kds-stall-'));
  const processes: ProcessHandle[] = [];
  let global: GlobalCpProcess;
  let relay: TcpRelay;
  let zone: ZoneCpProcess;

  /** Waits until a MeshTimeout applied on the global now is in the zone. */
  async function policyArrives(name: string, timeoutMs: number): Promise<void> {
    assert.equal(await putMeshTimeout(global.api, name, '5s'), 201);
    await waitFor(
      async () => {
        const res = await fetch(`${zone.api}/meshes/default/meshtimeouts/${kdsHashedName('default', name)}`);
        await res.arrayBuffer();
        return res.status === 200;
      },
      { timeoutMs, what: `${name} to reach the zone` },
    );
  }

  /** The first line `handle` logged with `msg` at or after `sinceMs`, and its time. */
  async function logAfter(handle: ProcessHandle, msg: string, sinceMs: number, timeoutMs: number) {
    const line = await handle.waitForLog(msg, (l) => timeOf(l) >= sinceMs, timeoutMs);
    return { line, atMs: timeOf(line) };
  }

  before(async () => {
    global = await startGlobalCpProcess('global-cp', join(dir, 'global'), undefined, HEARTBEAT_ENV);
    processes.push(global.handle);
    relay = await startTcpRelay(global.ports.kds);
    zone = await startFederatedZone(dir, 'zone-1', global, await zoneToken(global, 'zone-1'), {
      kdsAddress: `grpcs://127.0.0.1:${relay.port}`,
      env: HEARTBEAT_ENV,
    });
    processes.push(zone.handle);
    await policyArrives('before-stall', 15_000);
  });
  after(async () => {
    await Promise.all(processes.map((p) => p.killGroup()));
    await relay?.close();
    if (process.env.KEEP_E2E_DIR === undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('the zone stops hearing the global: it closes the stream within the bound and reconnects', async (t) => {
    const connections = relay.connections;
    const stalledAt = Date.now();
    relay.stall('toClient');
    const stall = await logAfter(zone.handle, STALLED, stalledAt, 20_000);
    const detectedInMs = stall.atMs - stalledAt;
    t.diagnostic(`zone detected the stall after ${detectedInMs} ms (${String(stall.line.reason)})`);
    assert.ok(detectedInMs >= TIMEOUT_MS - INTERVAL_MS, `detected after ${detectedInMs} ms: too early`);
    assert.ok(detectedInMs <= TIMEOUT_MS + INTERVAL_MS + SLACK_MS, `detected after ${detectedInMs} ms`);
    await logAfter(zone.handle, CONNECTED, stall.atMs, 10_000);
    assert.ok(relay.connections > connections, 'the zone dialed a new connection');
    await policyArrives('after-zone-side-stall', 5_000);
    const stalls = await counterValue(zone.diagnostics, 'strait_kds_streams_stalled_total', {
      direction: 'global-to-zone',
    });
    assert.ok(stalls >= 1, `zone counted ${stalls} stalled global-to-zone streams`);
  });

  it('the global stops hearing the zone: it closes the stream, and the zone reconnects', async (t) => {
    const connections = relay.connections;
    const stalledAt = Date.now();
    relay.stall('toTarget');
    const stall = await logAfter(global.handle, STALLED, stalledAt, 20_000);
    const detectedInMs = stall.atMs - stalledAt;
    t.diagnostic(`global detected the stall after ${detectedInMs} ms (${String(stall.line.reason)})`);
    assert.ok(detectedInMs <= TIMEOUT_MS + INTERVAL_MS + SLACK_MS, `detected after ${detectedInMs} ms`);
    await logAfter(zone.handle, CONNECTED, stall.atMs, 10_000);
    assert.ok(relay.connections > connections, 'the zone dialed a new connection');
    await policyArrives('after-global-side-stall', 5_000);
    // And the zone → global direction carries again.
    const dataplane = {
      type: 'Dataplane',
      mesh: 'default',
      name: 'web-1',
      networking: { address: '127.0.0.1', inbound: [{ port: 10_001, tags: { 'kuma.io/service': 'web' } }] },
    };
    const put = await fetch(`${zone.api}/meshes/default/dataplanes/web-1`, { method: 'PUT', ...json(dataplane) });
    assert.equal(put.status, 201);
    await waitFor(
      async () => {
        const res = await fetch(`${global.api}/meshes/default/dataplanes?filter[labels.kuma.io/display-name]=web-1`);
        return ((await res.json()) as { total: number }).total === 1;
      },
      { timeoutMs: 5_000, what: "the zone's Dataplane on the global" },
    );
  });
});

/** A pino line's time (ISO string) in ms. */
function timeOf(line: Record<string, unknown>): number {
  return Date.parse(String(line.time));
}
