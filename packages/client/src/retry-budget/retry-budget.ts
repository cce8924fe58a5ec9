import type { RetryBudgetOptions } from '../interfaces/retry-budget-options.interface.js';

/** @internal The defaults documented on {@link RetryBudgetOptions}. */
export const RETRY_BUDGET_DEFAULTS: Required<RetryBudgetOptions> = { percent: 20, minRetriesPerSecond: 5, window: 10_000 };

const SLOT_MS = 1_000;

/** @internal The longest `window`, in ms: an hour is 3,600 slots (28 KB a service), walked at most once per call. */
export const MAX_BUDGET_WINDOW = 3_600_000;

/**
 * @internal A sliding-window retry budget: over the last `window` ms, retries may not exceed
 * `percent`% of requests plus `minRetriesPerSecond × window seconds`. Counts live in 1 s slots, so
 * `record`/`tryRetry` are O(1) and the window slides without timers.
 */
export class RetryBudget {
  private readonly slots: number;
  private readonly requests: Uint32Array;
  private readonly retries: Uint32Array;
  private requestTotal = 0;
  private retryTotal = 0;
  private currentSlot = -1;

  constructor(
    private readonly options: Required<RetryBudgetOptions>,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.slots = Math.max(1, Math.ceil(options.window / SLOT_MS));
    this.requests = new Uint32Array(this.slots);
    this.retries = new Uint32Array(this.slots);
  }

  /** Counts one request (a call, not an attempt); `now`: the time on this budget's clock, if the caller has it. */
  recordRequest(now: number = this.clock()): void {
    const slot = this.advance(now);
    this.requests[slot]++;
    this.requestTotal++;
  }

  /** Takes one retry from the budget if there is one left; false when it is spent. */
  tryRetry(): boolean {
    const slot = this.advance(this.clock());
    const allowed = (this.requestTotal * this.options.percent) / 100 + (this.options.minRetriesPerSecond * this.slots * SLOT_MS) / 1_000;
    if (this.retryTotal + 1 > allowed) return false;
    this.retries[slot]++;
    this.retryTotal++;
    return true;
  }

  /** Moves the window to now, clearing the slots that fell out of it; returns the current slot. */
  private advance(now: number): number {
    // Never back: a time older than the current slot (a caller's earlier reading) counts in the current slot.
    const absolute = Math.max(this.currentSlot, Math.floor(now / SLOT_MS));
    if (absolute === this.currentSlot) return absolute % this.slots;
    const steps = this.currentSlot < 0 ? this.slots : Math.min(this.slots, absolute - this.currentSlot);
    for (let i = 1; i <= steps; i++) {
      const slot = (((absolute - steps + i) % this.slots) + this.slots) % this.slots;
      this.requestTotal -= this.requests[slot];
      this.retryTotal -= this.retries[slot];
      this.requests[slot] = 0;
      this.retries[slot] = 0;
    }
    this.currentSlot = absolute;
    return absolute % this.slots;
  }
}
