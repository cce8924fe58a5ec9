import { brandGuard } from '@nestmesh/common';
import { RESILIENCE_ERROR_BRAND } from '../resilience.constants.js';

const BRAND: unique symbol = Symbol.for('NESTMESH:resilience:ResilienceConfigurationError');

/**
 * Thrown at bootstrap when decorator or module options are invalid. The message names the `Class.method`
 * (or the module option path), the option, the value and the fix.
 */
export class ResilienceConfigurationError extends Error {
  override readonly name = 'ResilienceConfigurationError';
  /** @internal */
  readonly [RESILIENCE_ERROR_BRAND] = true;
  /** @internal */
  readonly [BRAND] = true;
}

/** Whether `error` is a {@link ResilienceConfigurationError} (from any copy of this package). */
export const isResilienceConfigurationError = brandGuard<ResilienceConfigurationError>(BRAND);
