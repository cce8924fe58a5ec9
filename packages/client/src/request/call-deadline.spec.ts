import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CallDeadline } from './call-deadline.js';

describe('CallDeadline', () => {
  it('aborts when the caller aborts, and says the caller (not the deadline) ended it', () => {
    const caller = new AbortController();
    const deadline = new CallDeadline(60_000, undefined, caller.signal);
    caller.abort(new Error('gone'));
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as Error).message).toBe('gone');
    expect(deadline.expired()).toBe(false);
    deadline.clear();
  });

  it('is aborted from the start when the caller already aborted', () => {
    const deadline = new CallDeadline(60_000, undefined, AbortSignal.abort());
    expect(deadline.signal.aborted).toBe(true);
    deadline.clear();
  });

  it('expires at the sooner of its own and the inherited deadline', async () => {
    const deadline = new CallDeadline(60_000, performance.now() + 5, undefined);
    expect(deadline.ms).toBeLessThanOrEqual(5);
    await new Promise<void>((resolve) => deadline.signal.addEventListener('abort', () => resolve()));
    expect(deadline.expired()).toBe(true);
    deadline.clear();
  });

  it('leaves nothing on a long-lived caller signal once cleared (no listener, no retained signal per call)', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const caller = new AbortController();
    const run = (count: number) => {
      for (let i = 0; i < count; i++) {
        // As undici does with a request's signal: listen while the request runs.
        const deadline = new CallDeadline(60_000, undefined, caller.signal);
        const listener = () => undefined;
        deadline.signal.addEventListener('abort', listener);
        deadline.signal.removeEventListener('abort', listener);
        deadline.clear();
      }
    };
    run(1_000);
    gc();
    const before = process.memoryUsage().heapUsed;
    run(30_000);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    // AbortSignal.any() kept every joined signal alive for as long as the caller's lived (about 1 KB a call).
    expect(grown).toBeLessThan(5 * 1024 * 1024);
  });
});

describe('CallDeadline: the signal given to undici', () => {
  it('calls its listeners once when the deadline passes, with the reason AbortController would give', async () => {
    const deadline = new CallDeadline(5, undefined, undefined);
    const signal = deadline.undiciSignal;
    let calls = 0;
    const removed = () => (calls += 100);
    signal.addEventListener('abort', removed);
    signal.removeEventListener('abort', removed);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => (calls++, resolve())));
    expect(calls).toBe(1);
    expect(signal.aborted).toBe(true);
    expect(deadline.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe('AbortError');
    // The real signal, made after the abort, is aborted with the same reason.
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBe(signal.reason);
    expect(deadline.expired()).toBe(true);
    deadline.clear();
  });

  it('aborts a real signal made before the abort', () => {
    const caller = new AbortController();
    const deadline = new CallDeadline(60_000, undefined, caller.signal);
    const real = deadline.signal;
    expect(real.aborted).toBe(false);
    caller.abort(new Error('gone'));
    expect(real.aborted).toBe(true);
    expect(deadline.undiciSignal.reason).toBe(caller.signal.reason);
    deadline.clear();
  });
});
