/**
 * `inspect` views against a real REST API. Insights are system-only (the API refuses user
 * writes), so they are seeded straight into the store, as the control plane would write them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { builtinRegistry, parseUniversal } from '@strait/shared';
import { runStrait } from '../../testing/run-strait.js';
import { startTestApi, type TestApi } from '../../testing/test-api.js';

const NOW = new Date('2026-01-10T12:00:00Z');
const ago = (minutes: number): string => new Date(NOW.getTime() - minutes * 60_000).toISOString();

/** Stores universal objects through the shared codec, as the control plane would. */
async function seed(api: TestApi, objects: readonly Record<string, unknown>[]): Promise<void> {
  for (const obj of objects) await api.store.create(parseUniversal(builtinRegistry, obj));
}

const dataplane = (name: string, service: string) => ({
  type: 'Dataplane',
  mesh: 'default',
  name,
  networking: { address: '10.0.0.1', inbound: [{ port: 8080, tags: { 'kuma.io/service': service } }] },
});

describe('inspect against a real API', () => {
  let api: TestApi;
  const inspect = (args: readonly string[]) =>
    runStrait(['inspect', ...args], { env: { STRAIT_API_ADDRESS: api.address }, now: NOW });

  before(async () => {
    api = await startTestApi({ now: () => new Date(NOW.getTime() - 90 * 60_000) });
    await seed(api, [
      { type: 'Mesh', name: 'default' },
      dataplane('dp-online', 'web'),
      dataplane('dp-offline', 'backend'),
      dataplane('dp-never', 'db'),
      {
        type: 'DataplaneInsight',
        mesh: 'default',
        name: 'dp-online',
        subscriptions: [
          {
            id: 's1',
            controlPlaneInstanceId: 'cp-1',
            connectTime: ago(10),
            disconnectTime: ago(5),
            status: { total: { responsesSent: 3, responsesRejected: 1 } },
          },
          {
            id: 's2',
            controlPlaneInstanceId: 'cp-1',
            connectTime: ago(5),
            status: { lastUpdateTime: ago(1), total: { responsesSent: '7', responsesRejected: '0' } },
            version: { kumaDp: { version: '0.1.0' }, envoy: { version: '1.40.0' } },
          },
        ],
      },
      {
        type: 'DataplaneInsight',
        mesh: 'default',
        name: 'dp-offline',
        subscriptions: [{ id: 's1', controlPlaneInstanceId: 'cp-1', connectTime: ago(120), disconnectTime: ago(60) }],
      },
      { type: 'Zone', name: 'zone-1', enabled: true },
      { type: 'Zone', name: 'zone-2' },
      {
        type: 'ZoneInsight',
        name: 'zone-1',
        subscriptions: [
          {
            id: 'k1',
            globalInstanceId: 'global-1',
            connectTime: ago(30),
            status: { lastUpdateTime: ago(2), total: { responsesSent: 12, responsesRejected: 2 } },
            version: { kumaCp: { version: '0.1.0' } },
          },
        ],
      },
      {
        type: 'ZoneIngress',
        name: 'zi-1',
        zone: 'zone-1',
        networking: { address: '10.0.0.9', port: 10001, advertisedAddress: '203.0.113.9', advertisedPort: 30001 },
        availableServices: [
          { mesh: 'default', tags: { 'kuma.io/service': 'backend', version: 'v1' }, instances: 2 },
          { mesh: 'default', tags: { 'kuma.io/service': 'backend', version: 'v2' }, instances: 1 },
          { mesh: 'other', tags: { 'kuma.io/service': 'db' }, instances: 1 },
        ],
      },
      {
        type: 'ZoneIngressInsight',
        name: 'zi-1',
        subscriptions: [{ id: 'i1', controlPlaneInstanceId: 'cp-1', connectTime: ago(3) }],
      },
    ]);
  });
  after(() => api.close());

  const rows = (stdout: string): string[][] =>
    stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/ {3,}/));

  it('inspect dataplanes: online from the latest subscription, with counters and versions', async () => {
    const run = await inspect(['dataplanes']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(rows(run.stdout), [
      [
        'MESH',
        'NAME',
        'SERVICES',
        'STATUS',
        'LAST CONNECTED AGO',
        'LAST UPDATED AGO',
        'TOTAL UPDATES',
        'TOTAL ERRORS',
        'DP VERSION',
        'ENVOY VERSION',
      ],
      ['default', 'dp-never', 'db', 'offline', '-', '-', '0', '0', '-', '-'],
      ['default', 'dp-offline', 'backend', 'offline', '2h', '-', '0', '0', '-', '-'],
      ['default', 'dp-online', 'web', 'online', '5m', '1m', '10', '1', '0.1.0', '1.40.0'],
    ]);
  });

  it('inspect zones and zoneingresses', async () => {
    const zones = await inspect(['zones']);
    assert.equal(zones.code, 0, zones.stderr);
    assert.deepEqual(rows(zones.stdout), [
      ['NAME', 'STATUS', 'LAST CONNECTED AGO', 'LAST UPDATED AGO', 'TOTAL UPDATES', 'TOTAL ERRORS', 'ZONE-CP VERSION'],
      ['zone-1', 'online', '30m', '2m', '12', '2', '0.1.0'],
      ['zone-2', 'offline', '-', '-', '0', '0', '-'],
    ]);
    const ingresses = await inspect(['zoneingresses']);
    assert.equal(ingresses.code, 0, ingresses.stderr);
    assert.deepEqual(rows(ingresses.stdout), [
      [
        'NAME',
        'ZONE',
        'ADDRESS',
        'ADVERTISED ADDRESS',
        'STATUS',
        'LAST CONNECTED AGO',
        'LAST UPDATED AGO',
        'TOTAL UPDATES',
        'TOTAL ERRORS',
        'AVAILABLE SERVICES',
      ],
      ['zi-1', 'zone-1', '10.0.0.9:10001', '203.0.113.9:30001', 'online', '3m', '-', '0', '0', 'backend:3, other/db:1'],
    ]);
  });

  it('inspect meshes: backends and dataplane counts', async () => {
    const run = await inspect(['meshes']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(rows(run.stdout), [
      ['NAME', 'MTLS', 'METRICS', 'LOGGING', 'TRACING', 'DATAPLANES', 'AGE'],
      ['default', 'off', 'off', 'off', 'off', '3', '1h'],
    ]);
  });

  it('prints the overviews as JSON or YAML with -o', async () => {
    const run = await inspect(['dataplanes', '-o', 'json']);
    const body = JSON.parse(run.stdout) as { total: number; items: { type: string; name: string }[] };
    assert.equal(body.total, 3);
    assert.deepEqual(
      body.items.map((i) => [i.type, i.name]),
      [
        ['DataplaneOverview', 'dp-never'],
        ['DataplaneOverview', 'dp-offline'],
        ['DataplaneOverview', 'dp-online'],
      ],
    );
  });

  it('fails with exit 1 for a mesh that does not exist', async () => {
    const run = await inspect(['dataplanes', '-m', 'nope']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^Error: /);
  });
});
