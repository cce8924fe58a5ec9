/**
 * Options of `@Timeout()` (and of `defaults.timeout` / `policies.<name>.timeout`). The method receives the
 * attempt's `AbortSignal` from `currentSignal()` or, with `signalArg`, as an argument (then `currentSignal()` is not
 * set, which saves an AsyncLocalStorage context per call).
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
