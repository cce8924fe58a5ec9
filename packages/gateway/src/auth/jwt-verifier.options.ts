import type { JSONWebKeySet } from 'jose';

/** Asymmetric JWS algorithms a verifier may allow with a JWKS. */
export type AsymmetricJwtAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA' | 'Ed25519';
/** HMAC algorithms a verifier may allow with a shared `secret`. */
export type HmacJwtAlgorithm = 'HS256' | 'HS384' | 'HS512';

/** How the remote JWKS is cached and refreshed. */
export interface JwksFetchOptions {
  /** Keys are refreshed once older than this (ms); a failed refresh keeps the old keys. Default `600_000` (10 min). */
  cacheMaxAge?: number;
  /**
   * At most one fetch per this many ms, whatever arrives: tokens with unknown `kid`s (a flood of them included)
   * or a JWKS that keeps failing. A `kid` rotated in is picked up once the cooldown has passed. Default `30_000`.
   */
  cooldown?: number;
  /** Timeout of one fetch (ms). Default `5_000`. */
  timeout?: number;
  /** Largest JWKS document accepted, in bytes. Default `1_048_576`. */
  maxBytes?: number;
}

/** Options of {@link JwtVerifier}. Exactly one key source: `jwksUrl`, `jwks` or `secret`. */
export interface JwtVerifierOptions {
  /** URL of the issuer's JWKS (e.g. `https://idp.example.com/.well-known/jwks.json`); redirects are refused. */
  jwksUrl?: string | URL;
  /** Static public keys, as a JWKS document (`{ keys: [...] }`); symmetric (`oct`) keys are refused. */
  jwks?: JSONWebKeySet;
  /** Shared secret for HMAC tokens (`HS*` algorithms only); at least 32 bytes. */
  secret?: string | Uint8Array;
  /**
   * Algorithms accepted (the token's `alg` must be one of them). Never `none`, and never HMAC with public keys
   * or the reverse. Default `['RS256']` with keys, `['HS256']` with a secret.
   */
  algorithms?: Array<AsymmetricJwtAlgorithm | HmacJwtAlgorithm>;
  /** Expected `iss` (one of them). Default: not checked. */
  issuer?: string | string[];
  /** Expected `aud` (one of them). Default: not checked. */
  audience?: string | string[];
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. Default `5`. */
  clockTolerance?: number;
  /** Claim holding roles, as a dotted path (e.g. `realm_access.roles`). Default `'roles'`. */
  rolesClaim?: string;
  /** Tokens longer than this are refused unread. Default `8_192`. */
  maxTokenLength?: number;
  /**
   * Verified tokens remembered, so a token seen again skips the signature check; each use re-checks its expiry.
   * `false` turns the cache off. Default `{ maxEntries: 10_000, maxAge: 60_000 }`.
   */
  cache?: false | { maxEntries?: number; maxAge?: number };
  /** Remote JWKS caching (with `jwksUrl`). */
  jwksFetch?: JwksFetchOptions;
  /** `realm` of the `WWW-Authenticate` challenge. Default `'api'`. */
  realm?: string;
}
