import type { VerifiedIdentity } from '../auth/verified-identity.interface.js';
import type { HeaderMap } from './header-map.js';

/** Identity headers upstreams commonly believe; any a client sends is removed. */
export const IDENTITY_HEADERS: readonly string[] = [
  'x-user-id',
  'x-user',
  'x-user-email',
  'x-user-roles',
  'x-user-scopes',
  'x-auth-user',
  'x-auth-method',
  'x-authenticated-user',
  'x-authenticated-userid',
  'x-forwarded-user',
  'x-forwarded-email',
  'x-remote-user',
  'remote-user',
  'x-api-key-id',
];
/** Every header starting with one of these is an identity header too. */
export const IDENTITY_HEADER_PREFIXES: readonly string[] = ['x-user-', 'x-auth-'];

/**
 * A copy of `headers` without identity headers ({@link IDENTITY_HEADERS}, the `x-user-*` and `x-auth-*`
 * families, and `extra` names): only the gateway sets them, from verified claims.
 */
export function removeIdentityHeaders<T extends HeaderMap>(headers: T, extra: readonly string[] = []): Partial<T> {
  const names = new Set([...IDENTITY_HEADERS, ...extra.map((name) => name.toLowerCase())]);
  const kept: Partial<T> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (names.has(lower) || IDENTITY_HEADER_PREFIXES.some((prefix) => lower.startsWith(prefix))) continue;
    (kept as HeaderMap)[name] = value;
  }
  return kept;
}

// A claim may hold anything; a header value may not hold CR, LF or other controls (nor, portably, non-ASCII).
const headerSafe = (value: string) => (/^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value));

/**
 * The identity headers to send upstream for a verified identity: `x-user-id` (subject), `x-user-scopes` and
 * `x-user-roles` (space-separated), `x-auth-method` (`jwt` or `api-key`) and `x-api-key-id`. Values that are
 * not printable ASCII are percent-encoded, so a claim can never inject a header.
 */
export function identityHeaders(identity: VerifiedIdentity): Record<string, string> {
  const headers: Record<string, string> = { 'x-auth-method': identity.method };
  if (identity.subject !== undefined) headers['x-user-id'] = headerSafe(identity.subject);
  if (identity.scopes.length > 0) headers['x-user-scopes'] = identity.scopes.map(headerSafe).join(' ');
  if (identity.roles.length > 0) headers['x-user-roles'] = identity.roles.map(headerSafe).join(' ');
  if (identity.apiKeyId !== undefined) headers['x-api-key-id'] = headerSafe(identity.apiKeyId);
  return headers;
}
