import type { ResiliencePolicyKind } from './resilience-event.interface.js';

/** State of a circuit breaker, as listed by the registry. */
export type CircuitBreakerStateName = 'closed' | 'open' | 'half-open' | 'isolated';

/** Occupancy of a bulkhead. */
export interface BulkheadOccupancy {
  /** Executions running now. */
  readonly active: number;
  /** Calls waiting for a slot. */
  readonly queued: number;
  /** Configured maximum of `active`. */
  readonly limit: number;
  /** Configured maximum of `queued`. */
  readonly queue: number;
}

/** One policy as listed by `ResilienceRegistry.list()`. */
export interface ResiliencePolicySnapshot {
  /** Registry name: the policy name for shared policies (`orders`), else `Class.method`. */
  readonly name: string;
  /** Kind of policy. */
  readonly kind: ResiliencePolicyKind;
  /** `'Class.method'` for a per-method policy, or the policy name. */
  readonly target: string;
  /** The `Class.method`s using this policy. */
  readonly methods: readonly string[];
  /** Breakers only: the current state. */
  readonly state?: CircuitBreakerStateName;
  /** Breakers only: recent failures (consecutive ones, or those in the sampling window). */
  readonly failures?: number;
  /** Bulkheads only: occupancy. */
  readonly bulkhead?: BulkheadOccupancy;
}
