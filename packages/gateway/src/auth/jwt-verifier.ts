import { createLocalJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AuthenticationFailedError, type AuthenticationFailure } from '../errors/authentication-failed.error.js';
import { isKeySetUnavailableError } from '../errors/key-set-unavailable.error.js';
import { messages } from '../errors/messages.constants.js';
import { rolesOf, scopesOf } from './authorization.js';
import { JwksKeySet } from './jwks-key-set.js';
import { resolveJwtVerifierOptions, type ResolvedJwtVerifierOptions } from './jwt-verifier-options.resolve.js';
import type { JwtVerifierOptions } from './jwt-verifier.options.js';
import type { VerifiedIdentity } from './verified-identity.interface.js';
import { VerifiedTokenCache } from './verified-token.cache.js';
import { bearerChallenge } from './www-authenticate.js';

/** jose error codes, and what each means for the caller. */
const FAILURES: Record<string, { reason: AuthenticationFailure; description: string }> = {
  ERR_JWT_EXPIRED: { reason: 'expired', description: 'The token expired' },
  ERR_JWT_CLAIM_VALIDATION_FAILED: { reason: 'claim', description: 'The token is not valid here' },
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: { reason: 'invalid-signature', description: 'The token signature is invalid' },
  ERR_JOSE_ALG_NOT_ALLOWED: { reason: 'algorithm', description: 'The token algorithm is not accepted' },
  ERR_JWKS_NO_MATCHING_KEY: { reason: 'unknown-key', description: 'The token was signed by an unknown key' },
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: { reason: 'unknown-key', description: 'The token was signed by an unknown key' },
};
const MALFORMED = { reason: 'malformed' as const, description: 'The token is malformed' };

/**
 * Verifies bearer JWTs with jose: signature against a JWKS URL (cached, rotated, one fetch per cooldown at
 * most), a static JWKS or an HMAC secret; an algorithm allow-list (never `none`, never HMAC with public keys);
 * `exp` required; issuer and audience when configured; a clock leeway. Tokens already verified are remembered
 * (bounded, expiry re-checked at every use), since a signature check costs tens of microseconds.
 *
 * @example
 * const verifier = new JwtVerifier({ jwksUrl: process.env.JWT_JWKS_URL, issuer: 'https://idp.example.com/', audience: 'orders-api' });
 * const identity = await verifier.verify(bearerToken(request.headers.authorization));
 */
export class JwtVerifier {
  private readonly options: ResolvedJwtVerifierOptions;
  private readonly key: JWTVerifyGetKey | Uint8Array;
  private readonly cache: VerifiedTokenCache<VerifiedIdentity>;

  constructor(options: JwtVerifierOptions) {
    this.options = resolveJwtVerifierOptions(options);
    const { source } = this.options;
    this.key = source.kind === 'secret' ? source.secret : source.kind === 'jwks' ? createLocalJWKSet(source.jwks) : new JwksKeySet(source.url, source.fetch).getKey;
    this.cache = new VerifiedTokenCache(this.options.cache.maxEntries, this.options.cache.maxAge);
  }

  /**
   * The identity a token proves, or an {@link AuthenticationFailedError} (401, with its `WWW-Authenticate`
   * challenge); a `KeySetUnavailableError` (503) when the JWKS cannot be had.
   */
  async verify(token: unknown): Promise<VerifiedIdentity> {
    if (typeof token !== 'string' || token.length === 0) {
      throw new AuthenticationFailedError(messages.tokenRefused('missing', 'no bearer token'), 'missing', 'A bearer token is required', bearerChallenge({ realm: this.options.realm }));
    }
    if (token.length > this.options.maxTokenLength) throw this.refused(MALFORMED, `${token.length} characters, more than ${this.options.maxTokenLength}`);
    const cached = this.cache.get(token);
    if (cached) return cached;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key as JWTVerifyGetKey, {
        algorithms: this.options.algorithms,
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockTolerance,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (isKeySetUnavailableError(error)) throw error;
      const code = (error as { code?: string }).code ?? '';
      throw this.refused(FAILURES[code] ?? MALFORMED, (error as Error).message, error);
    }
    const identity: VerifiedIdentity = {
      method: 'jwt',
      subject: typeof payload.sub === 'string' ? payload.sub : undefined,
      scopes: scopesOf(payload),
      roles: rolesOf(payload, this.options.rolesClaim),
      claims: payload,
      expiresAt: payload.exp! * 1000,
    };
    this.cache.set(token, identity, (payload.exp! + this.options.clockTolerance) * 1000);
    return identity;
  }

  /** The identity of `token` when it was verified before and is still valid (no promise, no signature check), else `undefined`. */
  verifiedBefore(token: string): VerifiedIdentity | undefined {
    return this.cache.get(token);
  }

  private refused(failure: { reason: AuthenticationFailure; description: string }, detail: string, cause?: unknown): AuthenticationFailedError {
    const challenge = bearerChallenge({ realm: this.options.realm, error: 'invalid_token', description: failure.description });
    return new AuthenticationFailedError(messages.tokenRefused(failure.reason, detail), failure.reason, failure.description, challenge, { cause });
  }
}
