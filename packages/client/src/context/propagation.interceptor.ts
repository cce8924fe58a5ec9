import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { ServiceClientModuleOptions } from '../interfaces/service-client-module-options.interface.js';
import { SERVICE_CLIENT_MODULE_OPTIONS } from '../service-client.module-definition.js';
import { propagatedHeaderNames } from '../options/option-checks.js';
import { DEADLINE_HEADER } from '../service-client.constants.js';
import { runWithPropagatedContext, type PropagatedContext } from './request-context.js';

/**
 * Reads the headers to propagate (default `x-request-id`, `traceparent`, `tracestate`) and an incoming
 * `x-nestmesh-deadline-ms` from each HTTP request (Express or Fastify), and runs the handler inside them, so
 * the calls it makes carry them on. Registered globally by `ServiceClientModule` unless `propagateHeaders: false`.
 */
@Injectable()
export class PropagationInterceptor implements NestInterceptor {
  private readonly names: readonly string[];

  constructor(@Inject(SERVICE_CLIENT_MODULE_OPTIONS) options: ServiceClientModuleOptions) {
    // Checked here too: Nest may build this interceptor before ServiceClients checks the options.
    this.names = propagatedHeaderNames(options?.propagateHeaders);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const incoming = (context.switchToHttp().getRequest<{ headers?: Record<string, string | string[] | undefined> }>()?.headers ?? {});
    const propagated = this.read(incoming);
    if (propagated === undefined) return next.handle();
    return new Observable((subscriber) => runWithPropagatedContext(propagated, () => next.handle().subscribe(subscriber)));
  }

  private read(incoming: Record<string, string | string[] | undefined>): PropagatedContext | undefined {
    let headers: Record<string, string> | undefined;
    for (const name of this.names) {
      const value = incoming[name];
      const text = Array.isArray(value) ? value[0] : value;
      if (typeof text === 'string' && text !== '') (headers ??= {})[name] = text;
    }
    const raw = incoming[DEADLINE_HEADER];
    const deadline = typeof raw === 'string' && raw !== '' ? Number(raw) : NaN;
    const deadlineAt = Number.isFinite(deadline) && deadline >= 0 ? performance.now() + deadline : undefined;
    if (headers === undefined && deadlineAt === undefined) return undefined;
    return { headers: headers ?? {}, deadlineAt };
  }
}
