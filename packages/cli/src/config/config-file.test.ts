import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isStraitError } from '@strait/shared';
import { DEFAULT_CLI_CONFIG } from './cli-config.js';
import { configFilePath, loadCliConfig, saveCliConfig } from './config-file.js';

describe('config file', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strait-config-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('is found at the flag, else $STRAIT_CONFIG, else ~/.strait/config.yaml', () => {
    assert.equal(configFilePath({ STRAIT_CONFIG: '/e.yaml', HOME: '/h' }, '/f.yaml'), '/f.yaml');
    assert.equal(configFilePath({ STRAIT_CONFIG: '/e.yaml', HOME: '/h' }), '/e.yaml');
    assert.equal(configFilePath({ HOME: '/h' }), '/h/.strait/config.yaml');
  });

  it('defaults to the local control plane when the file does not exist', async () => {
    assert.deepEqual(await loadCliConfig(join(dir, 'missing', 'config.yaml')), DEFAULT_CLI_CONFIG);
  });

  it('saves as YAML with mode 0600, creating the parent directory, and loads it back', async () => {
    const path = join(dir, 'home', '.strait', 'config.yaml');
    const cfg = {
      current: 'prod',
      controlPlanes: [{ name: 'prod', address: 'https://cp:5682', authToken: 'secret', skipVerify: true }],
    };
    await saveCliConfig(path, cfg);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.match(await readFile(path, 'utf8'), /^current: prod$/m);
    assert.deepEqual(await loadCliConfig(path), cfg);
    await saveCliConfig(path, { ...cfg, current: 'x' });
    assert.equal((await stat(path)).mode & 0o777, 0o600, 'still 0600 after a rewrite');
  });

  it('rejects a broken file naming the file and the field', async () => {
    const path = join(dir, 'broken.yaml');
    await writeFile(path, 'controlPlanes:\n  - name: a\n    address: not-a-url\n');
    await assert.rejects(
      loadCliConfig(path),
      (err) =>
        isStraitError(err, 'Invalid') &&
        err.message.includes(path) &&
        err.violations.some((v) => v.field === 'controlPlanes[0].address'),
    );
    await writeFile(path, 'controlPlanes: [unclosed\n');
    await assert.rejects(loadCliConfig(path), (err) => isStraitError(err, 'Invalid') && err.message.includes(path));
  });
});
