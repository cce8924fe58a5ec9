import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { CircuitBreaker, CircuitOpenError, Timeout, isTaskCancelledError } from '@nestmesh/resilience';
import { NEVER, Observable, firstValueFrom, of, throwError } from 'rxjs';
import { compile, settle } from '../support/compile.js';

type Mode = 'fail' | 'hang' | 'ok';

/** An upstream that fails, hangs or answers, as told; counts the calls that reached it. */
@Injectable()
class Upstream {
  mode: Mode = 'fail';
  calls = 0;

  private answer(): Observable<string> {
    this.calls++;
    if (this.mode === 'fail') return throwError(() => new Error('down'));
    return this.mode === 'hang' ? NEVER : of('ok');
  }

  @CircuitBreaker({ consecutiveFailures: 1, halfOpenAfter: 1_000 })
  plain(): Observable<string> {
    return this.answer();
  }

  @CircuitBreaker({ consecutiveFailures: 1, halfOpenAfter: 1_000 })
  @Timeout(5_000)
  timed(): Observable<string> {
    return this.answer();
  }

  @CircuitBreaker({ consecutiveFailures: 1, halfOpenAfter: 1_000 })
  @Timeout({ ms: 5_000, signalArg: 0 })
  async fetch(signal?: AbortSignal): Promise<string> {
    this.calls++;
    if (this.mode === 'fail') throw new Error('down');
    if (this.mode === 'ok') return 'ok';
    return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
  }
}

/**
 * A half-open probe whose caller went away (unsubscribed, or aborted its signal) gave no verdict on the upstream:
 * the circuit must neither stay half-open for good (every later call hanging) nor close (letting every call through
 * to an upstream that never answered). It opens again, and the next probe decides.
 */
describe('a half-open probe its caller cancels', () => {
  let upstream: Upstream;
  let close: () => Promise<void>;

  beforeEach(async () => {
    jest.useFakeTimers({ now: 0 });
    const moduleRef = await compile([Upstream]);
    upstream = moduleRef.get(Upstream);
    close = () => moduleRef.close();
  });
  afterEach(async () => {
    await close();
    jest.useRealTimers();
  });

  it.each(['plain', 'timed'] as const)('(%s Observable, unsubscribed) opens the circuit again; the next probe closes it', async (method) => {
    expect((await settle(firstValueFrom(upstream[method]()))).error).toEqual(new Error('down'));
    await jest.advanceTimersByTimeAsync(1_000);
    upstream.mode = 'hang';
    const probe = upstream[method]().subscribe({ error: () => undefined });
    await jest.advanceTimersByTimeAsync(50);
    probe.unsubscribe();
    upstream.mode = 'ok';
    const calls = upstream.calls;
    const next = settle(firstValueFrom(upstream[method]()));
    await jest.advanceTimersByTimeAsync(10);
    expect((await next).error).toBeInstanceOf(CircuitOpenError);
    expect(upstream.calls).toBe(calls);
    await jest.advanceTimersByTimeAsync(2_000);
    await expect(firstValueFrom(upstream[method]())).resolves.toBe('ok');
    await expect(firstValueFrom(upstream[method]())).resolves.toBe('ok');
  });

  it('(Promise, its signal aborted by the caller) opens the circuit again; the next probe closes it', async () => {
    expect((await settle(upstream.fetch())).error).toEqual(new Error('down'));
    await jest.advanceTimersByTimeAsync(1_000);
    upstream.mode = 'hang';
    const caller = new AbortController();
    const probe = settle(upstream.fetch(caller.signal));
    await jest.advanceTimersByTimeAsync(50);
    caller.abort();
    await probe;
    upstream.mode = 'ok';
    const calls = upstream.calls;
    expect((await settle(upstream.fetch())).error).toBeInstanceOf(CircuitOpenError);
    expect(upstream.calls).toBe(calls);
    await jest.advanceTimersByTimeAsync(2_000);
    await expect(upstream.fetch()).resolves.toBe('ok');
  });

  it('(Promise) leaves a caller waiting for the probe’s verdict as soon as that caller aborts its signal', async () => {
    expect((await settle(upstream.fetch())).error).toEqual(new Error('down'));
    await jest.advanceTimersByTimeAsync(1_000);
    upstream.mode = 'hang';
    const prober = new AbortController();
    const probe = settle(upstream.fetch(prober.signal));
    await jest.advanceTimersByTimeAsync(10);
    // A second call waits for the probe's verdict (half-open lets one call through): its caller gives up.
    const caller = new AbortController();
    const waiter = settle(upstream.fetch(caller.signal));
    let settled = false;
    void waiter.then(() => (settled = true));
    await jest.advanceTimersByTimeAsync(50);
    caller.abort(new Error('caller gave up'));
    await jest.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect(isTaskCancelledError((await waiter).error)).toBe(true);
    prober.abort();
    await probe;
  });
});
