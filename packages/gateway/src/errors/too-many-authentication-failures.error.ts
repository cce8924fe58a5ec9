import { brandGuard } from '@nestmesh/common';

const BRAND = Symbol.for('nestmesh.gateway.TooManyAuthenticationFailuresError');

/**
 * The client address has had more refused credentials than `auth.failureLimit` allows: answer 429 with
 * `Retry-After` (`retryAfter`), without checking the credential. `message` is for logs (it names the address);
 * `description` is safe to show the client.
 */
export class TooManyAuthenticationFailuresError extends Error {
  override readonly name = 'TooManyAuthenticationFailuresError';
  readonly [BRAND] = true;
  /** The HTTP status to answer with. */
  readonly status = 429;

  constructor(
    message: string,
    /** Whole seconds until the address may try again (the `Retry-After` value), at least 1. */
    readonly retryAfter: number,
    /** A short, client-safe description. */
    readonly description: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `error` is a {@link TooManyAuthenticationFailuresError}, from any copy of this package. */
export const isTooManyAuthenticationFailuresError = brandGuard<TooManyAuthenticationFailuresError>(BRAND);
