import { brandGuard } from '@nestmesh/common';

const BRAND: unique symbol = Symbol.for('NESTMESH:client:ServiceClientConfigurationError');

/** An option of `ServiceClientModule` or a request option is invalid; the message names the value and the fix. */
export class ServiceClientConfigurationError extends Error {
  override readonly name = 'ServiceClientConfigurationError';
  /** @internal */
  readonly [BRAND] = true;
}

/** Whether `error` is a {@link ServiceClientConfigurationError} (from any copy of this package). */
export const isServiceClientConfigurationError = brandGuard<ServiceClientConfigurationError>(BRAND);
