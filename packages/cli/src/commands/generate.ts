import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { usageError } from '../usage-error.js';

interface DataplaneTokenOptions {
  readonly name?: string;
  readonly mesh: string;
  readonly tag: string[];
  readonly validFor: string;
  readonly proxyType: string;
}

/** `--tag k=v` (repeatable; several values of one key accumulate, as kumactl does). */
function tagsOf(pairs: readonly string[]): Record<string, string[]> {
  const tags: Record<string, string[]> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw usageError(`--tag "${pair}" must look like key=value`);
    const key = pair.slice(0, eq);
    const values = pair
      .slice(eq + 1)
      .split(',')
      .filter((v) => v !== '');
    tags[key] = [...(tags[key] ?? []), ...values];
  }
  return tags;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Registers `strait generate dataplane-token`. */
export function registerGenerateCommand(program: Command, ctx: CliContext): void {
  const generate = program.command('generate').description('Generate tokens');
  generate
    .command('dataplane-token')
    .description('Generate a token a dataplane (or zone ingress, --proxy-type ingress) presents to its zone CP')
    .option('--name <name>', 'bind the token to this Dataplane name (default: any name)')
    .option('-m, --mesh <mesh>', 'mesh of the dataplane', 'default')
    .option('--tag <key=value>', 'bind to inbound tag values (repeatable)', collect, [])
    .option('--valid-for <duration>', 'lifetime, e.g. 24h or 30m', '8760h')
    .option('--proxy-type <type>', 'dataplane or ingress', 'dataplane')
    .action(async (opts: DataplaneTokenOptions, cmd: Command) => {
      if (opts.proxyType !== 'dataplane' && opts.proxyType !== 'ingress') {
        throw usageError(`--proxy-type must be dataplane or ingress, not "${opts.proxyType}"`);
      }
      const body = {
        type: opts.proxyType,
        mesh: opts.mesh,
        ...(opts.name === undefined ? {} : { name: opts.name }),
        tags: tagsOf(opts.tag),
        validFor: opts.validFor,
      };
      const token = await (await ctx.client(cmd)).postText('/tokens/dataplane', body);
      ctx.io.out(`${token.trim()}\n`);
    });

  generate
    .command('zone-token')
    .description('Generate a token a zone CP (scope cp) or zone ingress (scope ingress) presents to the global CP')
    .requiredOption('--zone <name>', 'the zone the token speaks for')
    .option('--scope <scopes>', 'comma-separated: cp, ingress', 'cp,ingress')
    .option('--valid-for <duration>', 'lifetime, e.g. 24h or 30m', '8760h')
    .action(async (opts: { zone: string; scope: string; validFor: string }, cmd: Command) => {
      const scope = opts.scope
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const token = await (await ctx.client(cmd)).postText('/tokens/zone', {
        zone: opts.zone,
        scope,
        validFor: opts.validFor,
      });
      ctx.io.out(`${token.trim()}\n`);
    });
}
