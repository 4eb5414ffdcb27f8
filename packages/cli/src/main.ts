import { pathToFileURL } from 'node:url';
import { createProcessIo } from './cli-io.js';
import { runCli } from './run-cli.js';

/** Runs `strait` for this process and resolves with the exit code (the caller sets it). */
export async function main(args: readonly string[] = process.argv.slice(2)): Promise<number> {
  // `strait get … | head` closes stdout early; that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  return runCli(args, createProcessIo());
}

// Also runnable directly: `node --import tsx packages/cli/src/main.ts get meshes`.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
