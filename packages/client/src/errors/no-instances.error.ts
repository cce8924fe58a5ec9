import { brandGuard } from '@nestmesh/common';
import { ServiceClientError } from './service-client.error.js';

const BRAND: unique symbol = Symbol.for('NESTMESH:client:NoInstancesError');

/**
 * The service has no instance to call: none is registered (with the requested tags), or discovery could not say.
 * Thrown from a controller it answers 503.
 */
export class NoInstancesError extends ServiceClientError {
  override readonly name = 'NoInstancesError';
  /** @internal */
  readonly [BRAND] = true;
}

/** Whether `error` is a {@link NoInstancesError} (from any copy of this package). */
export const isNoInstancesError = brandGuard<NoInstancesError>(BRAND);
