import { brandGuard } from '@nestmesh/common';

const BRAND = Symbol.for('nestmesh.gateway.AccessDeniedError');

/**
 * Authenticated, but without the scopes or roles the route asks for: answer 403 (with `challenge` as
 * `WWW-Authenticate` for bearer tokens, RFC 6750 `insufficient_scope`).
 */
export class AccessDeniedError extends Error {
  override readonly name = 'AccessDeniedError';
  readonly [BRAND] = true;
  /** The HTTP status to answer with. */
  readonly status = 403;

  constructor(
    message: string,
    /** Scopes the route requires that the identity lacks. */
    readonly missingScopes: readonly string[],
    /** Roles the route requires (any of them) when the identity has none of them. */
    readonly missingRoles: readonly string[],
    /** The `WWW-Authenticate` header value for a bearer token. */
    readonly challenge: string,
  ) {
    super(message);
  }
}

/** True when `error` is an {@link AccessDeniedError}, from any copy of this package. */
export const isAccessDeniedError = brandGuard<AccessDeniedError>(BRAND);
