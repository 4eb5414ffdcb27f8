import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from './kds-test-helpers.js';
import { startLiveness } from './liveness.js';

describe('liveness', () => {
  it('beats, and reports a stall once the peer is silent for the timeout', async () => {
    let beats = 0;
    const stalls: string[] = [];
    const started = Date.now();
    startLiveness({
      intervalMs: 20,
      timeoutMs: 100,
      beat: () => {
        beats += 1;
      },
      blockedSinceMs: () => undefined,
      onStall: (reason) => stalls.push(reason),
    });
    await waitFor('the stall', () => stalls.length === 1);
    assert.ok(Date.now() - started >= 100);
    assert.match(stalls[0] ?? '', /nothing received from the peer/);
    assert.ok(beats >= 3, `${beats} beats`);
  });

  it('does not count its own blocked event loop as the peer’s silence', async () => {
    let offsetMs = 0;
    const stalls: number[] = [];
    startLiveness({
      intervalMs: 20,
      timeoutMs: 100,
      beat: () => {},
      blockedSinceMs: () => undefined,
      onStall: () => stalls.push(Date.now()),
      nowMs: () => Date.now() + offsetMs,
    });
    // The clock jumps 10 s between two ticks, as after a long synchronous task: the next tick
    // must not blame the peer; only real silence afterwards does.
    const jumpedAt = Date.now();
    offsetMs = 10_000;
    await waitFor('the stall', () => stalls.length === 1);
    assert.ok((stalls[0] ?? 0) - jumpedAt >= 80, `stalled ${(stalls[0] ?? 0) - jumpedAt} ms after the jump`);
  });

  it('reports a peer that stops reading', async () => {
    const stalls: string[] = [];
    const blockedAt = Date.now();
    const liveness = startLiveness({
      intervalMs: 20,
      timeoutMs: 100,
      beat: () => {},
      blockedSinceMs: () => blockedAt,
      onStall: (reason) => stalls.push(reason),
    });
    const touching = setInterval(() => liveness.touch(), 10);
    await waitFor('the stall', () => stalls.length === 1);
    clearInterval(touching);
    assert.match(stalls[0] ?? '', /has not read/);
  });
});
