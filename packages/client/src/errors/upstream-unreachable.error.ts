import { brandGuard } from '@nestmesh/common';
import { ServiceClientError } from './service-client.error.js';

const BRAND: unique symbol = Symbol.for('NESTMESH:client:UpstreamUnreachableError');

/**
 * No attempt got an answer: connections were refused or reset, and no more attempts were allowed.
 * Thrown from a controller it answers 503.
 */
export class UpstreamUnreachableError extends ServiceClientError {
  override readonly name = 'UpstreamUnreachableError';
  /** @internal */
  readonly [BRAND] = true;
}

/** Whether `error` is a {@link UpstreamUnreachableError} (from any copy of this package). */
export const isUpstreamUnreachableError = brandGuard<UpstreamUnreachableError>(BRAND);
