/**
 * Starting a sidecar: read the Dataplane, register it with the zone CP (which returns the Envoy
 * bootstrap), run Envoy until ready. Stopping: drain, stop Envoy, deregister.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CpClientOptions,
  createEnvoyRunner,
  deregisterProxy,
  type EnvoyRunner,
  envoyVersion,
  fetchBootstrap,
  isStraitError,
  type Logger,
  parseCpAddress,
  readProxyResourceFile,
  resolveEnvoyBinary,
} from '@strait/shared';
import { readCaCertificate, readToken, withAdminPort } from './dataplane-inputs.js';
import { type DataplaneOptions, DEFAULT_DRAIN_TIME_MS } from './dataplane-options.js';

/** A registered dataplane whose Envoy is ready. */
export interface RunningDataplane {
  readonly name: string;
  readonly mesh: string;
  /** Envoy's admin port on loopback. */
  readonly adminPort: number;
  /** Drains and stops Envoy, then deregisters; idempotent. Never rejects (failures are logged). */
  stop(): Promise<void>;
  /** Rejects when Envoy kept crashing and the runner gave up. */
  readonly done: Promise<void>;
}

/** Errors already logged where they happened, so the caller does not log them twice. */
const reported = new WeakSet<object>();

/** True when `err` was logged by {@link startDataplane} already. */
export function wasReported(err: unknown): boolean {
  return typeof err === 'object' && err !== null && reported.has(err);
}

/** CP refusals that retrying cannot fix: the token or the resource is wrong. */
const REFUSALS = new Set(['Unauthenticated', 'Forbidden', 'Invalid', 'NotFound', 'Conflict']);

/** How often a start-up that is still waiting for Envoy says so. */
const NOT_READY_WARNING_MS = 30_000;

/**
 * Waits for Envoy's admin `/ready` with no deadline (Envoy turns ready by itself once its initial
 * xDS fetch completes or times out), warning while it waits; rejects when the runner gives up.
 */
async function waitReady(runner: EnvoyRunner, logger: Logger, signal: AbortSignal | undefined): Promise<number> {
  const since = Date.now();
  const warn = setInterval(
    () => logger.warn({ waitedMs: Date.now() - since }, 'envoy is not ready yet'),
    NOT_READY_WARNING_MS,
  );
  try {
    const ready = await runner.ready({
      timeoutMs: Number.MAX_SAFE_INTEGER,
      ...(signal === undefined ? {} : { signal }),
    });
    return ready.port;
  } finally {
    clearInterval(warn);
  }
}

/**
 * Registers the dataplane and runs Envoy until it is ready, then logs `ready`. When `signal`
 * aborts during start-up, what was started is stopped and the abort reason is thrown. A CP refusal
 * is logged as `bootstrap refused` (with the reason) before it is thrown; Envoy is not started.
 */
export async function startDataplane(
  options: DataplaneOptions & { readonly logger: Logger; readonly signal?: AbortSignal },
): Promise<RunningDataplane> {
  const { logger, signal } = options;
  const cpAddress = parseCpAddress(options.cpAddress);
  const file = await readProxyResourceFile({
    path: options.dataplaneFile,
    type: 'Dataplane',
    varFlag: '--dataplane-var',
    ...(options.dataplaneVars === undefined ? {} : { vars: options.dataplaneVars }),
  });
  const name = file.input.name;
  const mesh = file.input.mesh ?? 'default';
  const log = logger.child({ dataplane: name, mesh });
  const token = await readToken(options.dataplaneTokenFile, log);
  const caCertPem = await readCaCertificate(options.caCertFile);
  const bin = await resolveEnvoyBinary({
    ...(options.envoyBin === undefined ? {} : { envoyBin: options.envoyBin }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const version = await envoyVersion(bin);
  const client: CpClientOptions = {
    cpAddress,
    logger: log,
    ...(caCertPem === undefined ? {} : { caCertPem }),
    ...(options.cpRequestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.cpRequestTimeoutMs }),
    ...(options.cpRetryBackoffMs === undefined ? {} : { retryBackoffMs: options.cpRetryBackoffMs }),
  };

  log.info({ cpAddress: cpAddress.origin, envoy: bin, envoyVersion: version.version }, 'registering');
  const registered = await fetchBootstrap({
    ...client,
    ...(options.bootstrapMaxAttempts === undefined ? {} : { maxAttempts: options.bootstrapMaxAttempts }),
    ...(signal === undefined ? {} : { signal }),
    proxyType: 'dataplane',
    resource: withAdminPort(file.object, options.adminPort),
    token,
    envoyVersion: version.version,
  }).catch((err: unknown) => {
    if (isStraitError(err) && REFUSALS.has(err.code)) {
      log.error({ code: err.code, reason: err.message, violations: err.violations }, 'bootstrap refused');
      reported.add(err);
    } else if (isStraitError(err)) {
      log.error({ code: err.code, reason: err.message }, 'bootstrap failed');
      reported.add(err);
    }
    throw err;
  });

  const deregister = async (): Promise<void> => {
    try {
      await deregisterProxy({ ...client, maxAttempts: 3, proxyType: 'dataplane', mesh, name, token });
      log.info('deregistered');
    } catch (err) {
      log.error({ reason: (err as Error).message }, 'deregistration failed');
    }
  };

  const ownWorkDir = options.workDir === undefined;
  const workDir = ownWorkDir ? await mkdtemp(join(tmpdir(), 'strait-dp-')) : (options.workDir as string);
  if (!ownWorkDir) await mkdir(workDir, { recursive: true, mode: 0o700 });
  const runner = createEnvoyRunner({
    bin,
    bootstrap: registered.bootstrap,
    workDir,
    logger: log,
    drainTimeMs: options.drainTimeMs ?? DEFAULT_DRAIN_TIME_MS,
    ...(options.adminPort === undefined ? {} : { adminPort: options.adminPort }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });

  let stopPromise: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopPromise ??= (async () => {
      await runner.stop().catch((err: unknown) => log.error({ reason: (err as Error).message }, 'envoy stop failed'));
      await deregister();
      if (ownWorkDir) await rm(workDir, { recursive: true, force: true });
    })();
    return stopPromise;
  };

  try {
    await runner.start();
    const adminPort = await waitReady(runner, log, signal);
    log.info({ adminPort }, 'ready');
    return { name, mesh, adminPort, stop, done: runner.done };
  } catch (err) {
    await stop();
    throw err;
  }
}
