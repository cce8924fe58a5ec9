import {
  isAllInstancesEjectedError,
  isNoInstancesError,
  isRetryBudgetExhaustedError,
  isServiceCircuitOpenError,
  isServiceTimeoutError,
  isUpstreamUnreachableError,
} from '@nestmesh/client';
import type { ProblemDetails } from './problem-details.js';

/** Seconds a client is told to wait before retrying after a 503. */
const RETRY_AFTER_SECONDS = 5;

const UNDICI_TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** The error of an upstream whose response went over `maxResponseSize`. @internal */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
}

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
