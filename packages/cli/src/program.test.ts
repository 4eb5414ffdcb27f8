import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExitCode } from './exit-codes.js';
import { runStrait } from './testing/run-strait.js';

describe('exit codes of usage errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown flag', ['get', 'meshes', '--frob'], /unknown option '--frob'/],
    ['a missing argument', ['delete', 'mesh'], /missing required argument 'name'/],
    ['an unknown output format', ['get', 'meshes', '-o', 'xml'], /argument 'xml' is invalid/],
    ['an unknown resource type', ['get', 'gizmos'], /unknown resource type "gizmos"/],
    ['apply without -f', ['apply'], /at least one -f/],
    ['a --label without =', ['get', 'meshes', '--label', 'team'], /--label "team": expected key=value/],
    ['no command at all', [], /Usage: strait/],
  ];
  for (const [what, args, message] of cases) {
    it(`exits 2 on ${what}`, async () => {
      const run = await runStrait(args, { env: { STRAIT_API_ADDRESS: 'http://127.0.0.1:1' } });
      assert.equal(run.code, ExitCode.usage, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    });
  }

  it('exits 0 on --help, printing to stdout', async () => {
    const run = await runStrait(['get', '--help']);
    assert.equal(run.code, ExitCode.ok);
    assert.match(run.stdout, /Usage: strait get \[options\] <type> \[name\]/);
  });

  it('registers the control-plane run commands', async () => {
    const run = await runStrait(['--help']);
    assert.match(run.stdout, /global-cp/);
    assert.match(run.stdout, /zone-cp/);
  });
});
