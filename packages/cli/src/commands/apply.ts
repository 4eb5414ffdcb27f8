import {
  formatKey,
  isStraitError,
  keyOf,
  parseUniversal,
  type ResourceDescriptor,
  type ResourceInput,
  StraitError,
} from '@strait/shared';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { loadManifests } from '../manifests/load-manifests.js';
import { describeOrigin, type ManifestDocument } from '../manifests/manifest-document.js';
import { collect, parseKeyValues } from '../option-values.js';
import { printError } from '../output/print-error.js';
import { usageError } from '../usage-error.js';

/** A manifest document that passed local validation. */
interface ValidDocument {
  readonly doc: ManifestDocument;
  readonly descriptor: ResourceDescriptor;
  readonly input: ResourceInput;
}

/** Registers `strait apply -f FILE|DIR|- [--var k=v] [--dry-run]`. */
export function registerApplyCommand(program: Command, ctx: CliContext): void {
  program
    .command('apply')
    .description('Create or replace resources from YAML or JSON manifests')
    .option(
      '-f, --file <path>',
      'manifest file, directory of .yaml/.yml/.json files, or - for stdin (repeatable)',
      collect,
    )
    .option('--var <key=value>', 'replace {{ key }} in the manifests with value (repeatable)', collect)
    .option('--dry-run', 'validate the manifests locally and send nothing')
    .addHelpText(
      'after',
      [
        '',
        'Every document is validated before anything is sent. Meshes (and other global resources) are then',
        'applied before the resources that live in them, the rest in file order; the first resource the',
        'control plane refuses stops the run.',
      ].join('\n'),
    )
    .action(async (opts: { file?: string[]; var?: string[]; dryRun?: boolean }, cmd: Command) => {
      if (opts.file === undefined || opts.file.length === 0) throw usageError('apply needs at least one -f FILE|DIR|-');
      const docs = await loadManifests({
        paths: opts.file,
        vars: parseKeyValues('--var', opts.var ?? []),
        readStdin: ctx.io.readStdin,
      });
      if (docs.length === 0) {
        const where = opts.file.map((f) => (f === '-' ? '<stdin>' : f)).join(', ');
        throw new StraitError('Invalid', `no resources found in ${where}`);
      }
      const valid = validateAll(ctx, docs);
      if (opts.dryRun === true) {
        for (const v of valid) ctx.io.out(`valid ${formatKey(keyOf(v.input))} (dry run)\n`);
        return;
      }
      const resources = await ctx.resources(cmd);
      for (const v of containersFirst(valid)) {
        const key = keyOf(v.input);
        const outcome = await resources.put(v.descriptor, key, v.doc.object).catch((err: unknown) => {
          throw isStraitError(err, 'Unavailable') ? err : inDocument(v.doc, formatKey(key), 'was not applied', err);
        });
        ctx.io.out(`${outcome} ${formatKey(key)}\n`);
      }
    });
}

/**
 * Validates every document with the shared codec before anything is sent, so an invalid
 * manifest stores nothing. Each invalid document is reported; then the command fails.
 */
function validateAll(ctx: CliContext, docs: readonly ManifestDocument[]): ValidDocument[] {
  const valid: ValidDocument[] = [];
  let invalidCount = 0;
  for (const doc of docs) {
    try {
      const input = parseUniversal(ctx.registry, doc.object);
      valid.push({ doc, input, descriptor: ctx.registry.require(input.type) });
    } catch (err) {
      invalidCount++;
      printError(ctx.io, inDocument(doc, describeRaw(doc.object), 'is invalid', err));
    }
  }
  if (invalidCount > 0) {
    const of = docs.length === 1 ? 'the resource is' : `${invalidCount} of ${docs.length} resources are`;
    throw new StraitError('Invalid', `${of} invalid; nothing was applied`);
  }
  return valid;
}

/** Global-scoped resources (Mesh above all) before mesh-scoped ones; file order otherwise (the sort is stable). */
function containersFirst(valid: readonly ValidDocument[]): ValidDocument[] {
  const rank = (v: ValidDocument): number => (v.descriptor.scope === 'global' ? 0 : 1);
  return [...valid].sort((a, b) => rank(a) - rank(b));
}

/** Re-raises an error with where it happened: file, document, resource. */
function inDocument(doc: ManifestDocument, resource: string, what: string, err: unknown): StraitError {
  if (!isStraitError(err))
    return new StraitError('Internal', `${describeOrigin(doc)}: ${resource} ${what}: ${String(err)}`);
  const message =
    err.violations.length > 0 && err.code === 'Invalid' ? `${resource} ${what}` : `${resource} ${what}: ${err.message}`;
  return new StraitError(err.code, `${describeOrigin(doc)}: ${message}`, { violations: err.violations, cause: err });
}

/** `Type mesh/name` as far as a raw document says it, before it is known to be valid. */
function describeRaw(obj: unknown): string {
  const o = (typeof obj === 'object' && obj !== null ? obj : {}) as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const type = str(o.type) ?? '(no type)';
  const name = str(o.name) ?? '(no name)';
  const mesh = str(o.mesh);
  return mesh === undefined ? `${type} ${name}` : `${type} ${mesh}/${name}`;
}
