import { brandGuard } from '@nestmesh/common';
import { BrokenCircuitError } from 'cockatiel';
import { RESILIENCE_ERROR_BRAND } from '../resilience.constants.js';
import { circuitOpenMessage } from './messages.constants.js';

const BRAND: unique symbol = Symbol.for('NESTMESH:resilience:CircuitOpenError');

/**
 * Thrown instead of calling the method while its circuit breaker is open (or isolated). It extends cockatiel's
 * `BrokenCircuitError`, so `isBrokenCircuitError()` is true for it too.
 */
export class CircuitOpenError extends BrokenCircuitError {
  override readonly name = 'CircuitOpenError';
  /** @internal */
  readonly [RESILIENCE_ERROR_BRAND] = true;
  /** @internal */
  readonly [BRAND] = true;

  constructor(
    /** Registry name of the breaker (policy name or `Class.method`). */
    readonly policy: string,
    /** The `Class.method` that was called. */
    readonly method: string | undefined,
    /** Whether the breaker was held open by `isolate()`. */
    readonly isolated = false,
    /**
     * Milliseconds until the breaker lets a probe through (read by retry loops and the HTTP `Retry-After`
     * header); `undefined` while isolated.
     */
    readonly retryAfter?: number,
  ) {
    super(circuitOpenMessage(policy, method, isolated));
    // Keeps cockatiel's own guard true for isolated breakers.
    if (isolated) Object.defineProperty(this, 'isIsolatedCircuitError', { value: true, enumerable: true });
  }
}

/** Whether `error` is a {@link CircuitOpenError} (from any copy of this package). */
export const isCircuitOpenError = brandGuard<CircuitOpenError>(BRAND);
