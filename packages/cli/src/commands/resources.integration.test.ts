/**
 * `apply`, `get` and `delete` against a real REST API (in-process, port 0, memory store),
 * with Kuma's documentation manifests.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { UniversalObject } from '@strait/shared';
import { parse, parseAllDocuments } from 'yaml';
import { closedPort } from '../testing/closed-port.js';
import { comparable, readFixture, testdataPath } from '../testing/fixtures.js';
import { type RunStraitOptions, runStrait } from '../testing/run-strait.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';

const MESH = readFixture('kuma-docs/01-mesh-mtls.yaml')[0] as UniversalObject;
const DATAPLANE = readFixture('kuma-docs/02-dataplane.yaml')[0] as UniversalObject;
const [MTP, TIMEOUT] = readFixture('kuma-docs/03-policies.yaml') as [UniversalObject, UniversalObject];

/** `get` arguments of each fixture, and the fixture. */
const FIXTURES: readonly (readonly [string[], UniversalObject])[] = [
  [['mesh', 'default'], MESH],
  [['dataplane', 'backend-1'], DATAPLANE],
  [['meshtrafficpermission', 'allow-orders'], MTP],
  [['mt', 'timeout-global'], TIMEOUT],
];

describe('apply, get, delete against a real API', () => {
  let api: TestApi;
  let strait: (args: readonly string[], options?: RunStraitOptions) => ReturnType<typeof runStrait>;

  before(async () => {
    api = await startTestApi();
    strait = (args, options = {}) =>
      runStrait(args, { ...options, env: { STRAIT_API_ADDRESS: api.address, ...options.env } });
  });
  after(() => api.close());

  it('applies a directory of Kuma docs manifests, Mesh first, skipping non-manifest files', async () => {
    const run = await strait(['apply', '-f', testdataPath('kuma-docs')]);
    assert.equal(run.stderr, '');
    assert.equal(run.code, 0);
    assert.equal(
      run.stdout,
      [
        'created Mesh default',
        'created Dataplane default/backend-1',
        'created MeshTrafficPermission default/allow-orders',
        'created MeshTimeout default/timeout-global',
        '',
      ].join('\n'),
    );
  });

  it('gets back each object as it was written', async () => {
    for (const [args, fixture] of FIXTURES) {
      const run = await strait(['get', ...args, '-o', 'yaml']);
      assert.equal(run.code, 0, run.stderr);
      const docs = parseAllDocuments(run.stdout);
      assert.equal(docs.length, 1, `${args.join(' ')}: one document`);
      const got = docs[0]?.toJS() as UniversalObject;
      assert.equal(typeof got.creationTime, 'string');
      assert.deepEqual(comparable(got, fixture), comparable(fixture), args.join(' '));
      const json = await strait(['get', ...args, '-o', 'json']);
      assert.deepEqual(JSON.parse(json.stdout), got, `${args.join(' ')}: JSON and YAML agree`);
    }
  });

  it('re-applies get -o yaml output unchanged (from stdin): configured', async () => {
    for (const [args, fixture] of FIXTURES) {
      const yaml = (await strait(['get', ...args, '-o', 'yaml'])).stdout;
      const run = await strait(['apply', '-f', '-'], { stdin: yaml });
      assert.equal(run.stderr, '');
      assert.equal(run.code, 0);
      const where = fixture.mesh === undefined ? fixture.name : `${fixture.mesh}/${fixture.name}`;
      assert.equal(run.stdout, `configured ${fixture.type} ${where}\n`);
    }
  });

  it('re-applies a listed type (a YAML stream) and a JSON list', async () => {
    await strait(['apply', '-f', '-'], {
      stdin:
        'type: MeshTimeout\nname: second\nmesh: default\nspec:\n  targetRef:\n    kind: Mesh\n  to:\n    - targetRef:\n        kind: Mesh\n      default:\n        idleTimeout: 5s\n',
    });
    const list = await strait(['get', 'meshtimeouts', '-o', 'yaml']);
    assert.equal(parseAllDocuments(list.stdout).length, 2);
    const yamlRun = await strait(['apply', '-f', '-'], { stdin: list.stdout });
    assert.equal(
      yamlRun.stdout,
      'configured MeshTimeout default/second\nconfigured MeshTimeout default/timeout-global\n',
    );
    const json = await strait(['get', 'meshtimeouts', '-o', 'json']);
    assert.equal(JSON.parse(json.stdout).total, 2);
    const jsonRun = await strait(['apply', '-f', '-'], { stdin: json.stdout });
    assert.equal(jsonRun.code, 0, jsonRun.stderr);
    assert.equal(jsonRun.stdout.split('\n').filter(Boolean).length, 2);
    assert.equal((await strait(['delete', 'meshtimeout', 'second'])).code, 0);
  });

  it('prints tables with per-type columns', async () => {
    const now = new Date(Date.now() + 3 * 60_000);
    const dps = await strait(['get', 'dataplanes'], { now });
    assert.equal(dps.code, 0, dps.stderr);
    const [header, row, ...rest] = dps.stdout.trimEnd().split('\n');
    assert.deepEqual(header?.split(/\s{2,}/), ['MESH', 'NAME', 'ADDRESS', 'SERVICES', 'AGE']);
    assert.deepEqual(row?.split(/\s+/), ['default', 'backend-1', '192.168.0.1', 'backend', '3m']);
    assert.deepEqual(rest, []);

    const meshes = await strait(['get', 'meshes']);
    assert.match(meshes.stdout, /^NAME +MTLS +METRICS +LOGGING +TRACING +AGE$/m);
    assert.match(meshes.stdout, /^default +builtin\/ca-1 +off +off +off +\d+s$/m);

    const mtps = await strait(['get', 'mtp']);
    assert.match(mtps.stdout, /^MESH +NAME +TARGETREF KIND +TARGETREF NAME +AGE$/m);
    assert.match(mtps.stdout, /^default +allow-orders +MeshService +payments +\d+s$/m);
  });

  it('filters lists by label', async () => {
    const hit = await strait(['get', 'meshtrafficpermissions', '--label', 'team=payments', '-o', 'json']);
    assert.deepEqual(
      JSON.parse(hit.stdout).items.map((i: UniversalObject) => i.name),
      ['allow-orders'],
    );
    const miss = await strait(['get', 'meshtrafficpermissions', '--label', 'team=nobody']);
    assert.equal(miss.code, 0);
    assert.equal(miss.stdout, 'MESH   NAME   TARGETREF KIND   TARGETREF NAME   AGE\n');
  });

  it('refuses an invalid manifest: exit 1, the field named, nothing stored', async () => {
    const file = testdataPath('invalid/mtp-bad-action.yaml');
    const run = await strait(['apply', '-f', file]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.ok(
      run.stderr.includes(`${file}, document 1: MeshTrafficPermission default/allow-maybe is invalid`),
      run.stderr,
    );
    assert.match(run.stderr, /^ {2}spec\.from\[0\]\.default\.action: /m);
    const get = await strait(['get', 'mtp', 'allow-maybe']);
    assert.equal(get.code, 1);
    assert.match(get.stderr, /there is no MeshTrafficPermission "allow-maybe" in mesh "default"/);
  });

  it('applies nothing when one document of many is invalid', async () => {
    const stdin = [
      'type: MeshTimeout\nname: would-be-fine\nmesh: default\nspec:\n  targetRef:\n    kind: Mesh\n  to:\n    - targetRef:\n        kind: Mesh\n      default:\n        idleTimeout: 5s',
      'type: MeshTimeout\nname: broken\nmesh: default\nspec:\n  targetRef:\n    kind: Mesh\n  bogus: true',
    ].join('\n---\n');
    const run = await strait(['apply', '-f', '-'], { stdin });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /<stdin>, document 2: MeshTimeout default\/broken is invalid/);
    assert.match(run.stderr, /spec\.bogus/);
    assert.match(run.stderr, /1 of 2 resources are invalid; nothing was applied/);
    assert.equal((await strait(['get', 'meshtimeout', 'would-be-fine'])).code, 1);
  });

  it('reports what the API refuses, with the file and the resource', async () => {
    const stdin =
      'type: MeshTimeout\nname: orphan\nmesh: no-such-mesh\nspec:\n  targetRef:\n    kind: Mesh\n  to:\n    - targetRef:\n        kind: Mesh\n      default:\n        idleTimeout: 5s\n';
    const run = await strait(['apply', '-f', '-'], { stdin });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^Error: <stdin>, document 1: MeshTimeout no-such-mesh\/orphan was not applied/);
    // The field and reason come from the API's invalid_parameters.
    assert.match(run.stderr, /^ {2}mesh: .*no-such-mesh/m);
  });

  it('validates without sending on --dry-run', async () => {
    const stdin = 'type: Mesh\nname: dry\n';
    const run = await strait(['apply', '--dry-run', '-f', '-'], { stdin });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'valid Mesh dry (dry run)\n');
    assert.equal((await strait(['get', 'mesh', 'dry'])).code, 1);
    const bad = await strait(['apply', '--dry-run', '-f', testdataPath('invalid/mtp-bad-action.yaml')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /spec\.from\[0\]\.default\.action/);
  });

  it('fills {{ vars }} from --var', async () => {
    const stdin = 'type: Mesh\nname: "{{ name }}"\nlabels:\n  env: {{env}}\n';
    const run = await strait(['apply', '-f', '-', '--var', 'name=templated', '--var', 'env=dev']);
    assert.equal(run.code, 1, 'no stdin given: no resources');
    const ok = await strait(['apply', '-f', '-', '--var', 'name=templated', '--var', 'env=dev'], { stdin });
    assert.equal(ok.stdout, 'created Mesh templated\n', ok.stderr);
    const got = parse((await strait(['get', 'mesh', 'templated', '-o', 'yaml'])).stdout) as UniversalObject;
    assert.deepEqual(comparable(got).labels, { env: 'dev' });
    const missing = await strait(['apply', '-f', '-', '--var', 'name=x'], { stdin });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no --var given for \{\{ env \}\}/);
  });

  it('lists a mesh-scoped type across meshes with -A, and in one mesh with -m', async () => {
    const timeout = (mesh: string) =>
      `type: MeshTimeout\nname: t-${mesh}\nmesh: ${mesh}\nspec:\n  targetRef:\n    kind: Mesh\n  to:\n    - targetRef:\n        kind: Mesh\n      default:\n        idleTimeout: 5s\n`;
    const run = await strait(['apply', '-f', '-'], { stdin: `type: Mesh\nname: other\n---\n${timeout('other')}` });
    assert.equal(run.stdout, 'created Mesh other\ncreated MeshTimeout other/t-other\n', run.stderr);
    const names = async (args: string[]) =>
      JSON.parse((await strait(['get', 'meshtimeouts', '-o', 'json', ...args])).stdout).items.map(
        (i: UniversalObject) => `${i.mesh}/${i.name}`,
      );
    assert.deepEqual(await names(['-m', 'other']), ['other/t-other']);
    assert.deepEqual(await names([]), ['default/timeout-global']);
    assert.deepEqual((await names(['-A'])).sort(), ['default/timeout-global', 'other/t-other']);
  });

  it('deletes, then reports the resource missing', async () => {
    const run = await strait(['delete', 'mtp', 'allow-orders']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'deleted MeshTrafficPermission default/allow-orders\n');
    const get = await strait(['get', 'mtp', 'allow-orders']);
    assert.equal(get.code, 1);
    assert.match(get.stderr, /there is no MeshTrafficPermission "allow-orders" in mesh "default"/);
    const again = await strait(['delete', 'mtp', 'allow-orders']);
    assert.equal(again.code, 1);
    assert.equal((await strait(['delete', 'mesh', 'other'])).stdout, 'deleted Mesh other\n');
  });

  it('follows next to fetch every page', async () => {
    const stdin = Array.from({ length: 130 }, (_, i) => `type: Mesh\nname: page-${String(i).padStart(3, '0')}\n`).join(
      '---\n',
    );
    const apply = await strait(['apply', '-f', '-'], { stdin });
    assert.equal(apply.code, 0, apply.stderr);
    const list = JSON.parse((await strait(['get', 'meshes', '-o', 'json'])).stdout) as { items: UniversalObject[] };
    const pages = list.items.filter((m) => String(m.name).startsWith('page-'));
    assert.equal(pages.length, 130);
  });

  it('explains an unreachable control plane', async () => {
    const address = `http://127.0.0.1:${await closedPort()}`;
    const run = await runStrait(['get', 'meshes'], { env: { STRAIT_API_ADDRESS: address } });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      `Error: cannot reach control plane at ${address}: ECONNREFUSED — is it running? check \`strait config control-planes list\`\n`,
    );
    const flag = await runStrait(['apply', '-f', testdataPath('kuma-docs'), '--api-address', address]);
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /cannot reach control plane/);
  });
});
