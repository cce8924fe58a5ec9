/**
 * The retry budget of a service (as Finagle's and Linkerd's): over a sliding `window`, retries may add at most
 * `percent` % to the requests made, plus `minRetriesPerSecond` so that a low-traffic client can still retry.
 * An outage therefore never multiplies the load on a service by more than `1 + percent / 100`.
 *
 * @example
 * retryBudget: { percent: 10, minRetriesPerSecond: 2 }
 */
export interface RetryBudgetOptions {
  /** Retries as a percentage of requests, `0..100`. Default `20`. */
  percent?: number;
  /** Retries always allowed per second, whatever the traffic. `>= 0`. Default `5`. */
  minRetriesPerSecond?: number;
  /** Length of the sliding window, in ms (1 s slots), `1000..3600000`. Default `10000`. */
  window?: number;
}
