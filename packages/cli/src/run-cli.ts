import { CommanderError } from 'commander';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import { printError } from './output/print-error.js';
import { createProgram, type ProgramOptions } from './program.js';
import { USAGE_ERROR_CODE } from './usage-error.js';

/** Commander codes that end a run successfully (help or version was asked for). */
const SUCCESS_CODES = new Set(['commander.helpDisplayed', 'commander.version']);

/**
 * Runs one `strait` invocation in-process and resolves with its exit code: 0 ok, 1 failure
 * (API error, invalid input, unreachable control plane), 2 usage error. Errors are printed
 * to the IO's stderr; nothing calls `process.exit`.
 */
export async function runCli(args: readonly string[], io: CliIo, options: ProgramOptions = {}): Promise<number> {
  const program = createProgram(io, options);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return ExitCode.ok;
  } catch (err) {
    return exitCodeFor(err, io);
  }
}

function exitCodeFor(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    if (SUCCESS_CODES.has(err.code)) return ExitCode.ok;
    if (err.code === 'commander.help') return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    // Commander has printed its own parse errors already; ours are printed here.
    if (err.code === USAGE_ERROR_CODE) {
      io.err(`Error: ${err.message}\n`);
    }
    return ExitCode.usage;
  }
  printError(io, err);
  return ExitCode.failure;
}
