/** @internal The deadline of one call: one timer, one signal (joined with the caller's), cleared when the call ends. */
export interface CallDeadline {
  /** `performance.now()` time at which the call must be over. */
  readonly at: number;
  /** Its length in ms (shorter than asked when the incoming request's deadline is sooner). */
  readonly ms: number;
  /** Aborts at the deadline or when the caller's signal aborts. */
  readonly signal: AbortSignal;
  /** True when the deadline (not the caller) ended the call. */
  expired(): boolean;
  clear(): void;
}

/** @internal Starts the deadline of a call: `ms` from now, or the incoming request's deadline if sooner. */
export function startDeadline(ms: number, inherited: number | undefined, callerSignal: AbortSignal | undefined): CallDeadline {
  const now = performance.now();
  const at = Math.min(now + ms, inherited ?? Infinity);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), Math.max(0, at - now));
  // Linked by hand rather than with AbortSignal.any(): Node keeps every signal AbortSignal.any() made from a
  // source alive as long as that source lives, so a long-lived caller signal would retain one per call.
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) controller.abort(callerSignal.reason);
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    at,
    ms: Math.max(0, Math.round(at - now)),
    signal: controller.signal,
    expired: () => controller.signal.aborted && !callerSignal?.aborted,
    clear: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}
