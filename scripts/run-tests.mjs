// Runs the node:test suites of one tier. Node 20's --test takes no globs, so files are found here.
//   unit: every *.test.ts under packages/*/src, proto/src and bench/src (in-process, fast)
//   e2e:  every *.test.ts under e2e/src (real processes, real Envoy)
// Extra arguments are passed to node (e.g. --test-name-pattern).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tiers = {
  unit: ['packages', 'proto/src', 'bench/src'],
  e2e: ['e2e/src'],
};

function find(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'gen') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const [tier = 'unit', ...rest] = process.argv.slice(2);
const dirs = tiers[tier];
if (dirs === undefined) {
  console.error(`unknown tier "${tier}"; use one of: ${Object.keys(tiers).join(', ')}`);
  process.exit(2);
}
const files = dirs.flatMap((d) => find(join(root, d), [])).sort();
if (files.length === 0) {
  console.error(`no test files found for tier ${tier}`);
  process.exit(1);
}
const concurrency = tier === 'e2e' ? '1' : String(Math.max(2, (await import('node:os')).availableParallelism()));
const result = spawnSync(
  process.execPath,
  ['--conditions=strait-source', '--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...rest, ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
