import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseServiceSni, serviceSni } from './service-sni.js';

describe('service SNI', () => {
  it('writes the service, then the mesh and other tags sorted by key', () => {
    assert.equal(serviceSni('default', { 'kuma.io/service': 'backend' }), 'backend{mesh=default}');
    assert.equal(
      serviceSni('m1', { version: 'v2', 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-2' }),
      'backend{kuma.io/zone=zone-2,mesh=m1,version=v2}',
    );
  });

  it('reads back what it writes', () => {
    const tags = { 'kuma.io/service': 'backend_default_svc_80', team: 'core' };
    assert.deepEqual(parseServiceSni(serviceSni('demo', tags)), {
      mesh: 'demo',
      service: 'backend_default_svc_80',
      tags: { team: 'core' },
    });
  });

  it('refuses SNIs it did not write', () => {
    for (const sni of [
      'backend',
      'backend{}',
      '{mesh=default}',
      'backend{mesh=}',
      'a{mesh=x,mesh=y}',
      'a{k}',
      'a{mesh=x',
    ]) {
      assert.equal(parseServiceSni(sni), undefined, sni);
    }
  });

  it('needs a service tag', () => {
    assert.throws(() => serviceSni('default', { version: 'v1' }), /kuma.io\/service/);
  });
});
