import { CONFIG_SOURCES, type CpRole, createLogger, loadCpConfig, runUntilSignal } from '@strait/shared';
import type { Command } from 'commander';

type FlagValues = Record<string, string | boolean | undefined>;

/** Commander stores `--api-port` as `apiPort`; config sources are keyed by the flag name. */
function flagsByName(opts: Record<string, unknown>): FlagValues {
  const out: FlagValues = {};
  for (const source of CONFIG_SOURCES) {
    const key = source.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const v = opts[key];
    if (typeof v === 'string' || typeof v === 'boolean') out[source.flag] = v;
  }
  return out;
}

async function run(role: CpRole, opts: Record<string, unknown>): Promise<void> {
  const flags = flagsByName(opts);
  const config = loadCpConfig({
    role,
    ...(typeof opts.config === 'string' ? { file: opts.config } : {}),
    flags,
  });
  const logger = createLogger({ level: config.log.level });
  // Loaded on demand so client commands (`strait get`, …) do not pay for the control-plane stack.
  const running =
    role === 'global'
      ? await (await import('@strait/global-cp')).startGlobalCp({ config, logger })
      : await (await import('@strait/zone-cp')).startZoneCp({ config, logger });
  await runUntilSignal(running, logger, config.shutdownTimeoutMs);
}

function addRunCommand(parent: Command, role: CpRole, description: string): void {
  const cmd = parent.command('run').description(description).option('-c, --config <file>', 'YAML configuration file');
  for (const source of CONFIG_SOURCES) {
    const flag = source.kind === 'boolean' ? `--${source.flag} [bool]` : `--${source.flag} <value>`;
    cmd.option(flag, `${source.description} (env ${source.env})`);
  }
  cmd.action((opts: Record<string, unknown>) => run(role, opts));
}

/** Registers `strait global-cp run` and `strait zone-cp run`; configuration: file < STRAIT_* env < flags. */
export function registerRunCommands(program: Command): void {
  addRunCommand(
    program.command('global-cp').description('global control plane'),
    'global',
    'run the global control plane',
  );
  addRunCommand(program.command('zone-cp').description('zone control plane'), 'zone', 'run a zone control plane');
}
