/**
 * A real `strait <role> run` child process for a benchmark: the ports it is given, its own data
 * directory, output straight into a log file (no pipe for the bench process to drain, so the
 * client side stays light), and the ready line awaited by reading that file. The zone and global
 * wrappers (`zone-cp-process.ts`, `global-cp-process.ts`) choose the ports and add what their
 * role serves.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

/** The `strait` launcher (runs the CLI from source through tsx). */
const STRAIT_BIN = fileURLToPath(new URL('../../../packages/cli/bin/strait.mjs', import.meta.url));

/** Options of {@link startCpProcess}. */
export interface CpProcessOptions {
  readonly role: 'zone-cp' | 'global-cp';
  /** Data directory (store, TLS files, admin token); also the process's working directory. */
  readonly dataDir: string;
  /** `sqlite` (the product default) or `memory`. */
  readonly storeType: 'sqlite' | 'memory';
  /** Where stdout and stderr go. */
  readonly logFile: string;
  /** Port flags and their ports, e.g. `{ 'api-port': 5681 }` (every one bound on 127.0.0.1). */
  readonly ports: Readonly<Record<string, number>>;
  /** Extra arguments of the CP's `node` (e.g. `--cpu-prof`, which NODE_OPTIONS does not allow). */
  readonly nodeArgs?: readonly string[];
  /** Log level; default `info` (the product default). */
  readonly logLevel?: string;
  /** How long to wait for the ready line; default 60 s. */
  readonly readyTimeoutMs?: number;
}

/** How a stop went. */
export interface StopOutcome {
  readonly ms: number;
  /** SIGKILL was needed: the CP did not exit within the grace period. */
  readonly killed: boolean;
}

/** A running CP process. */
export interface CpProcess {
  readonly pid: number;
  readonly logFile: string;
  /** The last `lines` lines of its log. */
  logTail(lines?: number): string;
  /**
   * SIGTERM, then SIGKILL after `graceMs` (default 30 s); resolves once it has exited, with how
   * long that took and whether it had to be killed (idempotent: later calls report the first).
   */
  stop(graceMs?: number): Promise<StopOutcome>;
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts the CP and resolves once it logged `ready` (rejects, after stopping it, if it never does). */
export async function startCpProcess(options: CpProcessOptions): Promise<CpProcess> {
  const out = openSync(options.logFile, 'a');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    STRAIT_LOG_LEVEL: options.logLevel ?? 'info',
    STRAIT_API_HOST: '127.0.0.1',
    STRAIT_XDS_HOST: '127.0.0.1',
    STRAIT_KDS_HOST: '127.0.0.1',
    STRAIT_DIAGNOSTICS_HOST: '127.0.0.1',
  };
  const args = [
    ...(options.nodeArgs ?? []),
    STRAIT_BIN,
    options.role,
    'run',
    '--data-dir',
    options.dataDir,
    '--store-type',
    options.storeType,
    ...Object.entries(options.ports).flatMap(([flag, port]) => [`--${flag}`, String(port)]),
  ];
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, args, { cwd: options.dataDir, env, stdio: ['ignore', out, out] });
  } finally {
    closeSync(out);
  }
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const logTail = (lines = 30): string => {
    try {
      return readFileSync(options.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  let stopping: Promise<StopOutcome> | undefined;
  const stop = (graceMs = 30_000): Promise<StopOutcome> => {
    stopping ??= (async () => {
      if (exited) return { ms: 0, killed: false };
      const started = performance.now();
      let killed = false;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, graceMs);
      await exitOf(child);
      clearTimeout(timer);
      return { ms: performance.now() - started, killed };
    })();
    return stopping;
  };
  try {
    const ready = waitFor(() => readFileSync(options.logFile, 'utf8').includes('"msg":"ready"'), {
      timeoutMs: options.readyTimeoutMs ?? 60_000,
      what: `the ${options.role} to log "ready"`,
    });
    let settled = false;
    const exitedEarly = exit.then(() => {
      if (!settled) throw new Error(`the ${options.role} exited before it was ready:\n${logTail()}`);
    });
    try {
      await Promise.race([ready, exitedEarly]);
    } finally {
      // Whichever lost must not reject later, unobserved (the CP exits when stopped).
      settled = true;
      ready.catch(() => {});
    }
  } catch (err) {
    await stop(2_000);
    throw err;
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`the ${options.role} has no pid`);
  return { pid, logFile: options.logFile, logTail, stop };
}
