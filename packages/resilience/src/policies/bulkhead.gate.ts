import { BulkheadPolicy, TaskCancelledError } from 'cockatiel';
import { BulkheadFullError } from '../errors/bulkhead-full.error.js';
import type { BulkheadOccupancy } from '../interfaces/resilience-policy-snapshot.interface.js';
import type { ResolvedBulkheadOptions } from './resolved-options.interface.js';

/** @internal The part of cockatiel's bulkhead queue entries this gate relies on. */
interface QueuedCall {
  readonly fn: unknown;
  readonly reject: (error: unknown) => void;
}

/**
 * @internal A cockatiel `BulkheadPolicy` with two additions: an aborted signal releases the call's place at
 * once (a queued call leaves the queue; a running call's slot is freed even if its method ignores the signal),
 * and rejections become `BulkheadFullError` naming the method.
 */
export class BulkheadGate {
  readonly policy: BulkheadPolicy;
  /** cockatiel keeps waiting calls here; removing an aborted one is the only way to free its place early. */
  private readonly queue: QueuedCall[];

  constructor(
    readonly name: string,
    readonly options: ResolvedBulkheadOptions,
  ) {
    this.policy = new BulkheadPolicy(options.limit, options.queue);
    const queue = (this.policy as unknown as { queue?: QueuedCall[] }).queue;
    if (!Array.isArray(queue)) throw new Error('@nestmesh/resilience: unsupported cockatiel version (BulkheadPolicy has no queue)');
    this.queue = queue;
  }

  /** Current occupancy. */
  occupancy(): BulkheadOccupancy {
    const { limit, queue } = this.options;
    return { active: limit - this.policy.executionSlots, queued: queue - this.policy.queueSlots, limit, queue };
  }

  /** Runs `fn` through the bulkhead. `signal` is undefined on the hot path (no timeout, no subscription). */
  execute<T>(fn: (signal: AbortSignal | undefined) => T | PromiseLike<T>, signal: AbortSignal | undefined, method: string | undefined): Promise<T> {
    if (signal === undefined) {
      if (this.policy.executionSlots > 0) return this.policy.execute(() => fn(undefined));
      return this.policy.execute(() => fn(undefined)).catch((error: unknown) => this.rethrow(error, method));
    }
    const run = () => raceAbort(fn(signal), signal);
    const promise = this.policy.execute(run, signal);
    const item = this.queue.at(-1);
    if (item?.fn === run) {
      signal.addEventListener(
        'abort',
        () => {
          const index = this.queue.indexOf(item);
          if (index === -1) return;
          this.queue.splice(index, 1);
          item.reject(new TaskCancelledError('Queued call aborted'));
        },
        { once: true },
      );
    }
    return promise.catch((error: unknown) => this.rethrow(error, method));
  }

  private rethrow(error: unknown, method: string | undefined): never {
    if (error instanceof Error && 'isBulkheadRejectedError' in error && !(error instanceof BulkheadFullError)) {
      throw new BulkheadFullError(this.name, method, this.options.limit, this.options.queue);
    }
    throw error;
  }
}

/** Settles with `value`, or rejects as soon as `signal` aborts (freeing the bulkhead slot). */
function raceAbort<T>(value: T | PromiseLike<T>, signal: AbortSignal): Promise<T> | T {
  if (!isPromiseLike(value)) return value;
  if (signal.aborted) return Promise.reject(new TaskCancelledError('Call aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new TaskCancelledError('Call aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    value.then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

const isPromiseLike = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as PromiseLike<T> | undefined)?.then === 'function';
