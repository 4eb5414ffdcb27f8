import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runStrait } from '../testing/run-strait.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('strait version', () => {
  it('prints the package version', async () => {
    assert.deepEqual(await runStrait(['version']), { code: 0, stdout: `Strait ${pkg.version}\n`, stderr: '' });
    assert.equal((await runStrait(['--version'])).stdout, `Strait ${pkg.version}\n`);
  });

  it('prints JSON with --json', async () => {
    const run = await runStrait(['version', '--json']);
    assert.equal(run.code, 0);
    assert.deepEqual(JSON.parse(run.stdout), { product: 'Strait', version: pkg.version });
  });
});
