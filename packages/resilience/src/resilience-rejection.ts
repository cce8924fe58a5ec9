import { HttpStatus } from '@nestjs/common';
import { isBulkheadFullError } from './errors/bulkhead-full.error.js';
import { isCircuitOpenError } from './errors/circuit-open.error.js';
import { isResilienceTimeoutError } from './errors/resilience-timeout.error.js';

/** Stable codes of this package's rejections, as sent over HTTP and microservice transports. */
export type ResilienceRejectionCode = 'CIRCUIT_OPEN' | 'BULKHEAD_FULL' | 'TIMEOUT';

/** What a rejection means to a remote caller: the body `ResilienceExceptionFilter` sends. */
export interface ResilienceRejection {
  readonly statusCode: number;
  readonly code: ResilienceRejectionCode;
  /** `CircuitOpenError`, `BulkheadFullError` or `ResilienceTimeoutError`. */
  readonly name: string;
  readonly message: string;
  /** Milliseconds to wait before calling again (open circuit: until half-open; full bulkhead: 1000). */
  readonly retryAfter?: number;
}

/** A full bulkhead frees up as calls finish: one second is a fair first wait. */
const BULKHEAD_RETRY_AFTER_MS = 1_000;

/**
 * The remote meaning of a rejection of this package (`undefined` for any other error): an open circuit and a
 * full bulkhead are 503, a timeout 504.
 *
 * @example
 * client.send('quote', id).pipe(catchError((error) => (resilienceRejectionOf(error)?.code === 'CIRCUIT_OPEN' ? of(cached) : throwError(() => error))));
 */
export function resilienceRejectionOf(error: unknown): ResilienceRejection | undefined {
  if (isCircuitOpenError(error)) {
    return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, code: 'CIRCUIT_OPEN', name: error.name, message: error.message, retryAfter: error.retryAfter };
  }
  if (isBulkheadFullError(error)) {
    return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, code: 'BULKHEAD_FULL', name: error.name, message: error.message, retryAfter: BULKHEAD_RETRY_AFTER_MS };
  }
  if (isResilienceTimeoutError(error)) {
    return { statusCode: HttpStatus.GATEWAY_TIMEOUT, code: 'TIMEOUT', name: error.name, message: error.message };
  }
  if (typeof error === 'object' && error !== null && isRejectionCode((error as { code?: unknown }).code)) {
    // Received over a transport: already in this shape.
    return error as ResilienceRejection;
  }
  return undefined;
}

const isRejectionCode = (code: unknown): code is ResilienceRejectionCode => code === 'CIRCUIT_OPEN' || code === 'BULKHEAD_FULL' || code === 'TIMEOUT';
