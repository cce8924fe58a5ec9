import { HttpException } from '@nestjs/common';

/** Where a failed call stood when it gave up. */
export interface ServiceCallDetails {
  /** The service that was called (its discovery name). */
  readonly serviceName: string;
  /** ID of the last instance tried, when one was. */
  readonly instanceId?: string;
  /** How many attempts were made (0 when no instance could be picked). */
  readonly attempts: number;
  /** What went wrong underneath (an undici error, an open breaker...). */
  readonly cause?: unknown;
}

/**
 * Base of the client's errors: an `HttpException`, so one thrown from a controller becomes a clean 503 or 504
 * on Express and on Fastify through Nest's own exception filter, with the message in the body.
 */
export abstract class ServiceClientError extends HttpException {
  /** The service that was called. */
  readonly serviceName: string;
  /** ID of the last instance tried, if any. */
  readonly instanceId: string | undefined;
  /** How many attempts were made. */
  readonly attempts: number;

  /** @internal The status a subclass answers with (504 for a timeout). */
  protected static readonly status: 503 | 504 = 503;

  constructor(message: string, details: ServiceCallDetails) {
    const status = (new.target as typeof ServiceClientError).status;
    super(
      { statusCode: status, error: status === 503 ? 'Service Unavailable' : 'Gateway Timeout', message },
      status,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.message = message;
    this.serviceName = details.serviceName;
    this.instanceId = details.instanceId;
    this.attempts = details.attempts;
  }
}
