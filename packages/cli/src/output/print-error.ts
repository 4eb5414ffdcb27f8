import { isStraitError } from '@strait/shared';
import type { CliIo } from '../cli-io.js';

/**
 * Prints a failure for a human: `Error: <message>`, then one indented `field: reason` line
 * per violation. With `STRAIT_DEBUG` set, unexpected errors print their stack too.
 */
export function printError(io: CliIo, err: unknown): void {
  if (isStraitError(err)) {
    io.err(`Error: ${err.message}\n`);
    for (const v of err.violations) io.err(`  ${v.field}: ${v.reason}\n`);
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.err(`Error: ${message}\n`);
  if (err instanceof Error && err.stack !== undefined && io.env.STRAIT_DEBUG) io.err(`${err.stack}\n`);
}
