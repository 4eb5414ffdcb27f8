import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { isStraitError } from '../errors/strait-error.js';
import { createLogger } from '../logging/logger.js';
import { backoffDelayMs } from './backoff.js';
import { parseAdminAddress, sumActiveConnections } from './envoy-admin.js';
import { envoyArgs, envoyLogFormat } from './envoy-args.js';
import { withLoopbackAdmin, writeBootstrapFile } from './envoy-bootstrap-file.js';
import { forwardEnvoyOutput, parseEnvoyLine } from './envoy-log-forwarder.js';
import { parseEnvoyVersion } from './envoy-version.js';
import { resolveEnvoyBinary } from './resolve-envoy-binary.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('backoffDelayMs', () => {
  it('doubles from the initial delay up to the cap', () => {
    const o = { initialMs: 100, maxMs: 1_000, jitter: 0 };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 50].map((n) => backoffDelayMs(n, o)),
      [100, 200, 400, 800, 1_000, 1_000],
    );
    assert.equal(
      backoffDelayMs(1, { initialMs: 100, maxMs: 1_000, jitter: 0.5 }, () => 0),
      50,
    );
  });
});

describe('envoyArgs', () => {
  it('disables hot restart, uses a dynamic base id and rounds the drain time up to seconds', () => {
    const args = envoyArgs({
      configPath: '/w/bootstrap.json',
      adminAddressPath: '/w/admin',
      drainTimeMs: 1_500,
      concurrency: 2,
      logLevel: 'info',
      proxyName: 'web-1',
    });
    for (const flag of ['--disable-hot-restart', '--use-dynamic-base-id']) assert.ok(args.includes(flag));
    assert.equal(args[args.indexOf('--drain-time-s') + 1], '2');
    assert.equal(args[args.indexOf('-c') + 1], '/w/bootstrap.json');
    assert.equal(args[args.indexOf('--log-format') + 1], envoyLogFormat('web-1'));
  });
});

describe('Envoy log lines', () => {
  it('parses the launcher log format and keeps other lines whole', () => {
    assert.deepEqual(parseEnvoyLine('[2026-01-01 10:00:00.000][warning][config][web-1] bad thing'), {
      level: 'warn',
      envoyLogger: 'config',
      message: 'bad thing',
    });
    assert.deepEqual(parseEnvoyLine('Caught Segmentation fault'), {
      level: 'info',
      message: 'Caught Segmentation fault',
    });
  });

  it('logs one line per Envoy line with component envoy', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const input = new PassThrough();
    forwardEnvoyOutput(input, createLogger({ destination }).child({ component: 'envoy' }));
    input.end('[t][info][main][web-1] starting\n\n[t][error][main][web-1] failed\n');
    await new Promise((resolve) => input.on('end', resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      entries.map((e) => [e.component, e.level, e.msg]),
      [
        ['envoy', 'info', 'starting'],
        ['envoy', 'error', 'failed'],
      ],
    );
  });
});

describe('Envoy admin helpers', () => {
  it('parses the admin address file', () => {
    assert.deepEqual(parseAdminAddress('127.0.0.1:9901\n'), { host: '127.0.0.1', port: 9901 });
    assert.deepEqual(parseAdminAddress('[::1]:9901'), { host: '::1', port: 9901 });
    assert.equal(parseAdminAddress(''), undefined);
  });

  it('sums active connections of the proxy listeners only', () => {
    const stats = [
      'listener.127.0.0.1_18080.downstream_cx_active: 2',
      'listener.127.0.0.1_18080.worker_0.downstream_cx_active: 1',
      'listener.127.0.0.1_18080.worker_1.downstream_cx_active: 1',
      'listener.0.0.0.0_10001.downstream_cx_active: 1',
      'listener.admin.downstream_cx_active: 1',
      'listener.admin.main_thread.downstream_cx_active: 1',
      'http.admin.downstream_cx_active: 1',
    ].join('\n');
    assert.equal(sumActiveConnections(stats), 3);
  });
});

describe('bootstrap file', () => {
  it('pins admin to loopback, applies the admin port and leaves the input alone', () => {
    const input = {
      node: { id: 'x' },
      admin: { address: { socket_address: { address: '127.0.0.1', port_value: 9901 } } },
    };
    const out = withLoopbackAdmin(input, 19000);
    assert.deepEqual(out.admin, { address: { socket_address: { address: '127.0.0.1', port_value: 19000 } } });
    assert.equal(input.admin.address.socket_address.port_value, 9901);
    assert.deepEqual(withLoopbackAdmin({}).admin, {
      address: { socketAddress: { address: '127.0.0.1', portValue: 0 } },
    });
  });

  it('is written readable by its owner only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strait-bootstrap-'));
    dirs.push(dir);
    const path = join(dir, 'bootstrap.json');
    await writeBootstrapFile(path, { node: { id: 'x' } });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });
});

describe('parseEnvoyVersion', () => {
  it('reads the version from envoy --version', () => {
    const out = '\n/usr/bin/envoy  version: 9e55/1.40.0/Clean/RELEASE/BoringSSL\n';
    assert.deepEqual(parseEnvoyVersion(out), { version: '1.40.0', build: '9e55/1.40.0/Clean/RELEASE/BoringSSL' });
    assert.equal(parseEnvoyVersion('nothing'), undefined);
  });
});

describe('resolveEnvoyBinary', () => {
  it('prefers the flag, then ENVOY_BIN, and says what to do when nothing is found', async () => {
    assert.equal(
      await resolveEnvoyBinary({ envoyBin: process.execPath, env: { ENVOY_BIN: '/nope' } }),
      process.execPath,
    );
    assert.equal(await resolveEnvoyBinary({ env: { ENVOY_BIN: process.execPath } }), process.execPath);
    await assert.rejects(
      resolveEnvoyBinary({ env: { ENVOY_BIN: '/does/not/exist' } }),
      (err: unknown) => isStraitError(err, 'NotFound') && err.message.includes('ENVOY_BIN'),
    );
    await assert.rejects(
      resolveEnvoyBinary({ env: { PATH: '' } }),
      (err: unknown) => isStraitError(err, 'NotFound') && err.message.includes('--envoy-bin'),
    );
  });
});
