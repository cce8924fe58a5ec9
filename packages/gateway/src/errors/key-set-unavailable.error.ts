import { brandGuard } from '@nestmesh/common';

const BRAND = Symbol.for('nestmesh.gateway.KeySetUnavailableError');

/**
 * The JWKS could not be fetched (down, slow, not JSON, redirected) and no key set is known yet, so no token
 * can be checked: the caller's fault is unknown, answer 503. `url` is the JWKS URL; `cause` the failure.
 */
export class KeySetUnavailableError extends Error {
  override readonly name = 'KeySetUnavailableError';
  readonly [BRAND] = true;
  /** The HTTP status to answer with. */
  readonly status = 503;

  constructor(
    message: string,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `error` is a {@link KeySetUnavailableError}, from any copy of this package. */
export const isKeySetUnavailableError = brandGuard<KeySetUnavailableError>(BRAND);
