import { BulkheadPolicy, TaskCancelledError } from 'cockatiel';
import { BulkheadFullError } from '../errors/bulkhead-full.error.js';
import type { BulkheadOccupancy } from '../interfaces/resilience-policy-snapshot.interface.js';
import type { ResolvedBulkheadOptions } from './options.resolver.js';

/**
 * @internal The bulkhead of `@Bulkhead` and `ResiliencePolicy`. cockatiel's `BulkheadPolicy(limit, 0)` runs the
 * executions and holds a slot until the function itself settles (even after a timeout released its caller), so
 * `limit` bounds real concurrency. Full: `BulkheadFullError`.
 *
 * The queue is ours: cockatiel looks at a queued call's signal only when a running execution settles, so a caller
 * that timed out keeps its place (later calls are rejected as full while nobody waits), behind a method that never
 * settles forever. Here a waiter whose signal aborts leaves the queue at once with a `TaskCancelledError`.
 */
export class BulkheadGate {
  private readonly policy: BulkheadPolicy;
  /** The queued calls' starters, first come first. */
  private readonly waiting: Array<() => void> = [];
  /** Starts waiters while slots are free (after cockatiel freed a settled execution's slot). */
  private readonly wake = (): void => {
    while (this.waiting.length > 0 && this.policy.executionSlots > 0) this.waiting.shift()!();
  };

  constructor(
    readonly name: string,
    readonly options: ResolvedBulkheadOptions,
    /** Told of every rejection (the registry's `rejection` event). */
    private readonly onReject: () => void = () => undefined,
  ) {
    this.policy = new BulkheadPolicy(options.limit, 0);
  }

  /** Current occupancy. */
  occupancy(): BulkheadOccupancy {
    const { limit, queue } = this.options;
    return { active: limit - this.policy.executionSlots, queued: this.waiting.length, limit, queue };
  }

  /** Runs `call` through the bulkhead; `signal` (undefined when nothing can cancel the call) takes a queued call out. */
  execute<T>(call: () => T | PromiseLike<T>, method: string | undefined, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(new TaskCancelledError('Call aborted before it started'));
    return this.hasSlot() ? this.run(call) : this.enqueue(call, signal, method);
  }

  /** A free slot and nobody waiting for it (waiters go first). */
  private hasSlot(): boolean {
    return this.waiting.length === 0 && this.policy.executionSlots > 0;
  }

  private run<T>(call: () => T | PromiseLike<T>): Promise<T> {
    const result = this.policy.execute(call);
    // Without a queue nobody waits for the slot: no extra promise per call.
    return this.options.queue === 0 ? result : result.finally(this.wake);
  }

  private enqueue<T>(call: () => T | PromiseLike<T>, signal: AbortSignal | undefined, method: string | undefined): Promise<T> {
    if (this.waiting.length >= this.options.queue) {
      this.onReject();
      return Promise.reject(new BulkheadFullError(this.name, method, this.options.limit, this.options.queue));
    }
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        this.run(call).then(resolve, reject);
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(start);
        if (index !== -1) this.waiting.splice(index, 1);
        reject(new TaskCancelledError('Queued call aborted before it started'));
      };
      this.waiting.push(start);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
