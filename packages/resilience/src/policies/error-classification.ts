import { retryAfterMs } from '@nestmesh/common';
import { isBrokenCircuitError, isBulkheadRejectedError, isTaskCancelledError } from 'cockatiel';
import { isResilienceTimeoutError } from '../errors/resilience-timeout.error.js';
import type { ErrorFilter } from '../interfaces/error-filter.interface.js';

/** @internal Rejects an Observable method's attempt after its subscriber left: no policy retries or counts it. */
export const UNSUBSCRIBED: unique symbol = Symbol('NESTMESH:resilience:unsubscribed');

/** @internal Boxes the error of an Observable attempt that had already emitted values: never retried. */
export class AfterEmissionFailure {
  constructor(readonly error: unknown) {}
}

/** @internal The error a user sees: unboxed. */
export const unwrapError = (error: unknown): unknown => (error instanceof AfterEmissionFailure ? error.error : error);

/** @internal The HTTP status an error carries (`getStatus()`, `status`, `statusCode`, an RpcException's payload). */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { getStatus?: unknown; status?: unknown; statusCode?: unknown; getError?: unknown; response?: { status?: unknown } };
  if (typeof e.getStatus === 'function') {
    const status: unknown = (e.getStatus as () => unknown).call(error);
    if (typeof status === 'number') return status;
  }
  if (typeof e.status === 'number') return e.status;
  if (typeof e.statusCode === 'number') return e.statusCode;
  if (typeof e.response?.status === 'number') return e.response.status;
  if (typeof e.getError === 'function') return statusOf((e.getError as () => unknown).call(error));
  return undefined;
}

/**
 * Whether an error means "the caller was wrong": a status in 400–499 other than 408 (Request Timeout) and 429
 * (Too Many Requests). Such errors are not retried and do not count as breaker failures by default.
 */
export function isCallerError(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** A caller's cancellation (not a timeout of ours). */
const isCancellation = (error: unknown): boolean => isTaskCancelledError(error) && !isResilienceTimeoutError(error);

/** Default "counts as a breaker failure" and "is worth retrying" (an open circuit never is: see {@link retryFilter}). */
const defaultFailure = (error: unknown): boolean => !isCallerError(error) && !isBulkheadRejectedError(error) && !isCancellation(error);

function toPredicate(filter: ErrorFilter | undefined, fallback: (error: unknown) => boolean): (error: unknown) => boolean {
  if (filter === undefined) return fallback;
  if (typeof filter === 'function') return filter;
  return (error) => filter.some((cls) => error instanceof cls);
}

/**
 * @internal The breaker's filter: the user's (or the default) over unboxed errors, never an unsubscription, except
 * while `halfOpen()`: a probe its caller cancelled (unsubscribed, aborted) gave no verdict, and cockatiel would take
 * an error outside the filter for a success and close the circuit, so there it counts and the circuit opens again.
 */
export function breakerFilter(filter: ErrorFilter | undefined, halfOpen: () => boolean): (error: unknown) => boolean {
  const predicate = toPredicate(filter, defaultFailure);
  return (error) => {
    if (error === UNSUBSCRIBED) return halfOpen();
    const unwrapped = unwrapError(error);
    return (isCancellation(unwrapped) && halfOpen()) || predicate(unwrapped);
  };
}

/**
 * @internal The retry filter: the user's (or the default), never after values were emitted, an unsubscription,
 * or an open circuit (retrying it would only spin against the breaker, whatever `retryOn` says).
 */
export function retryFilter(filter: ErrorFilter | undefined): (error: unknown) => boolean {
  const predicate = toPredicate(filter, defaultFailure);
  return (error) => error !== UNSUBSCRIBED && !(error instanceof AfterEmissionFailure) && !isBrokenCircuitError(error) && predicate(error);
}

/**
 * @internal The `retryAfter` hint of an error, in ms: a number (ms), a `Date`, or an HTTP `Retry-After` string
 * (seconds or an HTTP date). Also read from `error.headers['retry-after']` / `error.response.headers`.
 */
export function retryAfterOf(error: unknown, now = Date.now()): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { retryAfter?: unknown; headers?: Record<string, unknown>; response?: { headers?: Record<string, unknown> } };
  return retryAfterMs(e.retryAfter ?? e.headers?.['retry-after'] ?? e.response?.headers?.['retry-after'], now);
}
