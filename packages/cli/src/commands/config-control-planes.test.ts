import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { closedPort } from '../testing/closed-port.js';
import { runStrait } from '../testing/run-strait.js';

describe('strait config control-planes', () => {
  let dir = '';
  let server: Server;
  let address = '';
  const seenAuth: (string | undefined)[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strait-cfg-cmd-'));
    server = createServer((req, res) => {
      seenAuth.push(req.headers.authorization);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ product: 'Strait', version: '0.0.0' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const inHome = (name: string) => ({ env: { HOME: join(dir, name) } });
  const configIn = (name: string) => join(dir, name, '.strait', 'config.yaml');

  it('lists the local default when there is no file', async () => {
    const run = await runStrait(['config', 'control-planes', 'list'], inHome('fresh'));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'ACTIVE   NAME    ADDRESS\n*        local   http://127.0.0.1:5681\n');
  });

  it('adds after checking GET /, saves 0600 under ~/.strait, and makes it current', async () => {
    const env = { env: { HOME: join(dir, 'home'), STRAIT_CONFIG: '' } };
    const add = await runStrait(
      ['config', 'control-planes', 'add', '--name', 'dev', '--address', address, '--auth-token', 'tok'],
      env,
    );
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /added control plane "dev"/);
    assert.equal(seenAuth.at(-1), 'Bearer tok', 'the check uses the new token');
    const path = configIn('home');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(parse(await readFile(path, 'utf8')), {
      current: 'dev',
      controlPlanes: [
        { name: 'local', address: 'http://127.0.0.1:5681' },
        { name: 'dev', address, authToken: 'tok' },
      ],
    });
    const list = await runStrait(['config', 'control-planes', 'list'], env);
    assert.equal(
      list.stdout,
      `ACTIVE   NAME    ADDRESS\n         local   http://127.0.0.1:5681\n*        dev     ${address}\n`,
    );
  });

  it('uses the current context for API calls, with its token', async () => {
    const file = join(dir, 'ctx.yaml');
    await writeFile(
      file,
      `current: dev\ncontrolPlanes:\n  - name: dev\n    address: ${address}\n    authToken: ctx-tok\n`,
    );
    const run = await runStrait(['config', 'control-planes', 'add', '--name', 'x', '--address', address], {
      env: { STRAIT_CONFIG: file },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(seenAuth.at(-1), undefined, 'a new control plane is checked with its own (no) token');
  });

  it('refuses a taken name without --overwrite, and replaces it with', async () => {
    const file = join(dir, 'overwrite.yaml');
    const base = ['config', 'control-planes', 'add', '--name', 'dev', '--no-check'];
    const opts = { env: { STRAIT_CONFIG: file } };
    assert.equal((await runStrait([...base, '--address', 'http://a:5681'], opts)).code, 0);
    const again = await runStrait([...base, '--address', 'http://b:5681'], opts);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists; pass --overwrite/);
    assert.equal((await runStrait([...base, '--address', 'http://b:5681', '--overwrite'], opts)).code, 0);
    assert.match((await runStrait(['config', 'control-planes', 'list'], opts)).stdout, /dev {5}http:\/\/b:5681/);
  });

  it('does not save a control plane that does not answer, unless --no-check', async () => {
    const file = join(dir, 'unreachable.yaml');
    const gone = `http://127.0.0.1:${await closedPort()}`;
    const args = ['config', 'control-planes', 'add', '--name', 'gone', '--address', gone];
    const run = await runStrait(args, { env: { STRAIT_CONFIG: file } });
    assert.equal(run.code, 1);
    assert.ok(run.stderr.includes(`cannot reach control plane at ${gone}: ECONNREFUSED`), run.stderr);
    assert.match(run.stderr, /--no-check/);
    await assert.rejects(stat(file), { code: 'ENOENT' });
    assert.equal((await runStrait([...args, '--no-check'], { env: { STRAIT_CONFIG: file } })).code, 0);
  });

  it('switches and removes', async () => {
    const opts = { env: { STRAIT_CONFIG: join(dir, 'switch.yaml') } };
    await runStrait(['config', 'control-planes', 'add', '--name', 'a', '--address', 'http://a:1', '--no-check'], opts);
    await runStrait(['config', 'control-planes', 'add', '--name', 'b', '--address', 'http://b:1', '--no-check'], opts);
    assert.equal((await runStrait(['config', 'control-planes', 'switch', '--name', 'a'], opts)).code, 0);
    assert.match((await runStrait(['config', 'control-planes', 'list'], opts)).stdout, /^\* +a /m);
    const missing = await runStrait(['config', 'control-planes', 'switch', '--name', 'zzz'], opts);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /there is no control plane "zzz"/);
    const removed = await runStrait(['config', 'control-planes', 'remove', '--name', 'a'], opts);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /current is "local"/);
  });

  it('validates flags: address form, one token source, required --name', async () => {
    const opts = { env: { STRAIT_CONFIG: join(dir, 'flags.yaml') } };
    const bad = await runStrait(['config', 'control-planes', 'add', '--name', 'x', '--address', 'cp:5681'], opts);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--address cp:5681/);
    const both = await runStrait(
      [
        'config',
        'control-planes',
        'add',
        '--name',
        'x',
        '--address',
        'http://x',
        '--auth-token',
        't',
        '--auth-token-file',
        'f',
      ],
      opts,
    );
    assert.equal(both.code, 2);
    assert.equal((await runStrait(['config', 'control-planes', 'add', '--address', 'http://x'], opts)).code, 2);
  });
});
