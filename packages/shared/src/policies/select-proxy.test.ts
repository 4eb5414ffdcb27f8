import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TargetRef } from '../resources/common/target-ref.js';
import { indexRoutes, selectProxy, targetRefSpecificity } from './select-proxy.js';
import { dataplane, policy } from './test-fixtures.js';

const web = dataplane(
  'web-01',
  [
    { port: 8080, name: 'http', tags: { 'kuma.io/service': 'web', version: 'v1', 'kuma.io/zone': 'east' } },
    { port: 9090, tags: { 'kuma.io/service': 'web-admin', version: 'v1' } },
    { port: 7070, tags: { 'kuma.io/service': 'web', version: 'v2' }, state: 'Ignored' },
  ],
  { labels: { app: 'web', team: 'a' } },
);
const gateway = dataplane('edge', [], { gatewayTags: { 'kuma.io/service': 'edge' } });

function mtp(targetRef: TargetRef | undefined, labels: Record<string, string> = {}) {
  const spec = { ...(targetRef === undefined ? {} : { targetRef }), from: [] };
  return policy('MeshTrafficPermission', 'p', spec, labels);
}

describe('selectProxy', () => {
  const cases: { name: string; ref: TargetRef | undefined; inbounds: number[] | undefined }[] = [
    { name: 'absent targetRef = Mesh: every inbound but Ignored ones', ref: undefined, inbounds: [0, 1] },
    { name: 'Mesh', ref: { kind: 'Mesh' }, inbounds: [0, 1] },
    { name: 'MeshSubset on inbound tags', ref: { kind: 'MeshSubset', tags: { version: 'v1' } }, inbounds: [0, 1] },
    {
      name: 'MeshSubset needs all tags on one inbound',
      ref: { kind: 'MeshSubset', tags: { version: 'v1', 'kuma.io/zone': 'east' } },
      inbounds: [0],
    },
    { name: 'MeshSubset on no inbound', ref: { kind: 'MeshSubset', tags: { version: 'v3' } }, inbounds: undefined },
    {
      name: 'MeshSubset ignores Ignored inbounds',
      ref: { kind: 'MeshSubset', tags: { version: 'v2' } },
      inbounds: undefined,
    },
    { name: 'MeshService', ref: { kind: 'MeshService', name: 'web' }, inbounds: [0] },
    { name: 'MeshService of another service', ref: { kind: 'MeshService', name: 'backend' }, inbounds: undefined },
    {
      name: 'MeshServiceSubset',
      ref: { kind: 'MeshServiceSubset', name: 'web-admin', tags: { version: 'v1' } },
      inbounds: [1],
    },
    {
      name: 'MeshServiceSubset with other tags',
      ref: { kind: 'MeshServiceSubset', name: 'web', tags: { version: 'v2' } },
      inbounds: undefined,
    },
    { name: 'Dataplane by name', ref: { kind: 'Dataplane', name: 'web-01' }, inbounds: [0, 1] },
    { name: 'Dataplane by other name', ref: { kind: 'Dataplane', name: 'web-02' }, inbounds: undefined },
    { name: 'Dataplane by labels', ref: { kind: 'Dataplane', labels: { app: 'web' } }, inbounds: [0, 1] },
    { name: 'Dataplane by other labels', ref: { kind: 'Dataplane', labels: { app: 'db' } }, inbounds: undefined },
    {
      name: 'Dataplane sectionName by inbound name',
      ref: { kind: 'Dataplane', name: 'web-01', sectionName: 'http' },
      inbounds: [0],
    },
    {
      name: 'Dataplane sectionName by port of an unnamed inbound',
      ref: { kind: 'Dataplane', labels: { app: 'web' }, sectionName: '9090' },
      inbounds: [1],
    },
    {
      name: 'Dataplane sectionName naming nothing',
      ref: { kind: 'Dataplane', name: 'web-01', sectionName: 'grpc' },
      inbounds: undefined,
    },
    { name: 'MeshGateway never selects a sidecar', ref: { kind: 'MeshGateway', name: 'gw' }, inbounds: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = selectProxy(mtp(c.ref), web);
      assert.deepEqual(got?.inbounds, c.inbounds);
    });
  }

  it('ignores policies of another mesh', () => {
    const other = { ...mtp({ kind: 'Mesh' }), meta: { ...mtp({ kind: 'Mesh' }).meta, mesh: 'other' } };
    assert.equal(selectProxy(other, web), undefined);
  });

  it('selects a gateway by its gateway tags, honouring proxyTypes', () => {
    assert.deepEqual(selectProxy(mtp({ kind: 'MeshService', name: 'edge' }), gateway), {
      inbounds: [],
      gateway: true,
      specificity: targetRefSpecificity({ kind: 'MeshService', name: 'edge' }),
    });
    assert.equal(selectProxy(mtp({ kind: 'Mesh', proxyTypes: ['Sidecar'] }), gateway), undefined);
    assert.equal(selectProxy(mtp({ kind: 'Mesh', proxyTypes: ['Gateway'] }), web), undefined);
    assert.equal(selectProxy(mtp({ kind: 'Mesh', proxyTypes: ['Gateway'] }), gateway)?.gateway, true);
  });

  it('selects by the display name of a synced dataplane', () => {
    const synced = dataplane('web-01-zx8c9', [{ port: 80, tags: { 'kuma.io/service': 'web' } }], {
      labels: { 'kuma.io/display-name': 'web-01' },
    });
    assert.ok(selectProxy(mtp({ kind: 'Dataplane', name: 'web-01' }), synced));
  });

  it('applies a zone-originated policy only to proxies of its zone', () => {
    const zonePolicy = mtp({ kind: 'Mesh' }, { 'kuma.io/origin': 'zone', 'kuma.io/zone': 'east' });
    const inZone = (zone: string) =>
      dataplane('d', [{ port: 80, tags: { 'kuma.io/service': 's' } }], {
        labels: { 'kuma.io/origin': 'zone', 'kuma.io/zone': zone },
      });
    assert.ok(selectProxy(zonePolicy, inZone('east')));
    assert.equal(selectProxy(zonePolicy, inZone('west')), undefined);
    assert.ok(selectProxy(mtp({ kind: 'Mesh' }, { 'kuma.io/origin': 'global' }), inZone('west')));
  });

  it('resolves a top-level MeshHTTPRoute to the proxies its route targets', () => {
    const route = policy('MeshHTTPRoute', 'web-route', {
      targetRef: { kind: 'MeshService', name: 'web-admin' },
      to: [],
    });
    const onRoute = mtp({ kind: 'MeshHTTPRoute', name: 'web-route' });
    assert.equal(selectProxy(onRoute, web), undefined, 'unresolved without routes');
    const got = selectProxy(onRoute, web, { routes: indexRoutes([route]) });
    assert.deepEqual(got?.inbounds, [1]);
    assert.equal(got?.specificity, targetRefSpecificity({ kind: 'MeshHTTPRoute', name: 'web-route' }));
  });
});

describe('targetRefSpecificity', () => {
  it('orders kinds as Kuma 2.x does', () => {
    const ordered: TargetRef[] = [
      { kind: 'Mesh' },
      { kind: 'Dataplane' },
      { kind: 'Dataplane', labels: { app: 'web' } },
      { kind: 'Dataplane', labels: { app: 'web' }, sectionName: 'http' },
      { kind: 'Dataplane', name: 'web-01' },
      { kind: 'Dataplane', name: 'web-01', sectionName: 'http' },
      { kind: 'MeshSubset', tags: { a: 'b' } },
      { kind: 'MeshService', name: 'web' },
      { kind: 'MeshServiceSubset', name: 'web', tags: { a: 'b' } },
      { kind: 'MeshHTTPRoute', name: 'r' },
    ];
    const ranks = ordered.map(targetRefSpecificity);
    for (let i = 1; i < ranks.length; i++) {
      assert.ok((ranks[i] ?? 0) > (ranks[i - 1] ?? 0), `${JSON.stringify(ordered[i])} above the one before`);
    }
    assert.equal(targetRefSpecificity(undefined), targetRefSpecificity({ kind: 'Mesh' }));
  });
});
