import type { HeaderMap } from '../edge/header-map.js';
import { headerValues } from '../edge/header-map.js';

/** The header API keys are read from, unless told otherwise. */
export const DEFAULT_API_KEY_HEADER = 'x-api-key';

/** Credentials a request carries, read without judging them. */
export interface PresentedCredentials {
  /** The token of `Authorization: Bearer <token>`. */
  bearer?: string;
  /** The value of the API-key header. */
  apiKey?: string;
  /** Set when a credential header is there but unusable (repeated, another scheme, empty). */
  malformed?: string;
}

// RFC 6750 §2.1 b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Reads the bearer token and the API key of a request. A repeated `Authorization` or API-key header, or an
 * `Authorization` that is not a well-formed bearer credential, is reported in `malformed` (answer 401
 * `invalid_request`) instead of picking one of the values.
 */
export function presentedCredentials(headers: HeaderMap, apiKeyHeader = DEFAULT_API_KEY_HEADER): PresentedCredentials {
  const result: PresentedCredentials = {};
  const authorization = headerValues(headers.authorization);
  if (authorization.length > 1) result.malformed = 'more than one Authorization header';
  else if (authorization.length === 1) {
    const match = BEARER.exec(authorization[0].trim());
    if (match) result.bearer = match[1];
    else result.malformed = 'Authorization is not "Bearer <token>"';
  }
  const apiKey = headerValues(headers[apiKeyHeader.toLowerCase()]);
  if (apiKey.length > 1) result.malformed ??= `more than one ${apiKeyHeader} header`;
  else if (apiKey.length === 1 && apiKey[0].trim()) result.apiKey = apiKey[0].trim();
  return result;
}
