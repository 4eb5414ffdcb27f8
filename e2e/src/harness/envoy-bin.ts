import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './strait-cli.js';

let cached: string | undefined;

/** The Envoy binary: `ENVOY_BIN`, else whatever the project's install script provides. */
export function envoyBin(): string {
  cached ??=
    process.env.ENVOY_BIN ??
    execFileSync('bash', [join(repoRoot, 'scripts', 'install-envoy.sh')], { encoding: 'utf8' }).trim();
  return cached;
}
