/** Small facts about a spawned Envoy process: spawning it, whether it still runs, waiting for it to exit. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';

/** True while the process has neither exited nor been killed by a signal. */
export function isRunning(proc: ChildProcess): boolean {
  return proc.exitCode === null && proc.signalCode === null;
}

/**
 * Spawns `bin args` with piped output and resolves once the OS started it; rejects with the spawn
 * error (`ENOENT`, `EACCES`) otherwise. The caller keeps an `error` listener from then on.
 */
export async function spawnProcess(bin: string, args: readonly string[]): Promise<ChildProcess> {
  const proc = spawn(bin, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    proc.once('spawn', resolve);
    proc.once('error', reject);
  });
  return proc;
}

/** Resolves true once the process has exited, false when `timeoutMs` passed first. */
export async function waitForExit(proc: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (!isRunning(proc)) return true;
  const timer = new AbortController();
  const exited = once(proc, 'exit').then(() => true);
  const timedOut = sleep(timeoutMs, false, { signal: timer.signal }).catch(() => false);
  const result = await Promise.race([exited, timedOut]);
  timer.abort();
  return result;
}
