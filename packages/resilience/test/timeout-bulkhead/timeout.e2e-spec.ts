import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import {
  ResilienceRegistry,
  ResilienceTimeoutError,
  Retry,
  Timeout,
  currentSignal,
  isResilienceTimeoutError,
  isTaskCancelledError,
  type ResilienceEvent,
} from '@nestmesh/resilience';
import { compile, settle } from '../support/compile.js';

@Injectable()
class ReportService {
  signals: AbortSignal[] = [];
  attempts = 0;

  /** Ignores its signal entirely. */
  @Timeout(1_000)
  async stubborn(): Promise<string> {
    this.signals.push(currentSignal()!);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    return 'late';
  }

  /** Receives the signal as its second argument and stops when it aborts. */
  @Timeout({ ms: 500, signalArg: 1 })
  cooperative(id: string, signal?: AbortSignal): Promise<string> {
    this.signals.push(signal!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(id), 2_000);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('stopped'));
      });
    });
  }

  @Timeout(1_000)
  async fast(): Promise<string> {
    this.signals.push(currentSignal()!);
    return 'fast';
  }

  @Retry({ maxAttempts: 3, backoff: { initialDelay: 10, jitter: false } })
  @Timeout(100)
  async eachAttempt(): Promise<string> {
    this.attempts++;
    await new Promise((resolve) => setTimeout(resolve, this.attempts < 3 ? 1_000 : 50));
    return `attempt ${this.attempts}`;
  }

  @Timeout('reports')
  async named(): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return 'named';
  }

  noSignal(): AbortSignal | undefined {
    return currentSignal();
  }
}

describe('@Timeout', () => {
  let service: ReportService;
  let events: ResilienceEvent[];
  let close: () => Promise<void>;

  beforeEach(async () => {
    jest.useFakeTimers({ now: 0 });
    const moduleRef = await compile([ReportService], { logEvents: false, policies: { reports: { timeout: { ms: 300 } } } });
    service = moduleRef.get(ReportService);
    events = [];
    moduleRef.get(ResilienceRegistry).events$.subscribe((event) => events.push(event));
    close = () => moduleRef.close();
  });
  afterEach(async () => {
    await close();
    jest.useRealTimers();
  });

  it('rejects at the deadline even if the method ignores its signal, and aborts the signal then', async () => {
    const outcome = settle(service.stubborn());
    await jest.advanceTimersByTimeAsync(999);
    expect(service.signals[0]!.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const { error } = await outcome;
    expect(error).toBeInstanceOf(ResilienceTimeoutError);
    expect(isResilienceTimeoutError(error)).toBe(true);
    expect(isTaskCancelledError(error)).toBe(true);
    expect((error as Error).message).toContain('ReportService.stubborn timed out after 1000 ms');
    expect(Date.now()).toBe(1_000);
    expect(service.signals[0]!.aborted).toBe(true);
    expect(events).toMatchObject([{ type: 'timeout', kind: 'timeout', method: 'ReportService.stubborn' }]);
  });

  it('passes the signal as an argument with signalArg, and cooperative work stops', async () => {
    const outcome = settle(service.cooperative('a'));
    await jest.advanceTimersByTimeAsync(500);
    expect((await outcome).error).toBeInstanceOf(ResilienceTimeoutError);
    expect(service.signals[0]).toBeInstanceOf(AbortSignal);
    expect(service.signals[0]!.aborted).toBe(true);
  });

  it('links a signal the caller passed at signalArg', async () => {
    const controller = new AbortController();
    const outcome = settle(service.cooperative('b', controller.signal));
    await jest.advanceTimersByTimeAsync(100);
    controller.abort();
    const { error } = await outcome;
    expect(isTaskCancelledError(error)).toBe(true);
    expect(error).not.toBeInstanceOf(ResilienceTimeoutError);
    expect(service.signals[0]!.aborted).toBe(true);
  });

  it('returns results in time and leaves the signal unaborted', async () => {
    await expect(service.fast()).resolves.toBe('fast');
    expect(service.signals[0]!.aborted).toBe(false);
  });

  it('gives each retry attempt its own deadline', async () => {
    const outcome = settle(service.eachAttempt());
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await outcome).toEqual({ value: 'attempt 3' });
    expect(events.map((e) => e.type)).toEqual(['timeout', 'retry', 'timeout', 'retry']);
  });

  it('uses a named policy timeout section', async () => {
    const outcome = settle(service.named());
    await jest.advanceTimersByTimeAsync(300);
    expect((await outcome).error).toBeInstanceOf(ResilienceTimeoutError);
  });

  it('provides no signal outside @Timeout methods', () => {
    expect(service.noSignal()).toBeUndefined();
  });
});
