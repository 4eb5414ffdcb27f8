import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { StraitError } from '../errors/strait-error.js';
import { loadCpConfig } from './load-config.js';

describe('loadCpConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strait-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the documented defaults, resolved and frozen', () => {
    const c = loadCpConfig({ role: 'zone', env: {} });
    assert.equal(c.api.port, 5681);
    assert.equal(c.xds.port, 5678);
    assert.equal(c.store.type, 'sqlite');
    assert.ok(c.store.path?.endsWith('.strait/zone-cp/strait.db'));
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.api));
  });

  it('layers file < env < flags', () => {
    const file = join(dir, 'cp.yaml');
    writeFileSync(file, 'api:\n  port: 7000\ndiagnostics:\n  port: 7001\nzone:\n  name: from-file\n');
    const c = loadCpConfig({
      role: 'zone',
      file,
      env: { STRAIT_API_PORT: '8000', STRAIT_ZONE_NAME: 'from-env' },
      flags: { 'api-port': '9000' },
    });
    assert.equal(c.api.port, 9000);
    assert.equal(c.diagnostics.port, 7001);
    assert.equal(c.zone.name, 'from-env');
  });

  it('names the setting and its variable when a value is wrong', () => {
    assert.throws(
      () => loadCpConfig({ role: 'global', env: { STRAIT_API_PORT: 'eighty' } }),
      (err: unknown) => err instanceof StraitError && err.code === 'Invalid' && err.violations[0]?.field === 'api.port',
    );
    assert.throws(
      () => loadCpConfig({ role: 'global', env: { STRAIT_STORE_TYPE: 'mongo' } }),
      (err: unknown) =>
        err instanceof StraitError &&
        err.violations.some((v) => v.field === 'store.type' && v.reason.includes('STRAIT_STORE_TYPE')),
    );
  });

  it('refuses unknown keys in the file', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'api:\n  prot: 1\n');
    assert.throws(
      () => loadCpConfig({ role: 'global', file, env: {} }),
      (err: unknown) => err instanceof StraitError && err.violations.some((v) => v.field === 'api.prot'),
    );
  });

  it('parses booleans from env and bare flags', () => {
    const c = loadCpConfig({
      role: 'zone',
      env: { STRAIT_GLOBAL_TLS_SKIP_VERIFY: 'true' },
      flags: { 'api-localhost-is-admin': 'false' },
    });
    assert.equal(c.global.tlsSkipVerify, true);
    assert.equal(c.api.localhostIsAdmin, false);
  });
  it('reads KDS heartbeat durations (default 10s/30s) and checks the timeout against the interval', () => {
    const defaults = loadCpConfig({ role: 'global', env: {} });
    assert.equal(defaults.kds.heartbeatIntervalMs, 10_000);
    assert.equal(defaults.kds.heartbeatTimeoutMs, 30_000);
    const c = loadCpConfig({
      role: 'zone',
      env: { STRAIT_KDS_HEARTBEAT_INTERVAL: '500ms' },
      flags: { 'kds-heartbeat-timeout': '1500' },
    });
    assert.equal(c.kds.heartbeatIntervalMs, 500);
    assert.equal(c.kds.heartbeatTimeoutMs, 1_500);
    assert.throws(
      () => loadCpConfig({ role: 'zone', env: { STRAIT_KDS_HEARTBEAT_INTERVAL: 'soon' } }),
      (err: unknown) =>
        err instanceof StraitError &&
        err.violations.some(
          (v) => v.field === 'kds.heartbeatIntervalMs' && v.reason.includes('STRAIT_KDS_HEARTBEAT_INTERVAL'),
        ),
    );
    assert.throws(
      () =>
        loadCpConfig({
          role: 'global',
          env: { STRAIT_KDS_HEARTBEAT_INTERVAL: '2s', STRAIT_KDS_HEARTBEAT_TIMEOUT: '3s' },
        }),
      (err: unknown) =>
        err instanceof StraitError &&
        err.code === 'Invalid' &&
        err.violations.some((v) => v.field === 'kds.heartbeatTimeoutMs'),
    );
  });
});
