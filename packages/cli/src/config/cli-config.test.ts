import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStraitError } from '@strait/shared';
import {
  addControlPlane,
  checkAddress,
  currentControlPlane,
  DEFAULT_CLI_CONFIG,
  parseCliConfig,
  removeControlPlane,
  switchControlPlane,
} from './cli-config.js';

describe('CLI config operations', () => {
  const prod = { name: 'prod', address: 'https://cp.prod:5682', caCertFile: '/etc/ca.pem' };

  it('starts with a current local control plane at 127.0.0.1:5681', () => {
    assert.deepEqual(currentControlPlane(DEFAULT_CLI_CONFIG), { name: 'local', address: 'http://127.0.0.1:5681' });
  });

  it('adds a control plane and makes it current; a taken name needs overwrite', () => {
    const cfg = addControlPlane(DEFAULT_CLI_CONFIG, prod, false);
    assert.equal(cfg.current, 'prod');
    assert.deepEqual(
      cfg.controlPlanes.map((cp) => cp.name),
      ['local', 'prod'],
    );
    assert.throws(
      () => addControlPlane(cfg, { ...prod, address: 'http://other:5681' }, false),
      (err) => isStraitError(err, 'AlreadyExists'),
    );
    const replaced = addControlPlane(cfg, { name: 'prod', address: 'http://other:5681' }, true);
    assert.deepEqual(
      replaced.controlPlanes.map((cp) => cp.address),
      ['http://127.0.0.1:5681', 'http://other:5681'],
    );
  });

  it('switches and removes, falling back to the first remaining one', () => {
    const cfg = addControlPlane(DEFAULT_CLI_CONFIG, prod, false);
    assert.equal(switchControlPlane(cfg, 'local').current, 'local');
    assert.throws(
      () => switchControlPlane(cfg, 'nope'),
      (err) => isStraitError(err, 'NotFound'),
    );
    const removed = removeControlPlane(cfg, 'prod');
    assert.equal(removed.current, 'local');
    const empty = removeControlPlane(removed, 'local');
    assert.deepEqual(empty, { controlPlanes: [] });
    assert.equal(currentControlPlane(empty).name, 'local', 'nothing left: the local default');
  });

  it('checks addresses', () => {
    assert.equal(checkAddress('http://127.0.0.1:5681'), undefined);
    assert.equal(checkAddress('https://cp.example'), undefined);
    assert.match(checkAddress('127.0.0.1:5681') ?? '', /http/);
    assert.match(checkAddress('grpcs://cp:5685') ?? '', /http/);
  });
});

describe('parseCliConfig', () => {
  it('reads a valid file and an empty one', () => {
    assert.deepEqual(parseCliConfig(null), { controlPlanes: [] });
    const cfg = parseCliConfig({
      current: 'a',
      controlPlanes: [{ name: 'a', address: 'http://a:5681', authTokenFile: '/t', skipVerify: true }],
    });
    assert.deepEqual(cfg, {
      current: 'a',
      controlPlanes: [{ name: 'a', address: 'http://a:5681', authTokenFile: '/t', skipVerify: true }],
    });
  });

  it('names every offending field', () => {
    assert.throws(
      () =>
        parseCliConfig({
          current: 3,
          controlPlanes: [{ name: 'a', address: 'nope' }, { name: 'a', address: 'http://a', skipVerify: 'yes' }, 'x'],
        }),
      (err) =>
        isStraitError(err, 'Invalid') &&
        [
          'current',
          'controlPlanes[0].address',
          'controlPlanes[1].skipVerify',
          'controlPlanes[1].name',
          'controlPlanes[2]',
        ].every((f) => err.violations.some((v) => v.field === f)),
    );
  });
});
