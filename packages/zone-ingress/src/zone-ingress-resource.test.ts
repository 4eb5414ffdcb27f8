import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStraitError } from '@strait/shared';
import { defaultIngressName, zoneIngressResource } from './zone-ingress-resource.js';

const base = { cpAddress: 'https://127.0.0.1:5678', zoneTokenFile: '/dev/null' };

describe('zoneIngressResource', () => {
  it('advertises the listen address and port unless told otherwise; port 10001 by default', () => {
    assert.deepEqual(zoneIngressResource({ ...base, name: 'zi-1', address: '10.0.0.5' }), {
      type: 'ZoneIngress',
      name: 'zi-1',
      networking: { address: '10.0.0.5', port: 10_001, advertisedAddress: '10.0.0.5', advertisedPort: 10_001 },
    });
    const nat = zoneIngressResource({
      ...base,
      name: 'zi-1',
      address: '0.0.0.0',
      port: 10_002,
      advertisedAddress: '203.0.113.9',
      advertisedPort: 30_001,
      adminPort: 9902,
    });
    assert.deepEqual(nat.networking, {
      address: '0.0.0.0',
      port: 10_002,
      advertisedAddress: '203.0.113.9',
      advertisedPort: 30_001,
      admin: { port: 9902 },
    });
  });

  it('names the host by default, as a valid resource name', () => {
    assert.equal(defaultIngressName('Ingress_Host.Example.'), 'ingress-host.example');
    assert.equal(defaultIngressName('__'), 'zone-ingress');
    assert.equal(typeof zoneIngressResource(base).name, 'string');
  });

  it('refuses what cannot work, naming the flag', () => {
    for (const [options, flag] of [
      [{ address: '0.0.0.0' }, '--advertised-address'],
      [{ address: '127.0.0.1', port: 9901, adminPort: 9901 }, '--admin-port'],
    ] as const) {
      assert.throws(
        () => zoneIngressResource({ ...base, ...options }),
        (err: unknown) => isStraitError(err, 'Invalid') && err.violations.some((v) => v.field === flag),
      );
    }
  });
});
