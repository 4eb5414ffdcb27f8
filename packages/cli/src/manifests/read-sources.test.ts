import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isStraitError } from '@strait/shared';
import { readManifestSources } from './read-sources.js';

describe('readManifestSources', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strait-sources-'));
    await writeFile(join(dir, 'b.yml'), 'b');
    await writeFile(join(dir, 'a.yaml'), 'a');
    await writeFile(join(dir, 'c.json'), 'c');
    await writeFile(join(dir, 'notes.txt'), 'skip me');
    await mkdir(join(dir, 'nested'));
    await writeFile(join(dir, 'nested', 'd.yaml'), 'nested');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('takes a directory’s manifests sorted by name, not recursing, ignoring other files', async () => {
    const sources = await readManifestSources([dir], async () => '');
    assert.deepEqual(
      sources.map((s) => [s.source, s.text]),
      [
        [join(dir, 'a.yaml'), 'a'],
        [join(dir, 'b.yml'), 'b'],
        [join(dir, 'c.json'), 'c'],
      ],
    );
  });

  it('keeps argument order and reads stdin once', async () => {
    let reads = 0;
    const stdin = async () => {
      reads++;
      return 'from stdin';
    };
    const sources = await readManifestSources([join(dir, 'c.json'), '-', join(dir, 'a.yaml'), '-'], stdin);
    assert.deepEqual(
      sources.map((s) => s.source),
      [join(dir, 'c.json'), '-', join(dir, 'a.yaml')],
    );
    assert.equal(reads, 1);
  });

  it('fails with Invalid naming a missing path', async () => {
    await assert.rejects(
      readManifestSources([join(dir, 'nope.yaml')], async () => ''),
      (err) =>
        isStraitError(err, 'Invalid') && err.message.includes('nope.yaml') && err.message.includes('no such file'),
    );
  });
});
