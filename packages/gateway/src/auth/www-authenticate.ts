/** Parameters of a bearer `WWW-Authenticate` challenge (RFC 6750 §3). */
export interface BearerChallenge {
  realm?: string;
  /** `invalid_request`, `invalid_token` or `insufficient_scope`; none when no credential was sent. */
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  description?: string;
  /** Scopes needed, space-separated in the header. */
  scope?: readonly string[];
}

// Quoted-string values: drop what cannot be quoted (control characters) and escape the rest.
const printable = (value: string) => [...value].filter((char) => char >= ' ' && char !== '\x7f').join('');
const quote = (value: string) => `"${printable(value).replace(/["\\]/g, '\\$&')}"`;

/**
 * The `WWW-Authenticate` value of a 401 or 403 for bearer tokens.
 *
 * @example
 * bearerChallenge({ realm: 'api', error: 'invalid_token', description: 'The token expired' })
 * // Bearer realm="api", error="invalid_token", error_description="The token expired"
 */
export function bearerChallenge({ realm = 'api', error, description, scope }: BearerChallenge = {}): string {
  const parts = [`realm=${quote(realm)}`];
  if (error) parts.push(`error=${quote(error)}`);
  if (description) parts.push(`error_description=${quote(description)}`);
  if (scope && scope.length > 0) parts.push(`scope=${quote(scope.join(' '))}`);
  return `Bearer ${parts.join(', ')}`;
}
