import type { VerifiedIdentity } from '../auth/verified-identity.interface.js';
import { headerText, sha256 } from './vary-variants.js';

/** What a cache key is made of: the request as the gateway forwards it. @internal */
export interface CacheKeyInput {
  readonly route: { readonly id: string };
  /** Path and query sent upstream, byte for byte. */
  readonly upstreamPath: string;
  readonly identity: VerifiedIdentity | undefined;
  /** The headers sent upstream (`X-Forwarded-Proto` / `-Host` among them, and any credential). */
  readonly upstreamHeaders: Readonly<Record<string, string | string[] | undefined>>;
}

/** The keys of one request's entries. @internal */
export interface CacheKeys {
  /** The entry any caller may be served (a `public` / `s-maxage` answer): route, scheme, host, path and query. */
  readonly shared: string;
  /** The entry only this caller may be served: the shared key's parts and who the caller is. */
  readonly own: string;
  /**
   * True when the upstream may answer this caller in person: a verified identity, or a credential header sent
   * upstream (`Authorization`, `Cookie`, the API-key header). Then the route's `defaultTtl` does not apply.
   */
  readonly credentialed: boolean;
}

/**
 * The host as keyed: lower case, the scheme's default port (80 for http, 443 for https) dropped, `''` when
 * none was forwarded. `API.example.com:80` over http is `api.example.com`; `api.example.com:443` over http is not.
 */
export function normalizedHost(host: string | string[] | undefined, proto: string): string {
  const lower = headerText(host).toLowerCase();
  const colon = lower.lastIndexOf(':');
  // No port (an IPv6 literal's colons sit inside its brackets), or not a number: kept as it is.
  if (colon === -1 || colon < lower.lastIndexOf(']') || !/^\d+$/.test(lower.slice(colon + 1))) return lower;
  const port = Number(lower.slice(colon + 1));
  const name = lower.slice(0, colon);
  return port === (proto === 'https' ? 443 : 80) ? name : `${name}:${port}`;
}

/** JSON with object keys sorted at every level, so equal identities give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .filter((name) => record[name] !== undefined)
    .sort()
    .map((name) => `${JSON.stringify(name)}:${canonicalJson(record[name])}`);
  return `{${fields.join(',')}}`;
}

/** Digests of identities seen: verifiers hand out one object per token or API key (until it leaves their cache). */
const identityDigests = new WeakMap<VerifiedIdentity, string>();

/**
 * A digest (sha256, base64url) of the whole verified identity: how the caller authenticated, its subject,
 * API key id, scopes, roles and every claim (`iss`, `client_id`, `azp`...), so two callers without `sub` never
 * share a key, and no credential or claim is ever a key's text. @internal
 */
export function identityDigest(identity: VerifiedIdentity): string {
  let digest = identityDigests.get(identity);
  if (digest === undefined) {
    digest = sha256(canonicalJson(identity));
    identityDigests.set(identity, digest);
  }
  return digest;
}

/**
 * The keys of a request's cache entries. The shared key holds everything an answer to anyone may depend on:
 * the route, the scheme and host the upstream is told (`X-Forwarded-Proto`, `X-Forwarded-Host` normalised by
 * {@link normalizedHost}) and the upstream path and query, byte for byte. The caller's own key adds who asks:
 * `anonymous` without credentials, else a digest of the whole verified identity and of the values of the
 * credential headers sent upstream (`credentialHeaders`: `Authorization`, `Cookie`, the API-key header), so
 * neither another token, another API key nor another cookie (or none) reaches the entry. @internal
 */
export function cacheKeys(input: CacheKeyInput, credentialHeaders: readonly string[]): CacheKeys {
  const headers = input.upstreamHeaders;
  const proto = headerText(headers['x-forwarded-proto']).toLowerCase();
  const base = `${input.route.id}\0${proto}://${normalizedHost(headers['x-forwarded-host'], proto)}${input.upstreamPath}`;
  const credentialed = input.identity !== undefined || credentialHeaders.some((name) => headers[name] !== undefined);
  if (!credentialed) return { shared: `shared\0${base}`, own: `user\0anonymous\0${base}`, credentialed };
  const credentials = credentialHeaders.map((name) => (headers[name] === undefined ? null : headerText(headers[name])));
  const caller = sha256(JSON.stringify([input.identity ? identityDigest(input.identity) : '', ...credentials]));
  return { shared: `shared\0${base}`, own: `user\0${caller}\0${base}`, credentialed };
}
