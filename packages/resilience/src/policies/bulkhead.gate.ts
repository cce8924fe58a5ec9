import { TaskCancelledError } from 'cockatiel';
import { BulkheadFullError } from '../errors/bulkhead-full.error.js';
import type { BulkheadOccupancy } from '../interfaces/resilience-policy-snapshot.interface.js';
import type { ResolvedBulkheadOptions } from './resolved-options.interface.js';

/** @internal One execution of the guarded function: receives the attempt's signal and number. */
export type GatedCall<T> = (signal: AbortSignal | undefined, attempt: number) => T | PromiseLike<T>;

interface Waiter {
  readonly start: () => void;
}

/**
 * @internal The bulkhead of `@Bulkhead` and `ResiliencePolicy`: at most `limit` executions of the function
 * running at once and `queue` calls waiting. A slot is held until the execution itself settles, even when its
 * caller was already released by a timeout, so `limit` bounds real concurrency. A waiting call whose signal
 * aborts (deadline, cancellation) leaves the queue at once and never starts. Full: `BulkheadFullError`.
 */
export class BulkheadGate {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private readonly release = (): void => {
    this.running--;
    this.waiting.shift()?.start();
  };
  private readonly passValue = <T>(value: T): T => {
    this.release();
    return value;
  };
  private readonly passError = (error: unknown): never => {
    this.release();
    throw error;
  };

  constructor(
    readonly name: string,
    readonly options: ResolvedBulkheadOptions,
    /** Told of every rejection (for the registry's `rejection` event). */
    private readonly onReject: () => void = () => undefined,
  ) {}

  /** Current occupancy. */
  occupancy(): BulkheadOccupancy {
    const { limit, queue } = this.options;
    return { active: this.running, queued: this.waiting.length, limit, queue };
  }

  /** Runs `fn` through the bulkhead. `signal` is undefined on the hot path (no timeout, no subscription). */
  execute<T>(fn: GatedCall<T>, signal: AbortSignal | undefined, attempt: number, method: string | undefined): Promise<T> {
    if (signal?.aborted) return Promise.reject(new TaskCancelledError('Call aborted before it started'));
    if (this.running < this.options.limit) return this.run(fn, signal, attempt);
    if (this.waiting.length >= this.options.queue) {
      this.onReject();
      return Promise.reject(new BulkheadFullError(this.name, method, this.options.limit, this.options.queue));
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index !== -1) this.waiting.splice(index, 1);
        reject(new TaskCancelledError('Queued call aborted before it started'));
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.run(fn, signal, attempt).then(resolve, reject);
        },
      };
      this.waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private run<T>(fn: GatedCall<T>, signal: AbortSignal | undefined, attempt: number): Promise<T> {
    this.running++;
    let result: T | PromiseLike<T>;
    try {
      result = fn(signal, attempt);
    } catch (error) {
      this.release();
      return Promise.reject(error);
    }
    if (!isPromiseLike(result)) {
      this.release();
      return Promise.resolve(result);
    }
    return Promise.resolve(result).then(this.passValue, this.passError);
  }
}

const isPromiseLike = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as PromiseLike<T> | undefined)?.then === 'function';
