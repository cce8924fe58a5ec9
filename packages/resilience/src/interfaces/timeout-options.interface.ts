/**
 * Options of `@Timeout()` (and of `defaults.timeout` / `policies.<name>.timeout`).
 *
 * At the deadline the caller gets a `ResilienceTimeoutError` whether or not the method stops, and the method's
 * `AbortSignal` is aborted so cooperative work can stop. The method receives that signal either from
 * `currentSignal()` (anywhere in its async call tree), or, with `signalArg`, as one of its arguments (then
 * `currentSignal()` is not set, which saves an AsyncLocalStorage context per call).
 *
 * @example
 * @Timeout({ ms: 2_000, signalArg: 1 })
 * find(id: string, signal?: AbortSignal) { return fetch(`/items/${id}`, { signal }); }
 */
export interface TimeoutOptions {
  /** Deadline of each attempt, in ms. Required (here or in `defaults.timeout`), `> 0` and at most `2147483647` (Node's largest timer). */
  ms: number;
  /**
   * Index of the argument that receives the attempt's `AbortSignal`. If the caller passed an `AbortSignal`
   * there, it is linked: aborting it aborts the call. Default: none (the method uses `currentSignal()`).
   */
  signalArg?: number;
}
