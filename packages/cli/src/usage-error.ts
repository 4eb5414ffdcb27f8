import { CommanderError } from 'commander';
import { ExitCode } from './exit-codes.js';

/** Commander error code of usage errors raised by Strait's own commands (not by Commander's parser). */
export const USAGE_ERROR_CODE = 'strait.usage';

/**
 * A usage error found by a command after parsing (an unknown resource type, a flag that
 * needs another). It reuses Commander's error type so there is one usage path to exit code 2.
 */
export function usageError(message: string): CommanderError {
  return new CommanderError(ExitCode.usage, USAGE_ERROR_CODE, message);
}
