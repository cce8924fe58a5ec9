import { brandGuard } from '@nestmesh/common';
import { ServiceClientError } from './service-client.error.js';

const BRAND: unique symbol = Symbol.for('NESTMESH:client:AllInstancesEjectedError');

/**
 * Every instance of the service is ejected by outlier detection and panic mode is off (`outlierDetection.panicMode: false`).
 * Thrown from a controller it answers 503.
 */
export class AllInstancesEjectedError extends ServiceClientError {
  override readonly name = 'AllInstancesEjectedError';
  /** @internal */
  readonly [BRAND] = true;
}

/** Whether `error` is a {@link AllInstancesEjectedError} (from any copy of this package). */
export const isAllInstancesEjectedError = brandGuard<AllInstancesEjectedError>(BRAND);
