import { brandGuard } from '@nestmesh/common';
import { ServiceClientError } from './service-client.error.js';

const BRAND: unique symbol = Symbol.for('NESTMESH:client:RetryBudgetExhaustedError');

/**
 * An attempt failed without an answer and a retry was wanted, but the service's retry budget was spent.
 * Thrown from a controller it answers 503.
 */
export class RetryBudgetExhaustedError extends ServiceClientError {
  override readonly name = 'RetryBudgetExhaustedError';
  /** @internal */
  readonly [BRAND] = true;
}

/** Whether `error` is a {@link RetryBudgetExhaustedError} (from any copy of this package). */
export const isRetryBudgetExhaustedError = brandGuard<RetryBudgetExhaustedError>(BRAND);
