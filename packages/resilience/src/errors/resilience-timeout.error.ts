import { brandGuard } from '@nestmesh/common';
import { TaskCancelledError } from 'cockatiel';
import { RESILIENCE_ERROR_BRAND } from '../resilience.constants.js';
import { timeoutMessage } from './messages.constants.js';

const BRAND: unique symbol = Symbol.for('NESTMESH:resilience:ResilienceTimeoutError');

/**
 * Thrown to the caller when a `@Timeout()` deadline passes; the method's signal is aborted at the same moment.
 * It extends cockatiel's `TaskCancelledError`, so `isTaskCancelledError()` is true for it too.
 */
export class ResilienceTimeoutError extends TaskCancelledError {
  override readonly name = 'ResilienceTimeoutError';
  /** @internal */
  readonly [RESILIENCE_ERROR_BRAND] = true;
  /** @internal */
  readonly [BRAND] = true;

  constructor(
    /** The `Class.method` that timed out. */
    readonly method: string,
    /** The deadline, in ms. */
    readonly ms: number,
  ) {
    super(timeoutMessage(method, ms));
  }
}

/** Whether `error` is a {@link ResilienceTimeoutError} (from any copy of this package). */
export const isResilienceTimeoutError = brandGuard<ResilienceTimeoutError>(BRAND);
