/**
 * Starting a zone ingress: build its ZoneIngress from the flags, register it with the zone CP
 * using the zone token (the CP answers the Envoy bootstrap), run Envoy until ready. Stopping:
 * drain, stop Envoy, deregister.
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
  resolveEnvoyBinary,
} from '@strait/shared';
import { readCaCertificate, readZoneToken } from './zone-ingress-inputs.js';
import { DEFAULT_DRAIN_TIME_MS, type ZoneIngressOptions } from './zone-ingress-options.js';
import { zoneIngressResource } from './zone-ingress-resource.js';

/** A registered zone ingress whose Envoy is ready. */
export interface RunningZoneIngress {
  readonly name: string;
  /** Envoy's admin port on loopback. */
  readonly adminPort: number;
  /** Drains and stops Envoy, then deregisters; idempotent. Never rejects (failures are logged). */
  stop(): Promise<void>;
  /** Rejects when Envoy kept crashing and the runner gave up. */
  readonly done: Promise<void>;
  /** Pid of the running Envoy (tests kill it to prove restarts). */
  envoyPid(): number | undefined;
}

/** Errors already logged where they happened, so the caller does not log them twice. */
const reported = new WeakSet<object>();

/** True when `err` was logged by {@link startZoneIngress} already. */
export function wasReported(err: unknown): boolean {
  return typeof err === 'object' && err !== null && reported.has(err);
}

/** CP refusals that retrying cannot fix: the token or the resource is wrong. */
const REFUSALS = new Set(['Unauthenticated', 'Forbidden', 'Invalid', 'NotFound', 'Conflict']);

/** How often a start-up that is still waiting for Envoy says so. */
const NOT_READY_WARNING_MS = 30_000;

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
 * Registers the ingress and runs Envoy until it is ready, then logs `ready`. When `signal`
 * aborts during start-up, what was started is stopped and the abort reason is thrown. A CP
 * refusal (e.g. a token without scope `ingress`) is logged as `bootstrap refused` with the CP's
 * reason before it is thrown; Envoy is not started.
 */
export async function startZoneIngress(
  options: ZoneIngressOptions & { readonly logger: Logger; readonly signal?: AbortSignal },
): Promise<RunningZoneIngress> {
  const { logger, signal } = options;
  const cpAddress = parseCpAddress(options.cpAddress);
  const resource = zoneIngressResource(options);
  const name = resource.name as string;
  const log = logger.child({ zoneIngress: name });
  const token = await readZoneToken(options.zoneTokenFile);
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

  log.info(
    { cpAddress: cpAddress.origin, envoy: bin, envoyVersion: version.version, networking: resource.networking },
    'registering',
  );
  const registered = await fetchBootstrap({
    ...client,
    ...(options.bootstrapMaxAttempts === undefined ? {} : { maxAttempts: options.bootstrapMaxAttempts }),
    ...(signal === undefined ? {} : { signal }),
    proxyType: 'ingress',
    resource,
    token,
    envoyVersion: version.version,
  }).catch((err: unknown) => {
    if (isStraitError(err)) {
      const refused = REFUSALS.has(err.code);
      log.error(
        { code: err.code, reason: err.message, ...(refused ? { violations: err.violations } : {}) },
        refused ? 'bootstrap refused' : 'bootstrap failed',
      );
      reported.add(err);
    }
    throw err;
  });

  const deregister = async (): Promise<void> => {
    try {
      await deregisterProxy({ ...client, maxAttempts: 3, proxyType: 'ingress', name, token });
      log.info('deregistered');
    } catch (err) {
      log.error({ reason: (err as Error).message }, 'deregistration failed');
    }
  };

  const ownWorkDir = options.workDir === undefined;
  const workDir = ownWorkDir ? await mkdtemp(join(tmpdir(), 'strait-ingress-')) : (options.workDir as string);
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
    const networking = resource.networking as Record<string, unknown>;
    log.info(
      {
        adminPort,
        listener: `${String(networking.address)}:${String(networking.port)}`,
        advertised: `${String(networking.advertisedAddress)}:${String(networking.advertisedPort)}`,
      },
      'ready',
    );
    return { name, adminPort, stop, done: runner.done, envoyPid: () => runner.pid() };
  } catch (err) {
    await stop();
    throw err;
  }
}
