import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { waitFor } from './wait-for.js';

/** A child process whose output is kept (and written to `logFile`) so tests can wait on it. */
export interface ProcessHandle {
  readonly name: string;
  readonly child: ChildProcess;
  /** Every stdout+stderr line so far. */
  readonly lines: string[];
  /** Resolves with the first JSON log line whose `msg` equals `msg` (and which `match` accepts). */
  waitForLog(
    msg: string,
    match?: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** SIGKILLs the process and everything it started (clean-up), and waits for it to exit. */
  killGroup(): Promise<number | null>;
  /** Sends a signal and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

/** Options of {@link startProcess}. */
export interface StartProcessOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  readonly logFile?: string;
}

/** Spawns a process with piped output; it is killed by `kill()` (tests must call it in `after`). */
export function startProcess(options: StartProcessOptions): ProcessHandle {
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that a SIGKILL in clean-up also reaches its children (a sidecar's Envoy).
    detached: true,
  });
  const lines: string[] = [];
  if (options.logFile !== undefined) mkdirSync(dirname(options.logFile), { recursive: true });
  const log = options.logFile === undefined ? undefined : createWriteStream(options.logFile, { flags: 'a' });
  const onData = (buf: Buffer): void => {
    const text = buf.toString('utf8');
    log?.write(text);
    for (const line of text.split('\n')) if (line.trim() !== '') lines.push(line);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  // 'close' (not 'exit'): all output has been read; the log file is complete before we resolve.
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code, signal) => {
      const result = code ?? (signal === null ? null : -1);
      if (log === undefined) resolve(result);
      else log.end(() => resolve(result));
    });
  });
  const parsed = (line: string): Record<string, unknown> | undefined => {
    if (!line.startsWith('{')) return undefined;
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  return {
    name: options.name,
    child,
    lines,
    exited,
    waitForLog(msg, match, timeoutMs = 30_000) {
      let exitCode: number | null | undefined;
      void exited.then((c) => {
        exitCode = c;
      });
      return waitFor(
        () => {
          for (const line of lines) {
            const json = parsed(line);
            if (json !== undefined && json.msg === msg && (match === undefined || match(json))) return json;
          }
          if (exitCode !== undefined) {
            throw new Error(
              `${options.name} exited (${exitCode}) before logging "${msg}":\n${lines.slice(-20).join('\n')}`,
            );
          }
          return undefined;
        },
        { timeoutMs, what: `${options.name} to log "${msg}"` },
      );
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    async killGroup() {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
      return exited;
    },
  };
}
