import { brandGuard } from '@nestmesh/common';
import { ServiceClientError } from './service-client.error.js';

const BRAND: unique symbol = Symbol.for('NESTMESH:client:ServiceCircuitOpenError');

/**
 * The service's circuit breaker is open: the call was refused without trying an instance.
 * Thrown from a controller it answers 503.
 */
export class ServiceCircuitOpenError extends ServiceClientError {
  override readonly name = 'ServiceCircuitOpenError';
  /** @internal */
  readonly [BRAND] = true;
}

/** Whether `error` is a {@link ServiceCircuitOpenError} (from any copy of this package). */
export const isServiceCircuitOpenError = brandGuard<ServiceCircuitOpenError>(BRAND);
