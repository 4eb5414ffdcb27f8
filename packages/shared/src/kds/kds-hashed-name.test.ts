import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kdsHashedName } from './kds-hashed-name.js';

describe('kdsHashedName', () => {
  it('suffixes FNV-1a 64 of the parts, hex digits mapped through the no-vowel alphabet (Kuma’s HashedName)', () => {
    // FNV-1a 64 of "a" is af63dc4c8601ec8c (a published test vector). Each hex digit's char code
    // modulo 27 indexes "bcdfghjklmnpqrstvwxz2456789": a→v, f→4, 6→b, 3→7, d→z, c→x, 4→8, 8→d, 0→4, 1→5, e→2.
    assert.equal(kdsHashedName('', 'a'), 'a-v4b7zx8xdb452xdx');
  });

  it('hashes mesh, name and extra values in order, without separators', () => {
    const suffix = (name: string) => name.slice(name.lastIndexOf('-'));
    assert.equal(suffix(kdsHashedName('', 'ab')), suffix(kdsHashedName('a', 'b')));
    assert.notEqual(kdsHashedName('default', 'backend', 'zone-1'), kdsHashedName('default', 'backend', 'zone-2'));
    assert.notEqual(kdsHashedName('mesh-1', 'allow-all'), kdsHashedName('mesh-2', 'allow-all'));
    assert.match(kdsHashedName('default', 'backend', 'zone-1'), /^backend-[bcdfghjklmnpqrstvwxz2456789]{16}$/);
  });

  it('keeps a DNS-sized name by truncating the prefix to 236 characters', () => {
    const name = kdsHashedName('default', 'x'.repeat(300));
    assert.equal(name.length, 253);
    assert.ok(name.startsWith(`${'x'.repeat(236)}-`));
  });
});
