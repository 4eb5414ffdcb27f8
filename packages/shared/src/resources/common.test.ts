import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyCheck, decimalOf } from './common/checks.js';
import { parseDuration } from './common/duration.js';
import { field, key } from './common/field.js';
import { validateTags } from './common/tags.js';
import { includesGateways, validateTargetRef } from './common/target-ref.js';

describe('parseDuration', () => {
  it('reads Go durations', () => {
    assert.equal(parseDuration('5s'), 5000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('100ms'), 100);
    assert.equal(parseDuration('1.5h'), 5_400_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('0'), 0);
    assert.equal(parseDuration('0s'), 0);
    assert.equal(parseDuration('-2s'), -2000);
    assert.equal(parseDuration('+3ms'), 3);
    assert.equal(parseDuration('250us'), 0.25);
    assert.equal(parseDuration('.5s'), 500);
  });

  it('refuses what Go refuses', () => {
    for (const bad of ['', '5', 's', '5 s', '1d', '10y', '5sec', '1h-30m', '--1s', '1.2.3s', 'ten']) {
      assert.equal(parseDuration(bad), undefined, bad);
    }
  });

  it('accepts days and years only when asked', () => {
    assert.equal(parseDuration('1d', { allowDaysAndYears: true }), 86_400_000);
    assert.equal(parseDuration('10y', { allowDaysAndYears: true }), 10 * 365 * 86_400_000);
    assert.equal(parseDuration('1d12h', { allowDaysAndYears: true }), 129_600_000);
  });
});

describe('value checks', () => {
  it('percent takes integers and decimal strings from 0 to 100', () => {
    assert.equal(applyCheck('percent', 0), undefined);
    assert.equal(applyCheck('percent', '12.5'), undefined);
    assert.equal(applyCheck('percent', 100), undefined);
    assert.match(applyCheck('percent', 101) ?? '', /between 0 and 100/);
    assert.match(applyCheck('percent', '1e2') ?? '', /number/);
    assert.equal(decimalOf('.5'), 0.5);
  });

  it('base64 accepts standard and URL-safe alphabets with or without padding', () => {
    for (const ok of ['dmFsdWU=', 'dmFsdWU', 'YQ==', 'YQ', '-_8=', ''])
      assert.equal(applyCheck('base64', ok), undefined, ok);
    for (const bad of ['not base64!', 'a', 'YQ===', 'dmFsd=WU=']) assert.ok(applyCheck('base64', bad), bad);
  });

  it('rfc3339 wants a full timestamp with a zone', () => {
    assert.equal(applyCheck('rfc3339', '2024-05-01T12:00:00Z'), undefined);
    assert.equal(applyCheck('rfc3339', '2024-05-01T12:00:00.123456+02:00'), undefined);
    for (const bad of ['2024-05-01', '2024-05-01T12:00:00', '2024-13-01T12:00:00Z', 'yesterday']) {
      assert.ok(applyCheck('rfc3339', bad), bad);
    }
  });

  it('address, host-port and bandwidth', () => {
    assert.equal(applyCheck('address', '10.0.0.1'), undefined);
    assert.equal(applyCheck('address', 'fd00::1'), undefined);
    assert.equal(applyCheck('address', 'backend.svc.cluster.local'), undefined);
    assert.ok(applyCheck('address', 'not an address'));
    assert.equal(applyCheck('host-port', 'collector:5000'), undefined);
    assert.equal(applyCheck('host-port', '[fd00::1]:5000'), undefined);
    assert.ok(applyCheck('host-port', 'collector'));
    assert.ok(applyCheck('host-port', 'collector:70000'));
    assert.equal(applyCheck('bandwidth', '10kbps'), undefined);
    assert.ok(applyCheck('bandwidth', '10mbps'));
  });
});

describe('field names', () => {
  it('are written as users write them', () => {
    assert.equal(field('spec', 'from', 0, 'targetRef', 'kind'), 'spec.from[0].targetRef.kind');
    assert.equal(
      field('', 'networking', 'inbound', 2, 'tags', key('kuma.io/service')),
      'networking.inbound[2].tags["kuma.io/service"]',
    );
  });
});

describe('validateTags', () => {
  it('checks names, values, the service tag and the protocol', () => {
    assert.deepEqual(validateTags({ 'kuma.io/service': 'web', version: 'v1' }, 't', { requireService: true }), []);
    const fields = (tags: Record<string, string>, selector = false) =>
      validateTags(tags, 't', { requireService: true, checkProtocol: true, selector }).map((v) => v.field);
    assert.deepEqual(fields({ version: 'v1' }), ['t["kuma.io/service"]']);
    assert.deepEqual(fields({ 'kuma.io/service': 'web', 'bad key': 'x' }), ['t["bad key"]']);
    assert.deepEqual(fields({ 'kuma.io/service': 'web', env: '' }), ['t["env"]']);
    assert.deepEqual(fields({ 'kuma.io/service': 'web', 'kuma.io/protocol': 'ws' }), ['t["kuma.io/protocol"]']);
    assert.deepEqual(fields({ 'kuma.io/service': 'web', zone: '*' }), ['t["zone"]']);
    assert.deepEqual(fields({ 'kuma.io/service': 'web', zone: '*' }, true), []);
  });
});

describe('validateTargetRef', () => {
  const reasons = (ref: Parameters<typeof validateTargetRef>[0], inbound = false) =>
    validateTargetRef(ref, 'r', ['Mesh', 'MeshSubset', 'MeshService', 'MeshServiceSubset', 'Dataplane'], {
      inboundPolicy: inbound,
    }).map((v) => `${v.field}: ${v.reason}`);

  it('accepts well-formed references', () => {
    assert.deepEqual(reasons({ kind: 'Mesh' }), []);
    assert.deepEqual(reasons({ kind: 'Mesh', proxyTypes: ['Sidecar'] }), []);
    assert.deepEqual(reasons({ kind: 'MeshSubset', tags: { 'kuma.io/zone': 'east' } }), []);
    assert.deepEqual(reasons({ kind: 'MeshService', name: 'backend_default_svc_80' }), []);
    assert.deepEqual(reasons({ kind: 'MeshService', labels: { 'kuma.io/display-name': 'backend' } }), []);
    assert.deepEqual(reasons({ kind: 'MeshServiceSubset', name: 'backend', tags: { version: '*' } }), []);
    assert.deepEqual(reasons({ kind: 'Dataplane', labels: { app: 'web' }, sectionName: 'http' }, true), []);
  });

  it('refuses kinds the position does not allow', () => {
    assert.deepEqual(reasons({ kind: 'MeshGateway', name: 'gw' }), [
      'r.kind: must be one of Mesh, MeshSubset, MeshService, MeshServiceSubset, Dataplane',
    ]);
  });

  it('refuses fields that do not fit the kind', () => {
    assert.deepEqual(reasons({ kind: 'Mesh', name: 'x' }), ['r.name: must not be set with kind Mesh']);
    assert.deepEqual(reasons({ kind: 'MeshSubset' }), ['r.tags: must be set with kind MeshSubset']);
    assert.deepEqual(reasons({ kind: 'MeshService' }), ['r.name: must be set with kind MeshService']);
    assert.deepEqual(reasons({ kind: 'MeshService', name: 'Backend' }), [
      'r.name: must consist of lower case letters, digits, "-", "." and "_"',
    ]);
    assert.deepEqual(reasons({ kind: 'MeshServiceSubset', name: 'backend' }), [
      'r.tags: must be set with kind MeshServiceSubset',
    ]);
    assert.deepEqual(reasons({ kind: 'Dataplane', sectionName: 'http' }), [
      'r.sectionName: can only be used with inbound policies',
    ]);
    assert.deepEqual(reasons({ kind: 'MeshService', name: 'a', labels: { x: 'y' } }), [
      'r.labels: either labels or name and namespace must be specified',
    ]);
  });

  it('knows which top-level refs select gateways', () => {
    assert.equal(includesGateways({ kind: 'Mesh' }), true);
    assert.equal(includesGateways({ kind: 'Mesh', proxyTypes: ['Sidecar'] }), false);
    assert.equal(includesGateways({ kind: 'MeshGateway', name: 'gw' }), true);
    assert.equal(includesGateways({ kind: 'MeshService', name: 'web' }), false);
  });
});
