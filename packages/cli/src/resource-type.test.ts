import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinRegistry } from '@strait/shared';
import { CommanderError } from 'commander';
import { ExitCode } from './exit-codes.js';
import { resolveResourceType } from './resource-type.js';

describe('resolveResourceType', () => {
  it('resolves names, plurals and aliases case-insensitively', () => {
    for (const typed of ['mesh', 'meshes', 'Mesh', 'MESHES']) {
      assert.equal(resolveResourceType(builtinRegistry, typed).name, 'Mesh');
    }
    for (const typed of ['dataplane', 'dataplanes', 'Dataplane']) {
      assert.equal(resolveResourceType(builtinRegistry, typed).name, 'Dataplane');
    }
    assert.equal(resolveResourceType(builtinRegistry, 'meshtrafficpermissions').name, 'MeshTrafficPermission');
    assert.equal(resolveResourceType(builtinRegistry, 'mtp').name, 'MeshTrafficPermission');
    assert.equal(resolveResourceType(builtinRegistry, 'MeshTimeout').name, 'MeshTimeout');
  });

  it('resolves every descriptor by its plural, its name and each alias', () => {
    for (const d of builtinRegistry.all()) {
      for (const typed of [d.plural, d.name, ...d.aliases]) {
        assert.equal(resolveResourceType(builtinRegistry, typed), d, typed);
      }
    }
  });

  it('rejects an unknown type as a usage error that lists the known plurals', () => {
    assert.throws(
      () => resolveResourceType(builtinRegistry, 'gateways-of-doom'),
      (err) =>
        err instanceof CommanderError &&
        err.exitCode === ExitCode.usage &&
        err.message.includes('"gateways-of-doom"') &&
        err.message.includes('meshes') &&
        err.message.includes('dataplanes'),
    );
  });
});
