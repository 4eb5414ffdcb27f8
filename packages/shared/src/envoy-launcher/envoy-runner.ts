/**
 * Runs and supervises one Envoy: writes its bootstrap, starts it, restarts it when it dies, and
 * stops it gracefully (drain, SIGTERM, SIGKILL after a deadline). Shared by `strait dp run` and
 * `strait zone-ingress run`.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StraitError } from '../errors/strait-error.js';
import type { Component } from '../lifecycle/component.js';
import type { Logger } from '../logging/logger.js';
import { backoffDelayMs } from './backoff.js';
import { createEnvoyAdmin, type EnvoyAdminAddress, readAdminAddress } from './envoy-admin.js';
import { envoyArgs } from './envoy-args.js';
import { withLoopbackAdmin, writeBootstrapFile } from './envoy-bootstrap-file.js';
import { forwardEnvoyOutput } from './envoy-log-forwarder.js';
import { isRunning, spawnProcess } from './envoy-process.js';
import { shutDownEnvoy } from './envoy-shutdown.js';
import { pollUntil } from './poll-until.js';

/** Options of {@link createEnvoyRunner}. */
export interface EnvoyRunnerOptions {
  /** The Envoy binary (see `resolveEnvoyBinary`). */
  readonly bin: string;
  /** The Envoy bootstrap (proto3 JSON), as the control plane returned it. */
  readonly bootstrap: Record<string, unknown>;
  /** Directory for the bootstrap and admin address files; created (0700) when missing, not removed. */
  readonly workDir: string;
  /** Envoy's lines go to `logger.child({ component: 'envoy' })`, the runner's own to `envoy-runner`. */
  readonly logger: Logger;
  /** Shown on every Envoy log line; default the bootstrap's `node.id`. */
  readonly proxyName?: string;
  /** Replaces the admin port of the bootstrap (admin always listens on loopback). */
  readonly adminPort?: number;
  /** How long `stop()` lets listeners drain (`--drain-time-s`, rounded up to seconds). */
  readonly drainTimeMs: number;
  /** Envoy worker threads (`--concurrency`); default 2. */
  readonly concurrency?: number;
  /** Envoy log level; default `info`. */
  readonly logLevel?: string;
  /** Delay before the first restart after a crash, doubled per quick crash; default 1000. */
  readonly restartBackoffMs?: number;
  /** Cap of the restart delay; default 30000. */
  readonly maxRestartBackoffMs?: number;
  /** An Envoy that dies sooner than this after starting crashed "quickly"; default 60000. */
  readonly quickCrashWindowMs?: number;
  /** Consecutive quick crashes after which the runner gives up; default 5. */
  readonly maxQuickCrashes?: number;
  /** After SIGTERM, how long to wait before SIGKILL; default 10000. */
  readonly killTimeoutMs?: number;
  /** More Envoy arguments, appended as given. */
  readonly extraArgs?: readonly string[];
}

/** Options of {@link EnvoyRunner.ready}. */
export interface EnvoyReadyOptions {
  /** Default 60000. */
  readonly timeoutMs?: number;
  /** Default 100. */
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
}

/** A supervised Envoy, usable as a lifecycle component. */
export interface EnvoyRunner extends Component {
  /** Writes the bootstrap (0600) and starts Envoy; resolves once the process runs (see `ready`). */
  start(signal?: AbortSignal): Promise<void>;
  /** Resolves with the admin address once admin `/ready` answers 200; rejects after `timeoutMs`. */
  ready(options?: EnvoyReadyOptions): Promise<EnvoyAdminAddress>;
  /** Drains listeners, then SIGTERM (SIGKILL after `killTimeoutMs`); idempotent. */
  stop(): Promise<void>;
  /** Resolves once stopped; rejects (`Unavailable`) when the runner gave up restarting Envoy. */
  readonly done: Promise<void>;
  /** Pid of the running Envoy; `undefined` between a crash and its restart. */
  pid(): number | undefined;
  /** How many times Envoy was restarted after dying. */
  restarts(): number;
}

interface Settings {
  readonly proxyName: string;
  readonly concurrency: number;
  readonly logLevel: string;
  readonly restartBackoffMs: number;
  readonly maxRestartBackoffMs: number;
  readonly quickCrashWindowMs: number;
  readonly maxQuickCrashes: number;
  readonly killTimeoutMs: number;
}

function settingsOf(o: EnvoyRunnerOptions): Settings {
  const node = o.bootstrap.node as { id?: unknown } | undefined;
  return Object.freeze({
    proxyName: o.proxyName ?? (typeof node?.id === 'string' ? node.id : 'envoy'),
    concurrency: o.concurrency ?? 2,
    logLevel: o.logLevel ?? 'info',
    restartBackoffMs: o.restartBackoffMs ?? 1_000,
    maxRestartBackoffMs: o.maxRestartBackoffMs ?? 30_000,
    quickCrashWindowMs: o.quickCrashWindowMs ?? 60_000,
    maxQuickCrashes: o.maxQuickCrashes ?? 5,
    killTimeoutMs: o.killTimeoutMs ?? 10_000,
  });
}

/** Creates a runner; nothing happens until `start`. */
export function createEnvoyRunner(options: EnvoyRunnerOptions): EnvoyRunner {
  const s = settingsOf(options);
  const log = options.logger.child({ component: 'envoy-runner' });
  const envoyLog = options.logger.child({ component: 'envoy' });
  const configPath = join(options.workDir, 'bootstrap.json');
  const adminAddressPath = join(options.workDir, 'envoy-admin-address');
  const args = envoyArgs({
    configPath,
    adminAddressPath,
    drainTimeMs: options.drainTimeMs,
    concurrency: s.concurrency,
    logLevel: s.logLevel,
    proxyName: s.proxyName,
    ...(options.extraArgs === undefined ? {} : { extraArgs: options.extraArgs }),
  });

  let child: ChildProcess | undefined;
  let started = false;
  let stopping = false;
  let stopPromise: Promise<void> | undefined;
  let failure: StraitError | undefined;
  let quickCrashes = 0;
  let restartCount = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let launching: Promise<void> | undefined;
  let settle: { resolve: () => void; reject: (err: unknown) => void } | undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Nobody may be listening when the runner gives up; the rejection is still delivered to awaiters.
  done.catch(() => undefined);

  // If this process exits with Envoy still running (a crash, process.exit), do not leave an orphan.
  const killOnExit = (): void => {
    if (child !== undefined && isRunning(child)) child.kill('SIGKILL');
  };

  async function cleanup(): Promise<void> {
    process.off('exit', killOnExit);
    await rm(configPath, { force: true });
    await rm(adminAddressPath, { force: true });
  }

  /** Starts one Envoy process; `stop()` waits for a launch in progress so none outlives it. */
  function launch(): Promise<void> {
    launching = spawnAndWatch();
    return launching;
  }

  async function spawnAndWatch(): Promise<void> {
    await rm(adminAddressPath, { force: true });
    const proc = await spawnProcess(options.bin, args);
    const startedAt = Date.now();
    child = proc;
    proc.on('error', (err) => log.warn({ envoyPid: proc.pid, reason: err.message }, 'envoy process error'));
    const lineLog = envoyLog.child({ envoyPid: proc.pid });
    if (proc.stdout !== null) forwardEnvoyOutput(proc.stdout, lineLog);
    if (proc.stderr !== null) forwardEnvoyOutput(proc.stderr, lineLog);
    proc.once('exit', (code, signal) => {
      if (child === proc) child = undefined;
      onExit(code, signal, Date.now() - startedAt);
    });
    log.info({ envoyPid: proc.pid, proxy: s.proxyName }, 'envoy started');
  }

  function onExit(code: number | null, signal: NodeJS.Signals | null, uptimeMs: number): void {
    if (stopping) {
      log.info({ code, signal }, 'envoy exited');
      return;
    }
    log.error({ code, signal, uptimeMs }, 'envoy exited unexpectedly');
    onCrash(uptimeMs);
  }

  function onCrash(uptimeMs: number): void {
    quickCrashes = uptimeMs < s.quickCrashWindowMs ? quickCrashes + 1 : 0;
    if (quickCrashes >= s.maxQuickCrashes) {
      giveUp();
      return;
    }
    const delayMs = backoffDelayMs(Math.max(1, quickCrashes), {
      initialMs: s.restartBackoffMs,
      maxMs: s.maxRestartBackoffMs,
    });
    log.warn({ delayMs, quickCrashes }, 'restarting envoy');
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (stopping) return;
      restartCount++;
      launch().catch((err: unknown) => {
        log.error({ reason: (err as Error).message }, 'envoy could not be restarted');
        onCrash(0);
      });
    }, delayMs);
  }

  function giveUp(): void {
    failure = new StraitError(
      'Unavailable',
      `envoy exited ${quickCrashes} times in a row within ${s.quickCrashWindowMs} ms of starting: giving up`,
    );
    stopping = true;
    log.error({ quickCrashes }, 'envoy keeps crashing: giving up');
    void cleanup().finally(() => settle?.reject(failure));
  }

  async function stopOnce(): Promise<void> {
    if (failure !== undefined) return;
    stopping = true;
    clearTimeout(restartTimer);
    await launching?.catch(() => undefined);
    const proc = child;
    if (proc !== undefined && isRunning(proc)) {
      await shutDownEnvoy(proc, {
        adminAddressPath,
        drainTimeMs: options.drainTimeMs,
        killTimeoutMs: s.killTimeoutMs,
        logger: log,
      });
    }
    await cleanup();
    settle?.resolve();
  }

  function stop(): Promise<void> {
    stopPromise ??= stopOnce();
    return stopPromise;
  }

  return {
    name: 'envoy',
    needsLeadership: false,
    done,
    async start(signal) {
      if (started) throw new StraitError('Internal', 'envoy runner: start() called twice');
      started = true;
      await mkdir(options.workDir, { recursive: true, mode: 0o700 });
      await writeBootstrapFile(configPath, withLoopbackAdmin(options.bootstrap, options.adminPort));
      process.on('exit', killOnExit);
      try {
        await launch();
      } catch (err) {
        stopping = true;
        await cleanup();
        const reason = (err as Error).message;
        failure = new StraitError('Unavailable', `cannot start envoy (${options.bin}): ${reason}`, { cause: err });
        settle?.reject(failure);
        throw failure;
      }
      if (signal?.aborted === true) void stop();
      else signal?.addEventListener('abort', () => void stop(), { once: true });
    },
    async ready(readyOptions = {}) {
      const timeoutMs = readyOptions.timeoutMs ?? 60_000;
      const address = await pollUntil(
        async () => {
          if (failure !== undefined) throw failure;
          if (stopping) throw new StraitError('Unavailable', 'envoy is stopping');
          if (child === undefined) return undefined;
          const found = await readAdminAddress(adminAddressPath);
          if (found === undefined) return undefined;
          const ok = await createEnvoyAdmin(found, 1_000)
            .isReady()
            .catch(() => false);
          return ok ? found : undefined;
        },
        {
          timeoutMs,
          intervalMs: readyOptions.intervalMs ?? 100,
          ...(readyOptions.signal === undefined ? {} : { signal: readyOptions.signal }),
        },
      );
      if (address === undefined) throw new StraitError('Unavailable', `envoy was not ready within ${timeoutMs} ms`);
      return address;
    },
    stop,
    pid: () => child?.pid,
    restarts: () => restartCount,
  };
}
