import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { isStraitError } from '../errors/strait-error.js';
import { createLogger } from '../logging/logger.js';
import { createEnvoyRunner, type EnvoyRunner, type EnvoyRunnerOptions } from './envoy-runner.js';
import { freePort, httpGet, processExists, staticBootstrap, testEnvoyBinary } from './envoy-test-kit.js';
import { pollUntil } from './poll-until.js';

const DEADLINE_MS = 20_000;
const dirs: string[] = [];
const runners: EnvoyRunner[] = [];
const pids = new Set<number>();
let bin: string;

before(async () => {
  bin = await testEnvoyBinary();
});
after(async () => {
  for (const r of runners) await r.stop().catch(() => undefined);
  for (const pid of pids) if (processExists(pid)) process.kill(pid, 'SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Log entries captured from a runner's logger. */
function captureLogs(): { logger: ReturnType<typeof createLogger>; entries: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return {
    logger: createLogger({ destination, level: 'info' }),
    entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

async function newRunner(overrides: Partial<EnvoyRunnerOptions> & Pick<EnvoyRunnerOptions, 'bootstrap' | 'logger'>) {
  const workDir = await mkdtemp(join(tmpdir(), 'strait-envoy-runner-'));
  dirs.push(workDir);
  const runner = createEnvoyRunner({
    bin,
    workDir,
    drainTimeMs: 1_000,
    restartBackoffMs: 50,
    maxRestartBackoffMs: 200,
    killTimeoutMs: 5_000,
    ...overrides,
  });
  runners.push(runner);
  return { runner, workDir };
}

/** GET / through `agent` (so a kept-alive connection is reused); resolves with the status. */
function keepAliveGet(agent: Agent, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

/** Waits until `check` holds, failing the test at the deadline. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const value = await pollUntil(check, { timeoutMs: DEADLINE_MS, intervalMs: 50 });
  if (value === undefined) assert.fail(`timed out waiting for ${what}`);
  return value;
}

describe('createEnvoyRunner (real Envoy)', { timeout: 120_000 }, () => {
  it('serves, restarts a killed Envoy, then drains and stops', async () => {
    const port = await freePort();
    const logs = captureLogs();
    const { runner, workDir } = await newRunner({
      bootstrap: staticBootstrap({ nodeId: 'default.web-1', listenerPort: port, body: 'hello' }),
      logger: logs.logger,
    });
    await runner.start();
    const firstPid = runner.pid();
    assert.ok(firstPid !== undefined);
    pids.add(firstPid);
    assert.equal((await stat(join(workDir, 'bootstrap.json'))).mode & 0o777, 0o600);

    await runner.ready({ timeoutMs: DEADLINE_MS });
    assert.equal(await httpGet(port), 'hello');
    assert.ok(
      logs.entries().some((e) => e.component === 'envoy' && e.msg === 'starting main dispatch loop'),
      "Envoy's own lines are logged with component envoy",
    );

    process.kill(firstPid, 'SIGKILL');
    const secondPid = await eventually('the restarted Envoy', async () => {
      const pid = runner.pid();
      return pid !== undefined && pid !== firstPid ? pid : undefined;
    });
    pids.add(secondPid);
    await runner.ready({ timeoutMs: DEADLINE_MS });
    assert.equal(await eventually('traffic after the restart', () => httpGet(port).catch(() => undefined)), 'hello');
    assert.equal(runner.restarts(), 1);
    assert.ok(logs.entries().some((e) => e.msg === 'envoy exited unexpectedly' && e.signal === 'SIGKILL'));

    await runner.stop();
    await runner.done;
    assert.equal(processExists(secondPid), false);
    const messages = logs.entries().map((e) => e.msg);
    const drained = messages.indexOf('draining listeners');
    assert.ok(drained >= 0, 'stop() drains the listeners first');
    const exit = logs.entries().findIndex((e, i) => i > drained && e.msg === 'envoy exited');
    assert.ok(exit > drained);
    assert.equal(logs.entries()[exit]?.code, 0, 'Envoy exits cleanly on SIGTERM after the drain');
    assert.deepEqual(await readdir(workDir), [], 'the bootstrap (it holds the token) is removed');
    await assert.rejects(httpGet(port, 500));
  });

  it('keeps serving while it drains and stops once the last connection closed', async () => {
    const port = await freePort();
    const logs = captureLogs();
    const { runner } = await newRunner({
      bootstrap: staticBootstrap({ nodeId: 'default.web-2', listenerPort: port, body: 'draining' }),
      logger: logs.logger,
      drainTimeMs: 5_000,
    });
    await runner.start();
    const pid = runner.pid() as number;
    pids.add(pid);
    await runner.ready({ timeoutMs: DEADLINE_MS });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal(await keepAliveGet(agent, port), 200);

    const stopped = runner.stop();
    await eventually('the drain to start', async () =>
      logs.entries().some((e) => e.msg === 'draining listeners') ? true : undefined,
    );
    assert.equal(await keepAliveGet(agent, port), 200, 'a kept-alive connection is still served during the drain');
    agent.destroy();
    await stopped;
    assert.ok(logs.entries().some((e) => e.msg === 'no active connections left'));
    assert.equal(processExists(pid), false);
  });

  it('gives up after repeated quick crashes and rejects done and ready', async () => {
    const logs = captureLogs();
    const { runner } = await newRunner({
      bootstrap: { node: { id: 'broken' }, notAField: true },
      logger: logs.logger,
      maxQuickCrashes: 3,
      restartBackoffMs: 10,
    });
    await runner.start();
    await assert.rejects(runner.done, (err: unknown) => isStraitError(err, 'Unavailable'));
    await assert.rejects(runner.ready({ timeoutMs: 1_000 }), (err: unknown) => isStraitError(err, 'Unavailable'));
    assert.equal(logs.entries().filter((e) => e.msg === 'envoy exited unexpectedly').length, 3);
    assert.ok(logs.entries().some((e) => e.msg === 'envoy keeps crashing: giving up' && e.level === 'error'));
    await runner.stop();
  });

  it('fails start() when the binary cannot run', async () => {
    const logs = captureLogs();
    const { runner } = await newRunner({
      bin: '/does/not/exist/envoy',
      bootstrap: { node: { id: 'x' } },
      logger: logs.logger,
    });
    await assert.rejects(runner.start(), (err: unknown) => isStraitError(err, 'Unavailable'));
    await assert.rejects(runner.done);
  });
});
