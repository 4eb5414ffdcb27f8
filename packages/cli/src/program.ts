import { builtinRegistry, type ResourceRegistry } from '@strait/shared';
import { Command } from 'commander';
import { createCliContext } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import type { HttpTransport } from './client/http-transport.js';
import { registerApplyCommand } from './commands/apply.js';
import { registerConfigCommand } from './commands/config-control-planes.js';
import { registerDeleteCommand } from './commands/delete.js';
import { registerDpRunCommand } from './commands/dp-run.js';
import { registerGenerateCommand } from './commands/generate.js';
import { registerGetCommand } from './commands/get.js';
import { registerInspectCommand } from './commands/inspect/index.js';
import { registerRunCommands } from './commands/run-commands.js';
import { cliVersion, PRODUCT, registerVersionCommand } from './commands/version.js';
import { registerZoneIngressRunCommand } from './commands/zone-ingress-run.js';
import { addGlobalOptions } from './global-options.js';

/** Options of {@link createProgram}. */
export interface ProgramOptions {
  /** Resource types the CLI knows; default the built-in registry. */
  readonly registry?: ResourceRegistry;
  /** Replaces the network transport of every API client (tests). */
  readonly transport?: HttpTransport;
}

/**
 * Builds the `strait` command tree over the given IO. Nothing in it exits the process:
 * errors propagate out of `parseAsync` (Commander's own as `CommanderError`s), and
 * {@link runCli} maps them to exit codes. Build one program per invocation.
 */
export function createProgram(io: CliIo, options: ProgramOptions = {}): Command {
  const ctx = createCliContext(io, {
    registry: options.registry ?? builtinRegistry,
    ...(options.transport === undefined ? {} : { transport: options.transport }),
  });
  const program = new Command('strait')
    .description('Strait: a multi-zone service-mesh control plane (Kuma-compatible) and its CLI')
    .version(`${PRODUCT} ${cliVersion()}`, '--version', 'print the version of the CLI')
    .showSuggestionAfterError(true);
  addGlobalOptions(program);
  keepInProcess(program, io);

  registerApplyCommand(program, ctx);
  registerGetCommand(program, ctx);
  registerDeleteCommand(program, ctx);
  registerInspectCommand(program, ctx);
  registerConfigCommand(program, ctx);
  registerVersionCommand(program, ctx);
  registerGenerateCommand(program, ctx);
  registerRunCommands(program);
  registerDpRunCommand(program, ctx);
  registerZoneIngressRunCommand(program, ctx);

  // Commands added with addCommand() do not inherit the settings: apply them to the whole tree.
  const visit = (cmd: Command): void => {
    keepInProcess(cmd, io);
    for (const sub of cmd.commands) visit(sub);
  };
  visit(program);
  return program;
}

/** Commander throws instead of exiting, and writes through the invocation's IO. */
function keepInProcess(cmd: Command, io: CliIo): void {
  cmd.exitOverride().configureOutput({
    writeOut: io.out,
    writeErr: io.err,
    outputError: (text, write) => write(text),
  });
}
