import { brandGuard } from '@nestmesh/common';
import { BulkheadRejectedError } from 'cockatiel';
import { RESILIENCE_ERROR_BRAND } from '../resilience.constants.js';
import { bulkheadFullMessage } from './messages.constants.js';

const BRAND: unique symbol = Symbol.for('NESTMESH:resilience:BulkheadFullError');

/**
 * Thrown at once when a bulkhead has no free slot and no free queue place. It extends cockatiel's
 * `BulkheadRejectedError`, so `isBulkheadRejectedError()` is true for it too.
 */
export class BulkheadFullError extends BulkheadRejectedError {
  override readonly name = 'BulkheadFullError';
  /** @internal */
  readonly [RESILIENCE_ERROR_BRAND] = true;
  /** @internal */
  readonly [BRAND] = true;

  constructor(
    /** Registry name of the bulkhead (policy name or `Class.method`). */
    readonly policy: string,
    /** The `Class.method` that was called. */
    readonly method: string | undefined,
    /** Configured concurrent executions. */
    readonly limit: number,
    /** Configured queue places. */
    readonly queue: number,
  ) {
    super(limit, queue);
    this.message = bulkheadFullMessage(policy, method, limit, queue);
  }
}

/** Whether `error` is a {@link BulkheadFullError} (from any copy of this package). */
export const isBulkheadFullError = brandGuard<BulkheadFullError>(BRAND);
