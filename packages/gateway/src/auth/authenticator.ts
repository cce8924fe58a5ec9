import { AuthenticationFailedError } from '../errors/authentication-failed.error.js';
import { GatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { messages } from '../errors/messages.constants.js';
import type { HeaderMap } from '../edge/header-map.js';
import type { ApiKeyVerifier } from './api-key.verifier.js';
import { DEFAULT_API_KEY_HEADER, presentedCredentials } from './credentials.js';
import type { JwtVerifier } from './jwt-verifier.js';
import type { VerifiedIdentity } from './verified-identity.interface.js';
import { bearerChallenge } from './www-authenticate.js';

/** The values of {@link AuthenticationMode}. @internal */
export const AUTHENTICATION_MODES = ['public', 'jwt', 'api-key', 'any'] as const;

/** How a route authenticates: no credential needed, a JWT, an API key, or either of them. */
export type AuthenticationMode = (typeof AUTHENTICATION_MODES)[number];

/** Options of {@link Authenticator}. */
export interface AuthenticatorOptions {
  jwt?: JwtVerifier;
  apiKeys?: ApiKeyVerifier;
  /** Header holding API keys. Default `'x-api-key'`. */
  apiKeyHeader?: string;
  /** Realm of the challenges. Default `'api'`. */
  realm?: string;
}

/**
 * Authenticates a request per route mode. With `'any'`, a bearer token is tried when present, else the API
 * key; a credential that is present but wrong is refused even where `'public'` would allow none (never
 * silently downgraded to anonymous). A 401 names every scheme the route accepts in `WWW-Authenticate`.
 *
 * @example
 * const auth = new Authenticator({ jwt, apiKeys });
 * const identity = await auth.authenticate(request.headers, 'any'); // undefined only for 'public' without credentials
 */
export class Authenticator {
  private readonly apiKeyHeader: string;
  private readonly unverified: Record<VerifiedIdentity['method'] | 'none', readonly string[]>;

  constructor(private readonly options: AuthenticatorOptions) {
    this.apiKeyHeader = (options.apiKeyHeader ?? DEFAULT_API_KEY_HEADER).toLowerCase();
    const bearer = options.jwt ? ['authorization'] : [];
    const apiKey = options.apiKeys ? [this.apiKeyHeader] : [];
    this.unverified = { jwt: apiKey, 'api-key': bearer, none: [...bearer, ...apiKey] };
  }

  /**
   * The credential headers of a kind this gateway verifies that did not make `identity`: not forwarded, so a forged
   * token beside a valid API key (or a key beside a token) never reaches an upstream that trusts the gateway's checks.
   */
  unverifiedHeaders(identity: VerifiedIdentity | undefined): readonly string[] {
    return this.unverified[identity?.method ?? 'none'];
  }

  /**
   * True when `authenticate()` would answer `undefined` without looking further: a public route and no
   * credential header at all. Lets the gateway skip a promise per anonymous request.
   */
  isAnonymous(headers: HeaderMap, mode: AuthenticationMode): boolean {
    return mode === 'public' && !this.presentsCredential(headers);
  }

  /** True when the request carries a credential header (`Authorization` or the API-key header), usable or not. */
  presentsCredential(headers: HeaderMap): boolean {
    return headers.authorization !== undefined || headers[this.apiKeyHeader] !== undefined;
  }

  async authenticate(headers: HeaderMap, mode: AuthenticationMode): Promise<VerifiedIdentity | undefined> {
    return this.authenticateNow(headers, mode);
  }

  /**
   * {@link authenticate}, without a promise where none is needed: an API key, a token verified before, or
   * `undefined`; a promise only while a new token's signature is checked. Throws a refusal synchronously. @internal
   */
  authenticateNow(headers: HeaderMap, mode: AuthenticationMode): VerifiedIdentity | undefined | Promise<VerifiedIdentity> {
    const { jwt, apiKeys } = this.options;
    const usable = mode === 'public' || (mode === 'jwt' && jwt) || (mode === 'api-key' && apiKeys) || (mode === 'any' && (jwt || apiKeys));
    if (!usable) throw new GatewayConfigurationError(messages.authModeUnavailable(mode));
    const acceptsJwt = (mode === 'jwt' || mode === 'any' || mode === 'public') && !!jwt;
    const acceptsApiKey = (mode === 'api-key' || mode === 'any' || mode === 'public') && !!apiKeys;
    const credentials = presentedCredentials(headers, this.options.apiKeyHeader);
    if (credentials.malformed) throw this.refused(mode, 'malformed', credentials.malformed, 'invalid_request');
    if (credentials.bearer !== undefined && acceptsJwt) return jwt!.verifiedBefore(credentials.bearer) ?? jwt!.verify(credentials.bearer);
    if (credentials.apiKey !== undefined && acceptsApiKey) return apiKeys!.verify(credentials.apiKey);
    if (mode === 'public') return undefined;
    throw this.refused(mode, 'missing', `no credential this route accepts (${mode})`);
  }

  private refused(mode: AuthenticationMode, reason: 'missing' | 'malformed', detail: string, error?: 'invalid_request'): AuthenticationFailedError {
    const realm = this.options.realm ?? 'api';
    const description = reason === 'missing' ? 'Authentication is required' : 'The credential is malformed';
    const challenges = [];
    if (mode !== 'api-key') challenges.push(bearerChallenge({ realm, error, description: error ? description : undefined }));
    if (mode === 'api-key' || mode === 'any') challenges.push(`ApiKey realm="${realm}"`);
    return new AuthenticationFailedError(messages.tokenRefused(reason, detail), reason, description, challenges.join(', '));
  }
}
