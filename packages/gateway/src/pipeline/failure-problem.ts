import {
  isAllInstancesEjectedError,
  isNoInstancesError,
  isRetryBudgetExhaustedError,
  isServiceCircuitOpenError,
  isServiceTimeoutError,
  isUpstreamUnreachableError,
} from '@nestmesh/client';
import { isAccessDeniedError } from '../errors/access-denied.error.js';
import { isAuthenticationFailedError } from '../errors/authentication-failed.error.js';
import { isKeySetUnavailableError } from '../errors/key-set-unavailable.error.js';
import { isTooManyAuthenticationFailuresError } from '../errors/too-many-authentication-failures.error.js';
import { isTransformationHookError } from '../errors/transformation-hook.error.js';
import { BodyTimeoutError, BodyTooLargeError } from '../proxy/byte-limit.js';
import type { ProblemDetails } from '../proxy/problem-details.js';
import { ResponseTooLargeError } from '../proxy/response-size.js';

/** Seconds a client is told to wait before retrying after a 503. */
const RETRY_AFTER_SECONDS = 5;

const UNDICI_TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The problem to answer for an upstream failure, saying what happened without naming instances, addresses or
 * upstream messages: 503 (with `Retry-After`) when no instance can take the call or the breaker is open,
 * 504 when the deadline passed, 502 for anything else (unreachable, reset, malformed or oversized answer). @internal
 */
export function upstreamFailure(error: unknown): ProblemDetails {
  const retryAfter = { 'retry-after': RETRY_AFTER_SECONDS };
  if (isServiceTimeoutError(error)) return { status: 504, detail: 'The upstream service did not answer in time.' };
  if (isNoInstancesError(error) || isAllInstancesEjectedError(error)) return { status: 503, detail: 'No instance of the upstream service is available.', headers: retryAfter };
  if (isServiceCircuitOpenError(error)) return { status: 503, detail: 'The upstream service is failing; calls are paused for a while.', headers: retryAfter };
  if (isRetryBudgetExhaustedError(error)) return { status: 503, detail: 'The upstream service is failing; retry later.', headers: retryAfter };
  if (isUpstreamUnreachableError(error)) return { status: 502, detail: 'The upstream service could not be reached.' };
  if (error instanceof ResponseTooLargeError) return { status: 502, detail: 'The upstream answer is larger than this gateway accepts.' };
  const code = (error as { code?: string })?.code;
  if ((error as Error)?.name === 'TimeoutError') return { status: 504, detail: 'The upstream did not answer in time.' };
  if (code !== undefined && UNDICI_TIMEOUTS.has(code)) return { status: 504, detail: 'The upstream did not answer in time.' };
  return { status: 502, detail: 'The upstream answer could not be used.' };
}

/**
 * The problem for a failure of a claimed request or upgrade, whatever its stage: 401 / 429 / 403 / 503 from
 * authentication and authorization, 413 / 408 for the client's body (closing the connection: its framing is lost),
 * 500 for a failed hook, and the upstream's failures as {@link upstreamFailure} maps them. @internal
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
