import { describe, expect, it } from '@jest/globals';
import { BadRequestException, HttpException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from 'cockatiel';
import { ResilienceTimeoutError } from '../errors/resilience-timeout.error.js';
import { AfterEmissionFailure, UNSUBSCRIBED, breakerFilter, isCallerError, retryAfterOf, retryFilter, statusOf } from './error-classification.js';

describe('error classification', () => {
  it('reads a status from Nest exceptions, plain objects and RpcException-like payloads', () => {
    expect(statusOf(new NotFoundException())).toBe(404);
    expect(statusOf({ status: 503 })).toBe(503);
    expect(statusOf({ statusCode: 429 })).toBe(429);
    expect(statusOf({ response: { status: 502 } })).toBe(502);
    expect(statusOf({ getError: () => ({ statusCode: 400 }) })).toBe(400);
    expect(statusOf(new Error('x'))).toBeUndefined();
  });

  it('treats 4xx but 408 and 429 as caller errors', () => {
    expect(isCallerError(new BadRequestException())).toBe(true);
    expect(isCallerError(new HttpException('slow', 408))).toBe(false);
    expect(isCallerError(new HttpException('busy', 429))).toBe(false);
    expect(isCallerError(new ServiceUnavailableException())).toBe(false);
  });

  it('by default the breaker counts server errors and timeouts, not caller errors, rejections or cancellations', () => {
    const counts = breakerFilter(undefined, () => false);
    expect(counts(new Error('x'))).toBe(true);
    expect(counts(new ResilienceTimeoutError('A.b', 1))).toBe(true);
    expect(counts(new BadRequestException())).toBe(false);
    expect(counts(new BulkheadRejectedError(1, 0))).toBe(false);
    expect(counts(new TaskCancelledError())).toBe(false);
    expect(counts(UNSUBSCRIBED)).toBe(false);
    expect(counts(new AfterEmissionFailure(new Error('x')))).toBe(true);
    // While half-open, a cancelled probe gave no verdict: it must not close the circuit.
    const probing = breakerFilter(undefined, () => true);
    expect([probing(UNSUBSCRIBED), probing(new TaskCancelledError()), probing(new BadRequestException())]).toEqual([true, true, false]);
  });

  it('by default retries server errors and timeouts, not caller errors, open circuits or values already emitted', () => {
    const retries = retryFilter(undefined);
    expect(retries(new Error('x'))).toBe(true);
    expect(retries(new ResilienceTimeoutError('A.b', 1))).toBe(true);
    expect(retries(new HttpException('busy', 429))).toBe(true);
    expect(retries(new NotFoundException())).toBe(false);
    expect(retries(new BrokenCircuitError())).toBe(false);
    expect(retries(new AfterEmissionFailure(new Error('x')))).toBe(false);
    expect(retryFilter([TypeError])(new TypeError('t'))).toBe(true);
    expect(retryFilter([TypeError])(new Error('e'))).toBe(false);
  });

  it('reads retryAfter hints as ms, Dates and Retry-After headers', () => {
    expect(retryAfterOf({ retryAfter: 250 })).toBe(250);
    expect(retryAfterOf({ retryAfter: new Date(2_000) }, 500)).toBe(1_500);
    expect(retryAfterOf({ headers: { 'retry-after': '3' } })).toBe(3_000);
    expect(retryAfterOf({ response: { headers: { 'retry-after': new Date(10_000).toUTCString() } } }, 4_000)).toBe(6_000);
    expect(retryAfterOf({ retryAfter: -1 })).toBeUndefined();
    expect(retryAfterOf(new Error('none'))).toBeUndefined();
  });
});
