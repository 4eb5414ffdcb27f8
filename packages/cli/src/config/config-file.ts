import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { isStraitError, StraitError } from '@strait/shared';
import { parse, stringify } from 'yaml';
import { type CliConfig, DEFAULT_CLI_CONFIG, parseCliConfig } from './cli-config.js';

/**
 * Where the configuration lives: the `--config-file` flag, else `$STRAIT_CONFIG`, else
 * `~/.strait/config.yaml` (home from `$HOME`).
 */
export function configFilePath(env: Readonly<Record<string, string | undefined>>, flag?: string): string {
  if (flag !== undefined && flag !== '') return flag;
  const fromEnv = env.STRAIT_CONFIG;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return join(env.HOME ?? homedir(), '.strait', 'config.yaml');
}

/** Reads the configuration; the default (`local` at http://127.0.0.1:5681) when the file does not exist. */
export async function loadCliConfig(path: string): Promise<CliConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_CLI_CONFIG;
    throw new StraitError('Invalid', `cannot read configuration ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return parseCliConfig(parse(text));
  } catch (err) {
    if (isStraitError(err)) throw new StraitError(err.code, `${path}: ${err.message}`, { violations: err.violations });
    throw new StraitError('Invalid', `${path}: not valid YAML: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Writes the configuration: parent directory created (0700), file replaced atomically and
 * readable by its owner only (0600), since it may hold tokens.
 */
export async function saveCliConfig(path: string, config: CliConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, stringify(config), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}
