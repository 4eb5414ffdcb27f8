import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAge, formatDurationMs } from './age.js';

describe('formatAge', () => {
  const now = new Date('2026-01-10T12:00:00Z');

  it('uses the largest whole unit', () => {
    assert.equal(formatAge('2026-01-10T11:59:15Z', now), '45s');
    assert.equal(formatAge('2026-01-10T11:48:00Z', now), '12m');
    assert.equal(formatAge('2026-01-10T09:00:00Z', now), '3h');
    assert.equal(formatAge('2026-01-06T12:00:00Z', now), '4d');
    assert.equal(formatAge('2023-01-01T00:00:00Z', now), '3y');
  });

  it('prints - for a missing or unparsable time, and 0s for a time in the future', () => {
    assert.equal(formatAge(undefined, now), '-');
    assert.equal(formatAge('', now), '-');
    assert.equal(formatAge('yesterday', now), '-');
    assert.equal(formatAge('2026-01-10T12:05:00Z', now), '0s');
  });

  it('formats boundaries', () => {
    assert.equal(formatDurationMs(59_999), '59s');
    assert.equal(formatDurationMs(60_000), '1m');
    assert.equal(formatDurationMs(24 * 3600_000), '1d');
  });
});
