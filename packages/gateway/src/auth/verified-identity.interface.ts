/** Who made a request, once a credential verified. Identity headers sent upstream come from here only. */
export interface VerifiedIdentity {
  /** How the caller authenticated. */
  readonly method: 'jwt' | 'api-key';
  /** The token's `sub`, or the API key's `subject`. */
  readonly subject?: string;
  /** Granted scopes: the token's `scope` (space-separated) or `scp` (array), or the API key's `scopes`. */
  readonly scopes: readonly string[];
  /** Granted roles: the token's roles claim, or the API key's `roles`. */
  readonly roles: readonly string[];
  /** Every claim of the verified token (`{}` for an API key). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** When the credential stops being valid (epoch ms); `undefined` for API keys. */
  readonly expiresAt?: number;
  /** The `id` of the API key used. */
  readonly apiKeyId?: string;
}
