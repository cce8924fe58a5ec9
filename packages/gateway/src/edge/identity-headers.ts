import type { VerifiedIdentity } from '../auth/verified-identity.interface.js';
import { dashed, type HeaderMap } from './header-map.js';

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
 * families, and `extra` names, spelt with `-` or `_`): only the gateway sets them, from verified claims.
 */
export function removeIdentityHeaders<T extends HeaderMap>(headers: T, extra: readonly string[] = []): Partial<T> {
  const names = identityHeaderNames(extra);
  const kept: Partial<T> = {};
  for (const name of Object.keys(headers)) {
    const lower = dashed(name.toLowerCase());
    if (names.has(lower) || hasIdentityPrefix(lower)) continue;
    (kept as HeaderMap)[name] = headers[name];
  }
  return kept;
}

const IDENTITY_NAMES: ReadonlySet<string> = new Set(IDENTITY_HEADERS);
/** The names to remove for each `extra` list: a gateway passes the same list on every request, so one Set per list. */
const namesByExtra = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The (lower-case) identity header names with `extra` ones: {@link IDENTITY_HEADERS} alone when there are none. @internal */
export function identityHeaderNames(extra: readonly string[]): ReadonlySet<string> {
  if (extra.length === 0) return IDENTITY_NAMES;
  let names = namesByExtra.get(extra);
  if (names === undefined) {
    names = new Set([...IDENTITY_HEADERS, ...extra.map((name) => name.toLowerCase())]);
    // Only a frozen list can be remembered: another may change after this call.
    if (Object.isFrozen(extra)) namesByExtra.set(extra, names);
  }
  return names;
}

/** Whether `lower` starts with one of {@link IDENTITY_HEADER_PREFIXES}. @internal */
export function hasIdentityPrefix(lower: string): boolean {
  for (const prefix of IDENTITY_HEADER_PREFIXES) if (lower.startsWith(prefix)) return true;
  return false;
}

// A claim may hold anything; a header value may not hold CR, LF or other controls (nor, portably, non-ASCII), and
// a space would split one scope or role into two, a "%" make two subjects one (bøb and b%C3%B8b).
const headerSafe = (value: string) => (/^[\x21-\x24\x26-\x7e]*$/.test(value) ? value : encodeURIComponent(value));

/**
 * The identity headers to send upstream for a verified identity: `x-user-id` (subject), `x-user-scopes` and
 * `x-user-roles` (space-separated), `x-auth-method` (`jwt` or `api-key`) and `x-api-key-id`. Values that are
 * not printable ASCII, or hold a space or `%`, are percent-encoded, so a claim can never inject a header, add a
 * scope or role, or pass for another subject.
 */
export function identityHeaders(identity: VerifiedIdentity): Record<string, string> {
  const headers: Record<string, string> = { 'x-auth-method': identity.method };
  if (identity.subject !== undefined) headers['x-user-id'] = headerSafe(identity.subject);
  if (identity.scopes.length > 0) headers['x-user-scopes'] = identity.scopes.map(headerSafe).join(' ');
  if (identity.roles.length > 0) headers['x-user-roles'] = identity.roles.map(headerSafe).join(' ');
  if (identity.apiKeyId !== undefined) headers['x-api-key-id'] = headerSafe(identity.apiKeyId);
  return headers;
}
