/**
 * Starting and stopping any proxy a zone CP bootstraps (a sidecar or a zone ingress): find Envoy,
 * register the proxy's resource and fetch its bootstrap, run Envoy until ready; stopping drains
 * and stops Envoy, then deregisters. `strait dp run` and `strait zone-ingress run` differ only in
 * what they register and with which token.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStraitError, StraitError } from '../errors/strait-error.js';
import type { Logger } from '../logging/logger.js';
import type { UniversalObject } from '../model/codec.js';
import type { CpClientOptions } from './call-cp.js';
import { parseCpAddress } from './cp-address.js';
import { deregisterProxy } from './deregister.js';
import { createEnvoyRunner, type EnvoyRunner } from './envoy-runner.js';
import { envoyVersion } from './envoy-version.js';
import { fetchBootstrap } from './fetch-bootstrap.js';
import type { ProxyType } from './proxy-type.js';
import { resolveEnvoyBinary } from './resolve-envoy-binary.js';

/** Default drain time on shutdown, as kuma-dp's. */
export const DEFAULT_DRAIN_TIME_MS = 30_000;

/** Options every proxy runner takes (the flags `strait dp run` and `strait zone-ingress run` share). */
export interface ProxyRunOptions {
  /** The zone CP's bootstrap server, `https://host[:port]` (port 5678 when omitted). */
  readonly cpAddress: string;
  /** PEM CA bundle of the CP's certificate; the system trust store when unset. */
  readonly caCertFile?: string;
  /** The Envoy binary; else `ENVOY_BIN`, else `envoy` on `PATH`. */
  readonly envoyBin?: string;
  /** Envoy admin port on loopback; set in the registered resource (`networking.admin.port`) and the bootstrap. */
  readonly adminPort?: number;
  /** How long listeners drain on shutdown; default {@link DEFAULT_DRAIN_TIME_MS}. */
  readonly drainTimeMs?: number;
  /** Where the bootstrap is written; default a fresh temporary directory, removed on exit. */
  readonly workDir?: string;
  /** Envoy worker threads; default 2. */
  readonly concurrency?: number;
  /** Limit per request to the CP; default 10000. */
  readonly cpRequestTimeoutMs?: number;
  /** Attempts at `/bootstrap` while the CP is unreachable or failing (5xx); default 10. */
  readonly bootstrapMaxAttempts?: number;
  /** Delay before the first retry of a CP request, doubled per retry up to 10 s; default 500. */
  readonly cpRetryBackoffMs?: number;
  /** How long a whole graceful shutdown may take before the process exits 1; default drain time + 30000. */
  readonly shutdownTimeoutMs?: number;
  /** Process logger; default JSON lines on stdout with the runner's role. */
  readonly logger?: Logger;
  /** Environment for `ENVOY_BIN` and `PATH`; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What {@link launchProxy} registers, besides the shared options. */
export interface LaunchProxyOptions extends ProxyRunOptions {
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  readonly proxyType: ProxyType;
  /** The resource to register (a universal Dataplane or ZoneIngress). */
  readonly resource: UniversalObject;
  /** Mesh of a Dataplane (for deregistration); unset for a ZoneIngress. */
  readonly mesh?: string;
  readonly name: string;
  /** The token the CP authenticates the proxy by; never logged. */
  readonly token: string;
  /** Extra fields of the `registering` log line. */
  readonly registeringFields?: Record<string, unknown>;
  /** Extra fields of the `ready` log line. */
  readonly readyFields?: Record<string, unknown>;
}

/** A registered proxy whose Envoy is ready. */
export interface LaunchedProxy {
  /** Envoy's admin port on loopback. */
  readonly adminPort: number;
  /** Drains and stops Envoy, then deregisters; idempotent. Never rejects (failures are logged). */
  stop(): Promise<void>;
  /** Rejects when Envoy kept crashing and the runner gave up. */
  readonly done: Promise<void>;
}

/** Errors already logged where they happened, so the caller does not log them twice. */
const reported = new WeakSet<object>();

/** True when `err` was logged by {@link launchProxy} already. */
export function wasReported(err: unknown): boolean {
  return typeof err === 'object' && err !== null && reported.has(err);
}

/** CP refusals that retrying cannot fix: the token or the resource is wrong. */
const REFUSALS = new Set(['Unauthenticated', 'Forbidden', 'Invalid', 'NotFound', 'Conflict']);

/** How often a start-up that is still waiting for Envoy says so. */
const NOT_READY_WARNING_MS = 30_000;

/** The token in `path` (trimmed); an unreadable or empty file is `Invalid`, naming `what` and the path. */
export async function readTokenFile(path: string, what: string): Promise<string> {
  const token = (
    await readFile(path, 'utf8').catch((err: Error) => {
      throw new StraitError('Invalid', `cannot read the ${what} file ${path}: ${err.message}`, { cause: err });
    })
  ).trim();
  if (token === '') throw new StraitError('Invalid', `the ${what} file ${path} is empty`);
  return token;
}

/** The PEM CA bundle the CP's certificate is verified against; `undefined` means the system trust store. */
export async function readCaCertificate(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  const pem = await readFile(path, 'utf8').catch((err: Error) => {
    throw new StraitError('Invalid', `cannot read the CA certificate file ${path}: ${err.message}`, { cause: err });
  });
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new StraitError('Invalid', `the CA certificate file ${path} holds no PEM certificate`);
  }
  return pem;
}

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
 * Registers the proxy and runs Envoy until it is ready, then logs `ready`. When `signal` aborts
 * during start-up, what was started is stopped and the abort reason is thrown. A CP refusal (a
 * bad token, a token without the needed scope, an invalid resource) is logged as
 * `bootstrap refused` with the CP's reason before it is thrown; Envoy is not started.
 */
export async function launchProxy(options: LaunchProxyOptions): Promise<LaunchedProxy> {
  const { logger: log, signal, proxyType, name, token } = options;
  const cpAddress = parseCpAddress(options.cpAddress);
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
    { cpAddress: cpAddress.origin, envoy: bin, envoyVersion: version.version, ...options.registeringFields },
    'registering',
  );
  const registered = await fetchBootstrap({
    ...client,
    ...(options.bootstrapMaxAttempts === undefined ? {} : { maxAttempts: options.bootstrapMaxAttempts }),
    ...(signal === undefined ? {} : { signal }),
    proxyType,
    resource: options.resource,
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
      await deregisterProxy({
        ...client,
        maxAttempts: 3,
        proxyType,
        ...(options.mesh === undefined ? {} : { mesh: options.mesh }),
        name,
        token,
      });
      log.info('deregistered');
    } catch (err) {
      log.error({ reason: (err as Error).message }, 'deregistration failed');
    }
  };

  const ownWorkDir = options.workDir === undefined;
  const workDir = ownWorkDir ? await mkdtemp(join(tmpdir(), `strait-${proxyType}-`)) : (options.workDir as string);
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
    log.info({ adminPort, ...options.readyFields }, 'ready');
    return { adminPort, stop, done: runner.done };
  } catch (err) {
    await stop();
    throw err;
  }
}
