import type { HttpAdapterHost } from '@nestjs/core';
import type { HealthEvaluation } from './health-evaluation.js';

/** HTTP status per registry status, as Consul reads an HTTP check: 2xx passing, 429 warning, else critical. */
const HTTP_STATUS = { passing: 200, warning: 429, critical: 503 } as const;
const TERMINUS_STATUS = { passing: 'ok', warning: 'degraded', critical: 'error' } as const;

/**
 * Serves the app's health (terminus' shape) at `path` on the HTTP adapter itself, outside global prefixes, guards
 * and interceptors, so Consul's HTTP check always reaches it; 503 `shutting_down` while draining. @internal
 */
export function exposeHealthEndpoint(
  { httpAdapter: adapter }: HttpAdapterHost,
  path: string,
  evaluate: () => Promise<HealthEvaluation>,
  isDraining: () => boolean,
): void {
  adapter.get(path, async (_request: unknown, response: unknown) => {
    if (isDraining()) return adapter.reply(response, { status: 'shutting_down', details: {} }, 503);
    const health = await evaluate();
    adapter.reply(response, { status: TERMINUS_STATUS[health.status], output: health.output, details: health.details }, HTTP_STATUS[health.status]);
  });
}
