import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { toJson } from '../output/documents.js';

/** Product name printed by `strait version`. */
export const PRODUCT = 'Strait';

/** The version of this package, from its package.json. */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/** Registers `strait version [--json]`. */
export function registerVersionCommand(program: Command, ctx: CliContext): void {
  program
    .command('version')
    .description('Print the version of the CLI')
    .option('--json', 'print {product, version} as JSON')
    .action((opts: { json?: boolean }) => {
      const version = cliVersion();
      ctx.io.out(opts.json === true ? toJson({ product: PRODUCT, version }) : `${PRODUCT} ${version}\n`);
    });
}
