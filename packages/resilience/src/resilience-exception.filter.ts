import { Catch, HttpStatus, Optional, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';
import { BulkheadFullError } from './errors/bulkhead-full.error.js';
import { CircuitOpenError } from './errors/circuit-open.error.js';
import { ResilienceTimeoutError } from './errors/resilience-timeout.error.js';
import { resilienceRejectionOf } from './resilience-rejection.js';

/**
 * Gives this package's rejections their meaning at the edge of the app, without a stack trace in the log:
 *
 * - HTTP (Express, Fastify): an open circuit is `503` with `Retry-After` (seconds until the breaker lets a
 *   probe through), a full bulkhead `503` with `Retry-After: 1`, a timeout `504`. The body is
 *   `{ statusCode, error, message, code }`, `code` being `CIRCUIT_OPEN`, `BULKHEAD_FULL` or `TIMEOUT`.
 * - Microservices (`@MessagePattern` handlers): the client's Observable errors with the same object plus
 *   `status: 'error'`, `name` (`CircuitOpenError`...) and `retryAfter` in ms: what `RpcException` would send.
 *
 * `ResilienceModule` registers it globally (`APP_FILTER`); without the module:
 * `app.useGlobalFilters(new ResilienceExceptionFilter(app.get(HttpAdapterHost)))`.
 */
@Catch(CircuitOpenError, BulkheadFullError, ResilienceTimeoutError)
export class ResilienceExceptionFilter implements ExceptionFilter {
  constructor(@Optional() private readonly adapterHost?: HttpAdapterHost) {}

  catch(exception: CircuitOpenError | BulkheadFullError | ResilienceTimeoutError, host: ArgumentsHost): Observable<never> | void {
    const rejection = resilienceRejectionOf(exception);
    const type = host.getType<string>();
    if (rejection === undefined) throw exception;
    if (type === 'rpc') return throwError(() => ({ status: 'error', ...rejection }));
    const adapter = this.adapterHost?.httpAdapter;
    if (type !== 'http' || adapter === undefined) throw exception;
    const response: unknown = host.switchToHttp().getResponse();
    if (rejection.retryAfter !== undefined) adapter.setHeader(response, 'Retry-After', String(Math.ceil(rejection.retryAfter / 1000)));
    const { statusCode, message, code } = rejection;
    const error = statusCode === HttpStatus.GATEWAY_TIMEOUT ? 'Gateway Timeout' : 'Service Unavailable';
    adapter.reply(response, { statusCode, error, message, code }, statusCode);
  }
}
