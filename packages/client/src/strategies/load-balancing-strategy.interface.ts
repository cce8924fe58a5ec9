import type { ServiceInstance } from '@nestmesh/discovery';

/** One instance as a strategy sees it: what discovery says plus the client's live measurements. */
export interface BalancedEndpoint {
  readonly instance: ServiceInstance;
  /** Consul's `Weights.Passing` of the instance, `Weights.Warning` while it is in `warning` (1 when it registered none). */
  readonly weight: number;
  /** Requests sent to it that have not answered yet. */
  readonly inFlight: number;
  /** Peak-EWMA latency estimate in ms at `now` (`performance.now()` time), 0 before any answer. */
  latency(now: number): number;
}

/** What a strategy knows of the request being routed. */
export interface PickContext {
  /** The request's `key` (for `consistent-hash`), if any. */
  readonly key?: string;
  /** `performance.now()` at the pick. */
  readonly now: number;
}

/**
 * Picks the instance of each request. Built-ins: `round-robin`, `random`, `weighted`, `least-request`,
 * `p2c-ewma` (the default) and `consistent-hash`; pass your own object as the `strategy` option.
 *
 * @example
 * const firstAlive: LoadBalancingStrategy = { pick: (candidates) => candidates[0] };
 * ServiceClientModule.register({ services: { orders: { strategy: firstAlive } } });
 */
export interface LoadBalancingStrategy {
  /** Called with every known instance (ejected ones included) whenever the set changes. Optional. */
  update?(endpoints: readonly BalancedEndpoint[]): void;
  /**
   * Picks one of `candidates` (never empty: usually the passing and warning, non-ejected instances that are not
   * waiting out a `Retry-After` and not tried yet by this call, in discovery order; see the README for the fallbacks). Must return one of them, synchronously and cheaply (it runs on every request).
   */
  pick(candidates: readonly BalancedEndpoint[], context: PickContext): BalancedEndpoint;
}
