import { brandGuard } from '@nestmesh/common';

const BRAND = Symbol.for('nestmesh.gateway.AuthenticationFailedError');

/** Why a credential was refused. */
export type AuthenticationFailure =
  | 'missing'
  | 'malformed'
  | 'algorithm'
  | 'unknown-key'
  | 'invalid-signature'
  | 'expired'
  | 'claim'
  | 'invalid-api-key';

/**
 * No credential, or one that does not verify: answer 401 with the `challenge` as `WWW-Authenticate`.
 * `message` is for logs; `description` is safe to show the client (it names no key or internal detail).
 */
export class AuthenticationFailedError extends Error {
  override readonly name = 'AuthenticationFailedError';
  readonly [BRAND] = true;
  /** The HTTP status to answer with. */
  readonly status = 401;

  constructor(
    message: string,
    readonly reason: AuthenticationFailure,
    /** A short, client-safe description (RFC 6750 `error_description`). */
    readonly description: string,
    /** The `WWW-Authenticate` header value to send with the 401. */
    readonly challenge: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `error` is an {@link AuthenticationFailedError}, from any copy of this package. */
export const isAuthenticationFailedError = brandGuard<AuthenticationFailedError>(BRAND);
