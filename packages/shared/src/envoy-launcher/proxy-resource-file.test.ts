import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isStraitError } from '../errors/strait-error.js';
import { readProxyResourceFile } from './proxy-resource-file.js';
import { renderProxyTemplate } from './proxy-template.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strait-proxy-file-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TEMPLATE = `type: Dataplane
mesh: default
name: {{ name }}
networking:
  address: {{address}}
  inbound:
    - port: {{ port }}
      tags:
        kuma.io/service: web
`;

describe('renderProxyTemplate', () => {
  it('replaces {{ name }} with or without spaces', () => {
    const vars = new Map([
      ['name', 'web-1'],
      ['address', '10.0.0.1'],
    ]);
    assert.equal(renderProxyTemplate('{{ name }}@{{address}}', vars, 'dp.yaml'), 'web-1@10.0.0.1');
  });

  it('names every missing variable and the flag that sets it', () => {
    assert.throws(
      () => renderProxyTemplate('{{ a }} {{ b }} {{ c }}', new Map([['a', '1']]), 'dp.yaml'),
      (err: unknown) =>
        isStraitError(err, 'Invalid') &&
        err.violations.map((v) => v.field).join() === 'b,c' &&
        err.message.includes('--dataplane-var b=') &&
        !err.message.includes('{{ a }}'),
    );
  });
});

describe('readProxyResourceFile', () => {
  it('reads a templated YAML Dataplane and validates it', async () => {
    const path = join(dir, 'dp.yaml');
    await writeFile(path, TEMPLATE);
    const vars = new Map([
      ['name', 'web-1'],
      ['address', '127.0.0.1'],
      ['port', '8080'],
    ]);
    const { object, input } = await readProxyResourceFile({ path, vars, type: 'Dataplane' });
    assert.equal(object.name, 'web-1');
    assert.deepEqual(object.networking, {
      address: '127.0.0.1',
      inbound: [{ port: 8080, tags: { 'kuma.io/service': 'web' } }],
    });
    assert.equal(input.mesh, 'default');
  });

  it('reads JSON too', async () => {
    const path = join(dir, 'dp.json');
    const dp = {
      type: 'Dataplane',
      name: 'web-2',
      networking: { address: '127.0.0.1', inbound: [{ port: 80, tags: { 'kuma.io/service': 'web' } }] },
    };
    await writeFile(path, JSON.stringify(dp));
    const { input } = await readProxyResourceFile({ path, type: 'Dataplane' });
    assert.equal(input.name, 'web-2');
  });

  it('fails on a missing variable before parsing', async () => {
    const path = join(dir, 'missing.yaml');
    await writeFile(path, TEMPLATE);
    await assert.rejects(
      readProxyResourceFile({ path, vars: new Map([['name', 'x']]), type: 'Dataplane' }),
      (err: unknown) => isStraitError(err, 'Invalid') && err.violations.map((v) => v.field).join() === 'address,port',
    );
  });

  it('names invalid fields and refuses another type', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, 'type: Dataplane\nname: web\nnetworking: {}\n');
    await assert.rejects(
      readProxyResourceFile({ path, type: 'Dataplane' }),
      (err: unknown) => isStraitError(err, 'Invalid') && err.violations.some((v) => v.field.includes('address')),
    );
    await writeFile(path, 'type: Mesh\nname: m\n');
    await assert.rejects(
      readProxyResourceFile({ path, type: 'Dataplane' }),
      (err: unknown) => isStraitError(err, 'Invalid') && err.violations[0]?.field === 'type',
    );
  });

  it('refuses a missing file and a file with several documents', async () => {
    await assert.rejects(readProxyResourceFile({ path: join(dir, 'nope.yaml'), type: 'Dataplane' }), (err: unknown) =>
      isStraitError(err, 'Invalid'),
    );
    const path = join(dir, 'two.yaml');
    await writeFile(path, 'type: Dataplane\n---\ntype: Dataplane\n');
    await assert.rejects(readProxyResourceFile({ path, type: 'Dataplane' }), (err: unknown) =>
      isStraitError(err, 'Invalid'),
    );
  });
});
