/** Kinds of policy this package applies. */
export type ResiliencePolicyKind = 'circuit-breaker' | 'retry' | 'timeout' | 'bulkhead' | 'fallback';

/** Types of {@link ResilienceEvent}. */
export type ResilienceEventType = 'break' | 'half-open' | 'reset' | 'retry' | 'rejection' | 'timeout';

/**
 * Something a policy did, published on `ResilienceRegistry.events$` (and logged once).
 *
 * @example
 * registry.events$.pipe(filter((e) => e.type === 'break')).subscribe((e) => alert(e.policy));
 */
export interface ResilienceEvent {
  /** What happened. */
  readonly type: ResilienceEventType;
  /** Kind of the policy that emitted it. */
  readonly kind: ResiliencePolicyKind;
  /** Registry name of the policy: the policy name for shared policies, else `Class.method`. */
  readonly policy: string;
  /** `Class.method` when known (breaker events of a named breaker have none: it serves several methods). */
  readonly method?: string;
  /** The error behind a break, retry or timeout. */
  readonly error?: unknown;
  /** Retry: number of the attempt about to run (2 = first retry). */
  readonly attempt?: number;
  /** Retry: delay before that attempt, in ms. */
  readonly delay?: number;
  /** `Date.now()` when it happened. */
  readonly timestamp: number;
}
