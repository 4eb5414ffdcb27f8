/**
 * `strait zone-ingress run`'s command line (in-process): what it refuses before it talks to a
 * control plane. Registration, traffic and shutdown against a real zone CP and Envoy are proven
 * by e2e/src/zone-ingress.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ExitCode } from '../exit-codes.js';
import { runStrait } from '../testing/run-strait.js';

describe('strait zone-ingress run (command line)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strait-zone-ingress-run-'));
    await writeFile(join(dir, 'token'), 'zone-token');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('is a usage error without --zone-token-file (exit 2)', async () => {
    const run = await runStrait(['zone-ingress', 'run'], { env: {} });
    assert.equal(run.code, ExitCode.usage);
    assert.match(run.stderr, /--zone-token-file/);
  });

  it('refuses a port that is not one (exit 2, flag named)', async () => {
    const run = await runStrait(['zone-ingress', 'run', '--zone-token-file', join(dir, 'token'), '--port', '70000']);
    assert.equal(run.code, ExitCode.usage);
    assert.match(run.stderr, /--port/);
  });

  it('refuses to advertise 0.0.0.0 to other zones (exit 1, flag named, nothing contacted)', async () => {
    const run = await runStrait(
      ['zone-ingress', 'run', '--cp-address', 'https://127.0.0.1:1', '--zone-token-file', join(dir, 'token')].concat([
        '--address',
        '0.0.0.0',
      ]),
    );
    assert.equal(run.code, ExitCode.failure);
    assert.match(run.stderr, /--advertised-address/);
  });
});
