import { isAccessDeniedError } from '../errors/access-denied.error.js';
import { isAuthenticationFailedError } from '../errors/authentication-failed.error.js';
import { isKeySetUnavailableError } from '../errors/key-set-unavailable.error.js';
import { isTooManyAuthenticationFailuresError } from '../errors/too-many-authentication-failures.error.js';
import { isTransformationHookError } from '../errors/transformation-hook.error.js';
import { BodyTimeoutError, BodyTooLargeError } from '../proxy/byte-limit.js';
import type { ProblemDetails } from '../proxy/problem-details.js';
import { upstreamFailure } from '../proxy/upstream-failure.js';

/**
 * The problem the gateway answers for a failure of a claimed request or upgrade, whatever its stage: 401 / 429 /
 * 403 / 503 from authentication and authorization, 413 / 408 for the client's body (closing the connection, whose
 * framing is then lost), 500 for a failed transformation hook, and the upstream's failures as
 * {@link upstreamFailure} maps them. @internal
 */
export function failureProblem(error: unknown): ProblemDetails {
  if (isAuthenticationFailedError(error)) return { status: 401, detail: error.description, headers: { 'www-authenticate': error.challenge } };
  if (isTooManyAuthenticationFailuresError(error)) return { status: 429, detail: error.description, headers: { 'retry-after': error.retryAfter } };
  if (isAccessDeniedError(error)) return { status: 403, detail: 'The credential lacks the access this request needs.', headers: error.challenge ? { 'www-authenticate': error.challenge } : undefined };
  if (isKeySetUnavailableError(error)) return { status: 503, detail: 'Credentials cannot be checked right now.', headers: { 'retry-after': 5 } };
  if (error instanceof BodyTooLargeError) return { status: 413, detail: error.message, close: true };
  if (isTransformationHookError(error)) return { status: 500, detail: 'The gateway failed to transform this request or its answer.' };
  if (error instanceof BodyTimeoutError) return { status: 408, detail: 'The request body was not sent in time.', close: true };
  return upstreamFailure(error);
}
