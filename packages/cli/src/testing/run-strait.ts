import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../cli-io.js';
import { type ProgramOptions, runCli } from '../index.js';

/** What one in-process `strait` run printed and returned. */
export interface StraitRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runStrait}. */
export interface RunStraitOptions extends ProgramOptions {
  /**
   * The run's environment. `STRAIT_CONFIG` defaults to a path that does not exist, so a test
   * never reads (or writes) the real `~/.strait`.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** What `apply -f -` reads. */
  readonly stdin?: string;
  /** The clock of AGE columns; default the real one. */
  readonly now?: Date;
}

/** A config path nobody creates: reads find no file and fall back to the default `local` context. */
export const MISSING_CONFIG = join(tmpdir(), `strait-cli-test-${process.pid}-no-config`, 'config.yaml');

/** Runs `strait <args>` in-process with captured output. */
export async function runStrait(args: readonly string[], options: RunStraitOptions = {}): Promise<StraitRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    readStdin: async () => options.stdin ?? '',
    env: { STRAIT_CONFIG: MISSING_CONFIG, ...options.env },
    now: () => options.now ?? new Date(),
  };
  const { env: _env, stdin: _stdin, now: _now, ...programOptions } = options;
  const code = await runCli(args, io, programOptions);
  return { code, stdout, stderr };
}
