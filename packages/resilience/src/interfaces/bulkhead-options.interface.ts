/**
 * Options of `@Bulkhead()` (and of `defaults.bulkhead` / `policies.<name>.bulkhead`).
 *
 * @example
 * @Bulkhead({ limit: 10, queue: 20 })
 */
export interface BulkheadOptions {
  /** At most this many executions at once. Required, integer `>= 1`. */
  limit: number;
  /** At most this many calls wait for a slot; beyond that calls are rejected at once. Integer `>= 0`. Default `0`. */
  queue?: number;
}
