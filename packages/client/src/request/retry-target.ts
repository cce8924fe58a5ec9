import { retryAfterMs } from '@nestmesh/common';
import type { Endpoint } from '../balancer/endpoint.js';
import type { ServiceBalancer } from '../balancer/service-balancer.js';

/** The longest wait an instance may ask for (`Retry-After`, a TCP rejection's `retryAfter`): 5 minutes. */
export const MAX_INSTANCE_WAIT_MS = 300_000;

/**
 * @internal Records what an instance asked for: no new calls for `ms` (at most {@link MAX_INSTANCE_WAIT_MS}).
 * `ms` is a `Retry-After` header (seconds or an HTTP date) or a number of milliseconds; anything else is ignored.
 */
export function deferInstance<C>(balancer: ServiceBalancer<C>, endpoint: Endpoint<C>, asked: string | string[] | number | undefined, now: number): void {
  const ms = retryAfterMs(asked);
  if (ms !== undefined) balancer.defer(endpoint, now + Math.min(ms, MAX_INSTANCE_WAIT_MS));
}

