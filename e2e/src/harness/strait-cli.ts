import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ProcessHandle, startProcess } from './process-handle.js';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The `strait` launcher, run with the current Node. */
export const straitBin = fileURLToPath(new URL('../../../packages/cli/bin/strait.mjs', import.meta.url));

/** Starts `strait <args>` as a long-running process. */
export function startStrait(
  name: string,
  args: readonly string[],
  env: Record<string, string> = {},
  logFile?: string,
): ProcessHandle {
  return startProcess({
    name,
    command: process.execPath,
    args: [straitBin, ...args],
    env: { STRAIT_LOG_LEVEL: 'info', ...env },
    ...(logFile === undefined ? {} : { logFile }),
  });
}

/** Result of a one-shot CLI call. */
export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `strait <args>` to completion. */
export function strait(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string } = {},
): CliResult {
  const r = spawnSync(process.execPath, [straitBin, ...args], {
    env: { ...process.env, ...options.env },
    input: options.input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
