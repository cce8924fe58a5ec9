import { AccessDeniedError } from '../errors/access-denied.error.js';
import { messages } from '../errors/messages.constants.js';
import type { VerifiedIdentity } from './verified-identity.interface.js';
import { bearerChallenge } from './www-authenticate.js';

/** What a route asks of a caller. */
export interface AccessRequirement {
  /** Every one of these scopes. Default `[]`. */
  scopes?: readonly string[];
  /** At least one of these roles. Default `[]` (no role needed). */
  roles?: readonly string[];
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.length > 0) : []);

/**
 * Scopes granted by a token: the standard `scope` claim (space-separated, RFC 8693 / RFC 9068) or an `scp`
 * array (Azure AD, Okta), or an `scp` string. Unknown shapes grant nothing.
 */
export function scopesOf(claims: Readonly<Record<string, unknown>>): string[] {
  const granted = [claims.scope, claims.scp].flatMap((claim) =>
    typeof claim === 'string' ? claim.split(' ').filter(Boolean) : strings(claim),
  );
  return [...new Set(granted)];
}

/** Roles at a dotted claim path (e.g. `roles`, `realm_access.roles`): an array of strings, else none. */
export function rolesOf(claims: Readonly<Record<string, unknown>>, path = 'roles'): string[] {
  let value: unknown = claims;
  for (const segment of path.split('.')) {
    value = typeof value === 'object' && value !== null && Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return strings(value);
}

/**
 * Throws an {@link AccessDeniedError} (403) unless `identity` holds every required scope and, when roles are
 * required, at least one of them.
 *
 * @example
 * authorize(identity, { scopes: method === 'GET' ? ['orders:read'] : ['orders:write'] });
 */
export function authorize(identity: VerifiedIdentity, requirement: AccessRequirement, realm = 'api'): void {
  const scopes = new Set(identity.scopes);
  const missingScopes = (requirement.scopes ?? []).filter((scope) => !scopes.has(scope));
  const roles = requirement.roles ?? [];
  const missingRoles = roles.length > 0 && !roles.some((role) => identity.roles.includes(role)) ? [...roles] : [];
  if (missingScopes.length === 0 && missingRoles.length === 0) return;
  const challenge = bearerChallenge({ realm, error: 'insufficient_scope', description: 'The credential lacks the access this request needs', scope: requirement.scopes });
  throw new AccessDeniedError(messages.accessDenied(identity.subject, missingScopes, missingRoles), missingScopes, missingRoles, challenge);
}

/**
 * The 403 of a method a route's per-method access table without `'*'` does not name, outside the seven standard
 * ones (verb tampering): no credential could pass it. @internal
 */
export function methodNotInAccess(identity: VerifiedIdentity | undefined, method: string, routeId: string, realm = 'api'): AccessDeniedError {
  const challenge = bearerChallenge({ realm, error: 'insufficient_scope', description: 'The route does not allow this method to the credential' });
  return new AccessDeniedError(messages.methodNotInAccess(identity?.subject, method, routeId), [], [], challenge);
}
