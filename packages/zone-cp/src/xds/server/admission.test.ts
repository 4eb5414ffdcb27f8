import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStraitError } from '@strait/shared';
import { createAdmission } from './admission.js';

describe('createAdmission', () => {
  it('admits a burst up to the rate, queues the rest and refuses beyond the queue', async () => {
    let nowMs = 0;
    const admission = createAdmission({ perSecond: 50, maxQueued: 1, now: () => nowMs });
    for (let i = 0; i < 50; i++) await admission.acquire();
    const queued = admission.acquire();
    assert.equal(admission.queued, 1);
    await assert.rejects(admission.acquire(), (err) => isStraitError(err, 'Unavailable'));

    // 20 ms later one token is back; the timer releases the waiter.
    nowMs = 20;
    await queued;
    assert.equal(admission.queued, 0);
    admission.close();
  });

  it('drops a waiter whose signal aborts, and refuses everyone once closed', async () => {
    const admission = createAdmission({ perSecond: 1, maxQueued: 5, now: () => 0 });
    await admission.acquire();
    const abort = new AbortController();
    const gone = admission.acquire(abort.signal);
    const waiting = admission.acquire();
    abort.abort(new Error('client went away'));
    await assert.rejects(gone, /client went away/);
    assert.equal(admission.queued, 1);
    admission.close();
    await assert.rejects(waiting, (err) => isStraitError(err, 'Unavailable'));
    await assert.rejects(admission.acquire(), (err) => isStraitError(err, 'Unavailable'));
  });
});
