/** Asking an Envoy binary for its version (`envoy --version`). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { StraitError } from '../errors/strait-error.js';

const execFileAsync = promisify(execFile);

/** What `envoy --version` says. */
export interface EnvoyVersion {
  /** Semantic version, e.g. `1.40.0`. */
  readonly version: string;
  /** The whole build string, e.g. `9e55…/1.40.0/Clean/RELEASE/BoringSSL`. */
  readonly build: string;
}

/** `envoy  version: <sha>/<version>/<status>/<type>/<ssl>` (Envoy prints a leading blank line). */
const VERSION_LINE = /version:\s*(\S+)/;

/** Parses the output of `envoy --version`; `undefined` when it has no version line. */
export function parseEnvoyVersion(output: string): EnvoyVersion | undefined {
  const build = VERSION_LINE.exec(output)?.[1];
  if (build === undefined) return undefined;
  const version = build.split('/').find((part) => /^\d+\.\d+\.\d+/.test(part));
  return { version: version ?? build, build };
}

/** Runs `bin --version`; throws `Unavailable` when Envoy does not run or says no version. */
export async function envoyVersion(bin: string, timeoutMs = 10_000): Promise<EnvoyVersion> {
  let output: string;
  try {
    const { stdout, stderr } = await execFileAsync(bin, ['--version'], { timeout: timeoutMs, encoding: 'utf8' });
    output = `${stdout}\n${stderr}`;
  } catch (err) {
    throw new StraitError('Unavailable', `cannot run ${bin} --version: ${(err as Error).message}`, { cause: err });
  }
  const parsed = parseEnvoyVersion(output);
  if (parsed === undefined) throw new StraitError('Unavailable', `${bin} --version printed no version`);
  return parsed;
}
