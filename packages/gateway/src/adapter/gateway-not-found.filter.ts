import { Catch, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { sendProblem } from '../proxy/problem-details.js';

/**
 * Answers requests that neither a gateway route nor a controller matched with an RFC 9457 problem (404),
 * like the gateway's other errors; a `NotFoundException` thrown by a controller keeps Nest's own answer. @internal
 */
@Catch(NotFoundException)
export class GatewayNotFoundFilter extends BaseExceptionFilter {
  override catch(exception: NotFoundException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<{ route?: unknown; is404?: boolean; raw?: unknown; url?: string; originalUrl?: string }>();
    const unrouted = request.raw !== undefined ? request.is404 === true : request.route === undefined;
    if (!unrouted || host.getType() !== 'http') return super.catch(exception, host);
    const response = http.getResponse<{ raw?: ServerResponse } & ServerResponse>();
    const raw = response.raw ?? response;
    if (request.raw !== undefined) (response as unknown as { hijack?: () => void }).hijack?.();
    sendProblem(raw, { status: 404, detail: 'No route matches this request.' }, undefined, undefined);
  }
}
