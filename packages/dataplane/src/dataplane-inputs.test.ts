import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isStraitError, readCaCertificate, silentLogger } from '@strait/shared';
import { readToken, withAdminPort } from './dataplane-inputs.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strait-dp-inputs-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dataplane inputs', () => {
  it('reads the token trimmed and refuses an empty or missing file', async () => {
    const path = join(dir, 'token');
    await writeFile(path, '  eyJ.token \n');
    assert.equal(await readToken(path, silentLogger()), 'eyJ.token');
    await writeFile(path, '\n');
    await assert.rejects(readToken(path, silentLogger()), (err: unknown) => isStraitError(err, 'Invalid'));
    await assert.rejects(readToken(join(dir, 'nope'), silentLogger()), (err: unknown) => isStraitError(err, 'Invalid'));
    assert.equal(await readToken(undefined, silentLogger()), '');
  });

  it('refuses a CA file without a PEM certificate', async () => {
    const path = join(dir, 'ca.pem');
    await writeFile(path, 'not a certificate');
    await assert.rejects(readCaCertificate(path), (err: unknown) => isStraitError(err, 'Invalid'));
    assert.equal(await readCaCertificate(undefined), undefined);
  });

  it('puts the admin port flag into networking.admin.port', () => {
    const dp = { type: 'Dataplane', name: 'web', networking: { address: '10.0.0.1', admin: { port: 9901 } } };
    assert.deepEqual(withAdminPort(dp, 19000).networking, { address: '10.0.0.1', admin: { port: 19000 } });
    assert.equal(withAdminPort(dp, undefined), dp);
    assert.equal(dp.networking.admin.port, 9901);
  });
});
