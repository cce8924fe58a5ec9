import { brandGuard } from '@nestmesh/common';
import { ServiceClientError } from './service-client.error.js';

const BRAND: unique symbol = Symbol.for('NESTMESH:client:ServiceTimeoutError');

/**
 * The call's deadline passed (across every attempt), or its last attempt timed out (`timeout.ms`, until its headers).
 * Thrown from a controller it answers 504.
 */
export class ServiceTimeoutError extends ServiceClientError {
  override readonly name = 'ServiceTimeoutError';
  /** @internal */
  readonly [BRAND] = true;
  /** @internal */
  protected static override readonly status = 504;
}

/** Whether `error` is a {@link ServiceTimeoutError} (from any copy of this package). */
export const isServiceTimeoutError = brandGuard<ServiceTimeoutError>(BRAND);
