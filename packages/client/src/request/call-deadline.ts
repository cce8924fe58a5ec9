import { AbortTarget } from './abort-target.js';
import type { DeadlineTimers, SharedDeadline } from './deadline-timers.js';

/** The deadline's timer (a plain function: no closure per call). */
function expire(deadline: CallDeadline): void {
  deadline.abort();
}

/**
 * @internal The deadline of one call (joined with the caller's signal), cleared when the call ends; itself the abort
 * target handed to undici ({@link AbortTarget}): a real `AbortSignal` is made only when something needs one (the
 * resilience policy: a failed first attempt, a breaker or bulkhead; a TCP call).
 */
export class CallDeadline extends AbortTarget implements SharedDeadline {
  /** `performance.now()` when the call started (for work at its start that needs the time: no second clock read). */
  readonly startedAt = performance.now();
  /** `performance.now()` time at which the call must be over. */
  readonly at: number;
  /** Its length in ms (shorter than asked when the incoming request's deadline is sooner). */
  readonly ms: number;
  prev: SharedDeadline | undefined;
  next: SharedDeadline | undefined;
  private controller: AbortController | undefined;
  /** Its own timer, or undefined when `shared` runs it. */
  private readonly timer: ReturnType<typeof setTimeout> | undefined;

  /** `ms` from now, or `inherited` (the incoming request's) if sooner; one of `shared.ms` runs on `shared`. */
  constructor(
    ms: number,
    inherited: number | undefined,
    /** The caller's own signal, if any. */
    readonly callerSignal: AbortSignal | undefined,
    private readonly shared?: DeadlineTimers,
  ) {
    super();
    const now = this.startedAt;
    this.at = Math.min(now + ms, inherited ?? Infinity);
    this.ms = Math.max(0, Math.round(this.at - now));
    // The service's usual length, not cut short by an inherited deadline: on the service's shared timer.
    if (shared !== undefined && ms === shared.ms && this.at === now + ms) shared.add(this);
    else {
      this.shared = undefined;
      this.timer = setTimeout(expire, Math.max(0, this.at - now), this);
    }
    // Not AbortSignal.any(): Node keeps each signal it made alive while its source lives, so a long-lived caller
    // signal would retain one per call. The deadline itself listens (its handleEvent()): no closure per call.
    if (callerSignal?.aborted) this.abort(callerSignal.reason);
    else callerSignal?.addEventListener('abort', this, { once: true });
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.abort(this.callerSignal!.reason);
  }

  /** Aborts at the deadline or when the caller's signal aborts (a real `AbortSignal`, made on first use). */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** True when the deadline (not the caller) ended the call. */
  expired(): boolean {
    return this.aborted && !this.callerSignal?.aborted;
  }

  clear(): void {
    if (this.shared !== undefined) this.shared.remove(this);
    else clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this);
  }

  protected override onAbort(): void {
    this.controller?.abort(this.reason);
  }
}
