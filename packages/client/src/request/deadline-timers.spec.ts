import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@nestmesh/testing';
import { DeadlineTimers, type SharedDeadline } from './deadline-timers.js';

/** A deadline that records when it was ended. */
function deadline(ms: number): SharedDeadline & { endedAt: number | undefined } {
  return {
    at: performance.now() + ms,
    prev: undefined,
    next: undefined,
    endedAt: undefined,
    abort() {
      this.endedAt = performance.now();
    },
  };
}

describe('DeadlineTimers', () => {
  const MS = 120;

  it('ends each deadline at its own time, never before, when the one its timer was armed for was cleared', async () => {
    const timers = new DeadlineTimers(MS);
    const first = deadline(MS);
    timers.add(first);
    await sleep(40);
    const second = deadline(MS);
    timers.add(second);
    const third = deadline(MS);
    timers.add(third);
    timers.remove(first);
    await waitFor(() => third.endedAt !== undefined, { timeout: 5_000 });
    expect(first.endedAt).toBeUndefined();
    // Node may fire a timer up to 1 ms before performance.now() says it is due.
    expect(second.endedAt!).toBeGreaterThanOrEqual(second.at - 1);
    expect(third.endedAt!).toBeGreaterThanOrEqual(third.at - 1);
  });

  it('keeps the rest of the list when a deadline that already ended is removed again, and arms again after running empty', async () => {
    const timers = new DeadlineTimers(MS);
    const ended = deadline(MS);
    timers.add(ended);
    await waitFor(() => ended.endedAt !== undefined, { timeout: 5_000 });
    const next = deadline(MS);
    timers.add(next);
    const cleared = deadline(MS);
    timers.add(cleared);
    // The call of the deadline that ended clears it afterwards: the list must keep `next`.
    timers.remove(ended);
    timers.remove(cleared);
    await waitFor(() => next.endedAt !== undefined, { timeout: 5_000 });
    expect(next.endedAt!).toBeGreaterThanOrEqual(next.at - 1);
    await sleep(MS + 50);
    expect(cleared.endedAt).toBeUndefined();
  });

  it('lets a deadline that a listener starts while others end run on the timer too', async () => {
    const timers = new DeadlineTimers(MS);
    const started: Array<ReturnType<typeof deadline>> = [];
    const first = deadline(MS);
    const end = first.abort.bind(first);
    first.abort = () => {
      end();
      const next = deadline(MS);
      started.push(next);
      timers.add(next);
    };
    timers.add(first);
    await waitFor(() => started[0]?.endedAt !== undefined, { timeout: 5_000 });
    expect(started[0].endedAt!).toBeGreaterThanOrEqual(started[0].at - 1);
  });
});
