import { Catch, Inject, NotFoundException, Optional, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestIdOf } from '../edge/request-id.js';
import { normalizeRequestTarget } from '../edge/request-target.js';
import { GATEWAY_MODULE_OPTIONS } from '../gateway.module-definition.js';
import type { GatewayModuleOptions } from '../interfaces/gateway-module-options.interface.js';
import { sendProblem } from '../proxy/problem-details.js';

/**
 * Answers requests that neither a gateway route nor a controller matched with a problem+json 404, like the
 * gateway's other errors; a `NotFoundException` thrown by a controller keeps Nest's own answer. @internal
 */
@Catch(NotFoundException)
export class GatewayNotFoundFilter extends BaseExceptionFilter {
  @Optional()
  @Inject(GATEWAY_MODULE_OPTIONS)
  private readonly options?: GatewayModuleOptions;

  override catch(exception: NotFoundException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<{ route?: unknown; is404?: boolean; raw?: IncomingMessage; originalUrl?: string } & IncomingMessage>();
    const unrouted = request.raw !== undefined ? request.is404 === true : request.route === undefined;
    if (!unrouted || host.getType() !== 'http') return super.catch(exception, host);
    const response = http.getResponse<{ raw?: ServerResponse } & ServerResponse>();
    const raw = response.raw ?? response;
    if (request.raw !== undefined) (response as unknown as { hijack?: () => void }).hijack?.();
    const incoming = request.raw ?? request;
    const requestId = requestIdOf(incoming.headers, this.options?.trustRequestId ?? true);
    sendProblem(raw, { status: 404, detail: 'No route matches this request.' }, instanceOf(request.originalUrl ?? incoming.url), requestId);
  }
}

/** The request's normalised path, as other answers name it (`undefined` for a target that cannot be normalised). */
function instanceOf(url: string | undefined): string | undefined {
  try {
    return normalizeRequestTarget(url ?? '').path;
  } catch {
    return undefined;
  }
}
